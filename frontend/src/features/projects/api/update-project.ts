import { useMutation } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import type { components } from "../../../api/schema";
import { useProjectSaved } from "./project-saved";

export type ProjectChange = components["schemas"]["PatchedProjectInputRequest"];

export function updateProject(projectId: number, body: ProjectChange) {
  return data(client.PATCH("/api/v1/projects/{project_id}", { params: { path: { project_id: projectId } }, body }));
}

/** The answer is the project as saved; everything under it and the lists are fetched again. */
export function useUpdateProject(projectId: number) {
  const saved = useProjectSaved(projectId);
  return useMutation({ mutationFn: (body: ProjectChange) => updateProject(projectId, body), onSuccess: saved });
}
