import { useQuery } from "@tanstack/react-query";
import { client } from "../../../api/client";
import { apiQuery } from "../../../api/query";
import { payoutKeys } from "./keys";

/** Each project's spend and the payouts counted by state. */
export const payoutOverviewQueryOptions = () => apiQuery(payoutKeys.overview(), (signal) => client.GET("/api/v1/payouts/overview", { signal }));

export function usePayoutOverview({ refetchInterval = false }: { refetchInterval?: number | false | (() => number | false) } = {}) {
  return useQuery({ ...payoutOverviewQueryOptions(), refetchInterval });
}
