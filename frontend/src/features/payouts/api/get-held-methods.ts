import { queryOptions, useQuery } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { payoutKeys } from "./keys";

/** Payout methods held because the name on them differs from the freelancer's profile. */
export function getHeldPayoutMethods(signal?: AbortSignal) {
  return data(client.GET("/api/v1/payout-methods/held", { params: { query: { page_size: 50 } }, signal }));
}

export const heldPayoutMethodsQueryOptions = () => queryOptions({ queryKey: payoutKeys.held(), queryFn: ({ signal }) => getHeldPayoutMethods(signal) });

export function useHeldPayoutMethods() {
  return useQuery(heldPayoutMethodsQueryOptions());
}
