import { queryOptions, useQuery } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { earningsKeys } from "./keys";

/** Balance, pending and paid out, per currency. */
export function getEarnings(signal?: AbortSignal) {
  return data(client.GET("/api/v1/me/earnings", { signal }));
}

export const earningsQueryOptions = () => queryOptions({ queryKey: earningsKeys.summary(), queryFn: ({ signal }) => getEarnings(signal) });

export function useEarnings() {
  return useQuery(earningsQueryOptions());
}
