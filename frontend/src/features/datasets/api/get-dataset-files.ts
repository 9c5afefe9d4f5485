import { useQuery } from "@tanstack/react-query";
import { client } from "../../../api/client";
import { apiQuery } from "../../../api/query";
import { datasetKeys } from "./keys";

export const datasetFilesQueryOptions = (datasetId: number, number: number) =>
  apiQuery(datasetKeys.files(datasetId, number), (signal) =>
    client.GET("/api/v1/datasets/{dataset_id}/versions/{number}/files", { params: { path: { dataset_id: datasetId, number } }, signal }),
  );

/** The files exist once the version is built: `enabled` holds the request back until then. */
export function useDatasetFiles(datasetId: number, number: number, { enabled }: { enabled: boolean }) {
  return useQuery({ ...datasetFilesQueryOptions(datasetId, number), enabled });
}
