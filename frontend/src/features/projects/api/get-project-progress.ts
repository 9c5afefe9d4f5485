import { queryOptions, useQuery } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import type { Progress } from "../../../api/types";
import { projectKeys } from "./keys";

export function getProjectProgress(projectId: number, signal?: AbortSignal) {
  return data(client.GET("/api/v1/projects/{project_id}/progress", { params: { path: { project_id: projectId } }, signal }));
}

/** Files still uploading or being ingested: while there are any, the project page polls. */
export function filesInFlight(progress: Progress | undefined): number {
  return (progress?.files.pending ?? 0) + (progress?.files.uploading ?? 0);
}

export const INGESTION_POLL_MS = 2000;

export const projectProgressQueryOptions = (projectId: number) =>
  queryOptions({
    queryKey: projectKeys.progress(projectId),
    queryFn: ({ signal }) => getProjectProgress(projectId, signal),
    refetchInterval: (query) => (filesInFlight(query.state.data) ? INGESTION_POLL_MS : false),
  });

export function useProjectProgress(projectId: number) {
  return useQuery(projectProgressQueryOptions(projectId));
}
