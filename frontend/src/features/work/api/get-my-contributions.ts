import { queryOptions, useQuery } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { workKeys } from "./keys";

export function getMyContributions(pageSize: number, signal?: AbortSignal) {
  return data(client.GET("/api/v1/contributions", { params: { query: { page_size: pageSize } }, signal }));
}

export const myContributionsQueryOptions = (pageSize: number) =>
  queryOptions({ queryKey: workKeys.mine(pageSize), queryFn: ({ signal }) => getMyContributions(pageSize, signal) });

export function useMyContributions(pageSize: number) {
  return useQuery(myContributionsQueryOptions(pageSize));
}
