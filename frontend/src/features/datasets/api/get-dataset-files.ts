import { queryOptions, useQuery } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { datasetKeys } from "./keys";

export function getDatasetFiles(datasetId: number, number: number, signal?: AbortSignal) {
  return data(client.GET("/api/v1/datasets/{dataset_id}/versions/{number}/files", { params: { path: { dataset_id: datasetId, number } }, signal }));
}

export const datasetFilesQueryOptions = (datasetId: number, number: number) =>
  queryOptions({ queryKey: datasetKeys.files(datasetId, number), queryFn: ({ signal }) => getDatasetFiles(datasetId, number, signal) });

/** The files exist once the version is built: `enabled` holds the request back until then. */
export function useDatasetFiles(datasetId: number, number: number, { enabled }: { enabled: boolean }) {
  return useQuery({ ...datasetFilesQueryOptions(datasetId, number), enabled });
}
