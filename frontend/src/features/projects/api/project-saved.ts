import { useQueryClient } from "@tanstack/react-query";
import type { Project } from "../../../api/types";
import { projectKeys } from "./keys";

/** What follows a change the answer of which is the project as it is now: it goes into the cache, and everything
 * under it (progress, items, activity) and the lists are fetched again. */
export function useProjectSaved(projectId: number) {
  const queryClient = useQueryClient();
  return async (project: Project) => {
    queryClient.setQueryData(projectKeys.detail(projectId), project);
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: projectKeys.detail(projectId), predicate: (q) => q.queryKey.length > 2 }),
      queryClient.invalidateQueries({ queryKey: projectKeys.lists() }),
    ]);
  };
}
