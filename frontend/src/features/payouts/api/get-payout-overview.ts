import { queryOptions, useQuery } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { payoutKeys } from "./keys";

/** Each project's spend and the payouts counted by state. */
export function getPayoutOverview(signal?: AbortSignal) {
  return data(client.GET("/api/v1/payouts/overview", { signal }));
}

export const payoutOverviewQueryOptions = () => queryOptions({ queryKey: payoutKeys.overview(), queryFn: ({ signal }) => getPayoutOverview(signal) });

export function usePayoutOverview({ refetchInterval = false }: { refetchInterval?: number | false | (() => number | false) } = {}) {
  return useQuery({ ...payoutOverviewQueryOptions(), refetchInterval });
}
