import { queryOptions, useQuery } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { payoutMethodKeys } from "./keys";

/** The rails a freelancer may add in their country, and how each is verified. */
export function getPayoutRails(signal?: AbortSignal) {
  return data(client.GET("/api/v1/me/payout-methods/rails", { signal }));
}

export const payoutRailsQueryOptions = () => queryOptions({ queryKey: payoutMethodKeys.rails(), queryFn: ({ signal }) => getPayoutRails(signal) });

export function usePayoutRails() {
  return useQuery(payoutRailsQueryOptions());
}
