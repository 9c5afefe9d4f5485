import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { datasetKeys } from "./keys";

export function getDatasets(page: number, signal?: AbortSignal) {
  return data(client.GET("/api/v1/datasets", { params: { query: { page } }, signal }));
}

export const datasetsQueryOptions = (page: number) =>
  queryOptions({ queryKey: datasetKeys.list(page), queryFn: ({ signal }) => getDatasets(page, signal) });

export function useDatasets(page: number) {
  return useQuery({ ...datasetsQueryOptions(page), placeholderData: keepPreviousData });
}
