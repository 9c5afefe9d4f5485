import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { earningsKeys } from "./keys";

export function getEarningHistory(page: number, signal?: AbortSignal) {
  return data(client.GET("/api/v1/me/earnings/history", { params: { query: { page } }, signal }));
}

export const earningHistoryQueryOptions = (page: number) =>
  queryOptions({ queryKey: earningsKeys.history(page), queryFn: ({ signal }) => getEarningHistory(page, signal) });

export function useEarningHistory(page: number) {
  return useQuery({ ...earningHistoryQueryOptions(page), placeholderData: keepPreviousData });
}
