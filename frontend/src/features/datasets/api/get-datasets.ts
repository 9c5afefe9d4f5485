import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { client } from "../../../api/client";
import { apiQuery } from "../../../api/query";
import { datasetKeys } from "./keys";

export const datasetsQueryOptions = (page: number) =>
  apiQuery(datasetKeys.list(page), (signal) => client.GET("/api/v1/datasets", { params: { query: { page } }, signal }));

export const useDatasets = (page: number) => useQuery({ ...datasetsQueryOptions(page), placeholderData: keepPreviousData });
