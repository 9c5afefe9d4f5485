import { queryOptions, useQuery } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { earningsKeys } from "./keys";

/** The freelancer's latest payouts. */
export function getMyPayouts(pageSize: number, signal?: AbortSignal) {
  return data(client.GET("/api/v1/me/payouts", { params: { query: { page_size: pageSize } }, signal }));
}

export const myPayoutsQueryOptions = (pageSize: number) =>
  queryOptions({ queryKey: earningsKeys.payouts(pageSize), queryFn: ({ signal }) => getMyPayouts(pageSize, signal) });

export function useMyPayouts(pageSize: number) {
  return useQuery(myPayoutsQueryOptions(pageSize));
}
