import { useMutation } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import type { components } from "../../../api/schema";
import { useProjectSaved } from "./project-saved";

export type ProjectAction = components["schemas"]["TransitionInputRequest"]["action"];

export function transitionProject(projectId: number, action: ProjectAction) {
  return data(client.POST("/api/v1/projects/{project_id}/transitions", { params: { path: { project_id: projectId } }, body: { action } }));
}

/** Publish, pause, resume or close: the answer is the project as it is now; its progress, activity and the lists
 * are fetched again. */
export function useTransitionProject(projectId: number) {
  const saved = useProjectSaved(projectId);
  return useMutation({ mutationFn: (action: ProjectAction) => transitionProject(projectId, action), onSuccess: saved });
}
