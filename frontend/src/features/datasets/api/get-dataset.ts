import { useQuery } from "@tanstack/react-query";
import { client } from "../../../api/client";
import { apiQuery } from "../../../api/query";
import { datasetKeys } from "./keys";

export const datasetQueryOptions = (datasetId: number) =>
  apiQuery(datasetKeys.detail(datasetId), (signal) => client.GET("/api/v1/datasets/{dataset_id}", { params: { path: { dataset_id: datasetId } }, signal }));

export const useDataset = (datasetId: number) => useQuery(datasetQueryOptions(datasetId));
