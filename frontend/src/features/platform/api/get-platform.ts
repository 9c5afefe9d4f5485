import { queryOptions, useQuery } from "@tanstack/react-query";
import { client, data } from "../../../api/client";

/** The platform's rules a form checks against: the minimum hourly rate per currency, and the like. */
export function getPlatform(signal?: AbortSignal) {
  return data(client.GET("/api/v1/platform", { signal }));
}

export const platformQueryOptions = () => queryOptions({ queryKey: ["platform"] as const, queryFn: ({ signal }) => getPlatform(signal) });

export function usePlatform() {
  return useQuery(platformQueryOptions());
}
