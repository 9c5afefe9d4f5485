import { queryOptions, useQuery } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { datasetKeys } from "./keys";
import { BUILD_POLL_MS, isRunning } from "./running";

export const VERSIONS_PAGE_SIZE = 50;

export function getDatasetVersions(datasetId: number, signal?: AbortSignal) {
  return data(
    client.GET("/api/v1/datasets/{dataset_id}/versions", { params: { path: { dataset_id: datasetId }, query: { page_size: VERSIONS_PAGE_SIZE } }, signal }),
  );
}

/** Polls while a version is queued or building. */
export const datasetVersionsQueryOptions = (datasetId: number) =>
  queryOptions({
    queryKey: datasetKeys.versions(datasetId),
    queryFn: ({ signal }) => getDatasetVersions(datasetId, signal),
    refetchInterval: (query) => ((query.state.data?.results ?? []).some((v) => isRunning(v.state)) ? BUILD_POLL_MS : false),
  });

export function useDatasetVersions(datasetId: number) {
  return useQuery(datasetVersionsQueryOptions(datasetId));
}
