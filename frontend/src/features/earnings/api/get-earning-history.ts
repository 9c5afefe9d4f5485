import { client } from "../../../api/client";
import { apiQuery, usePageQuery } from "../../../api/query";
import { earningsKeys } from "./keys";

export const earningHistoryQueryOptions = (page: number) =>
  apiQuery(earningsKeys.history(page), (signal) => client.GET("/api/v1/me/earnings/history", { params: { query: { page } }, signal }));

export const useEarningHistory = (page: number) => usePageQuery(earningHistoryQueryOptions(page));
