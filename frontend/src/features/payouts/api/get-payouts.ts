import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { client } from "../../../api/client";
import { apiQuery } from "../../../api/query";
import type { components, operations } from "../../../api/schema";
import { payoutKeys } from "./keys";

type Query = NonNullable<operations["api_v1_payouts_list"]["parameters"]["query"]>;
export type PayoutState = NonNullable<Query["state"]>;
export type PayoutRail = NonNullable<Query["rail"]>;
const RAILS: readonly PayoutRail[] = ["http", "paypal", "sandbox", "stripe"];

/** A rail from a filter's value, or null for every rail. */
export function payoutRail(value: string): PayoutRail | null {
  return RAILS.find((r) => r === value) ?? null;
}

export type PayoutFilters = { page: number; state: PayoutState | null; rail: PayoutRail | null };

function payoutsQuery({ page, state, rail }: PayoutFilters) {
  return { page, ...(state ? { state } : {}), ...(rail ? { rail } : {}) };
}

export const payoutsQueryOptions = (filters: PayoutFilters) =>
  apiQuery(payoutKeys.list(filters), (signal) => client.GET("/api/v1/payouts", { params: { query: payoutsQuery(filters) }, signal }));

export type Payouts = components["schemas"]["PaginatedPayoutOutputList"];

/** True while a payout on the page is still on its way to the provider. */
export function onTheirWay(payouts: Payouts | undefined): boolean {
  return Boolean(payouts?.results.some((p) => p.state === "requested" || p.state === "sent"));
}

/** `refetchInterval` sees the page as last fetched, to poll while the payouts on it are on their way. */
export function usePayouts(filters: PayoutFilters, { refetchInterval }: { refetchInterval?: (payouts: Payouts | undefined) => number | false } = {}) {
  return useQuery({
    ...payoutsQueryOptions(filters),
    refetchInterval: (query) => (refetchInterval ? refetchInterval(query.state.data) : false),
    placeholderData: keepPreviousData,
  });
}
