import { queryOptions, useQuery } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { datasetKeys } from "./keys";

export function getDataset(datasetId: number, signal?: AbortSignal) {
  return data(client.GET("/api/v1/datasets/{dataset_id}", { params: { path: { dataset_id: datasetId } }, signal }));
}

export const datasetQueryOptions = (datasetId: number) =>
  queryOptions({ queryKey: datasetKeys.detail(datasetId), queryFn: ({ signal }) => getDataset(datasetId, signal) });

export function useDataset(datasetId: number) {
  return useQuery(datasetQueryOptions(datasetId));
}
