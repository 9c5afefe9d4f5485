import { queryOptions, useQuery } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { datasetKeys } from "./keys";
import { BUILD_POLL_MS, isRunning } from "./running";

export function getDatasetVersion(datasetId: number, number: number, signal?: AbortSignal) {
  return data(client.GET("/api/v1/datasets/{dataset_id}/versions/{number}", { params: { path: { dataset_id: datasetId, number } }, signal }));
}

/** Polls while the version is queued or building. */
export const datasetVersionQueryOptions = (datasetId: number, number: number) =>
  queryOptions({
    queryKey: datasetKeys.version(datasetId, number),
    queryFn: ({ signal }) => getDatasetVersion(datasetId, number, signal),
    refetchInterval: (query) => (query.state.data && isRunning(query.state.data.state) ? BUILD_POLL_MS : false),
  });

export function useDatasetVersion(datasetId: number, number: number) {
  return useQuery(datasetVersionQueryOptions(datasetId, number));
}
