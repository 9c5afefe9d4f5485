import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import type { components } from "../../../api/schema";
import { projectKeys } from "./keys";

export type ProjectInput = components["schemas"]["ProjectInputRequest"];

export function createProject(body: ProjectInput) {
  return data(client.POST("/api/v1/projects", { body }));
}

/** A new draft project: it goes into the cache for its page, and the lists are fetched again. */
export function useCreateProject() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createProject,
    onSuccess: async (project) => {
      queryClient.setQueryData(projectKeys.detail(project.id), project);
      await queryClient.invalidateQueries({ queryKey: projectKeys.lists() });
    },
  });
}
