import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import type { components } from "../../../api/schema";
import { projectKeys } from "./keys";

export type ProjectAction = components["schemas"]["TransitionInputRequest"]["action"];

export function transitionProject(projectId: number, action: ProjectAction) {
  return data(client.POST("/api/v1/projects/{project_id}/transitions", { params: { path: { project_id: projectId } }, body: { action } }));
}

/** Publish, pause, resume or close: the answer is the project as it is now; its progress, activity and the lists
 * are fetched again. */
export function useTransitionProject(projectId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (action: ProjectAction) => transitionProject(projectId, action),
    onSuccess: async (project) => {
      queryClient.setQueryData(projectKeys.detail(projectId), project);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: projectKeys.detail(projectId), predicate: (q) => q.queryKey.length > 2 }),
        queryClient.invalidateQueries({ queryKey: projectKeys.lists() }),
      ]);
    },
  });
}
