import { client } from "../../../api/client";
import { apiQuery, usePageQuery } from "../../../api/query";
import { datasetKeys } from "./keys";

export const datasetsQueryOptions = (page: number) =>
  apiQuery(datasetKeys.list(page), (signal) => client.GET("/api/v1/datasets", { params: { query: { page } }, signal }));

export const useDatasets = (page: number) => usePageQuery(datasetsQueryOptions(page));
