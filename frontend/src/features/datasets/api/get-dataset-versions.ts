import { queryOptions, useQuery } from "@tanstack/react-query";
import { client } from "../../../api/client";
import { apiQuery } from "../../../api/query";
import { datasetKeys } from "./keys";
import { BUILD_POLL_MS, isRunning } from "./running";

export const VERSIONS_PAGE_SIZE = 50;

/** Polls while a version is queued or building. */
export const datasetVersionsQueryOptions = (datasetId: number) =>
  queryOptions({
    ...apiQuery(datasetKeys.versions(datasetId), (signal) =>
      client.GET("/api/v1/datasets/{dataset_id}/versions", { params: { path: { dataset_id: datasetId }, query: { page_size: VERSIONS_PAGE_SIZE } }, signal }),
    ),
    refetchInterval: (query) => ((query.state.data?.results ?? []).some((v) => isRunning(v.state)) ? BUILD_POLL_MS : false),
  });

export const useDatasetVersions = (datasetId: number) => useQuery(datasetVersionsQueryOptions(datasetId));
