import { queryOptions, useQuery } from "@tanstack/react-query";
import { client } from "../../../api/client";
import { apiQuery } from "../../../api/query";
import { datasetKeys } from "./keys";
import { BUILD_POLL_MS, isRunning } from "./running";

/** Polls while the version is queued or building. */
export const datasetVersionQueryOptions = (datasetId: number, number: number) =>
  queryOptions({
    ...apiQuery(datasetKeys.version(datasetId, number), (signal) =>
      client.GET("/api/v1/datasets/{dataset_id}/versions/{number}", { params: { path: { dataset_id: datasetId, number } }, signal }),
    ),
    refetchInterval: (query) => (query.state.data && isRunning(query.state.data.state) ? BUILD_POLL_MS : false),
  });

export const useDatasetVersion = (datasetId: number, number: number) => useQuery(datasetVersionQueryOptions(datasetId, number));
