import { queryOptions, useQuery, useQueryClient } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { apiQuery } from "../../../api/query";
import type { Progress } from "../../../api/types";
import { projectKeys } from "./keys";

/** Files still uploading or being ingested: while there are any, the project page polls. */
export function filesInFlight(progress: Progress | undefined): number {
  return (progress?.files.pending ?? 0) + (progress?.files.uploading ?? 0);
}

export const INGESTION_POLL_MS = 2000;

const progressRequest = (projectId: number) => (signal: AbortSignal) =>
  client.GET("/api/v1/projects/{project_id}/progress", { params: { path: { project_id: projectId } }, signal });

export const projectProgressQueryOptions = (projectId: number) =>
  queryOptions({
    ...apiQuery(projectKeys.progress(projectId), progressRequest(projectId)),
    refetchInterval: (query) => (filesInFlight(query.state.data) ? INGESTION_POLL_MS : false),
  });

/** While files are in flight, each look at the progress also fetches what ingestion changes (the project, its items,
 * activity and agreement), and once more after the last file is done, so the page ends on the final state. */
export function useProjectProgress(projectId: number) {
  const queryClient = useQueryClient();
  const options = projectProgressQueryOptions(projectId);
  return useQuery({
    ...options,
    queryFn: async ({ signal }) => {
      const before = queryClient.getQueryData(options.queryKey);
      const progress = await data(progressRequest(projectId)(signal));
      if (filesInFlight(before) > 0) {
        void queryClient.invalidateQueries({ queryKey: projectKeys.detail(projectId), predicate: (q) => q.queryKey[2] !== "progress" });
      }
      return progress;
    },
  });
}
