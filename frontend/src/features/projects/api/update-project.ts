import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import type { components } from "../../../api/schema";
import { projectKeys } from "./keys";

export type ProjectChange = components["schemas"]["PatchedProjectInputRequest"];

export function updateProject(projectId: number, body: ProjectChange) {
  return data(client.PATCH("/api/v1/projects/{project_id}", { params: { path: { project_id: projectId } }, body }));
}

/** The answer is the project as saved; everything under it and the lists are fetched again. */
export function useUpdateProject(projectId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ProjectChange) => updateProject(projectId, body),
    onSuccess: async (project) => {
      queryClient.setQueryData(projectKeys.detail(projectId), project);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: projectKeys.detail(projectId), predicate: (q) => q.queryKey.length > 2 }),
        queryClient.invalidateQueries({ queryKey: projectKeys.lists() }),
      ]);
    },
  });
}
