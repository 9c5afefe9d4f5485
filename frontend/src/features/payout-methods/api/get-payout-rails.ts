import { useQuery } from "@tanstack/react-query";
import { client } from "../../../api/client";
import { apiQuery } from "../../../api/query";
import { payoutMethodKeys } from "./keys";

/** The rails a freelancer may add in their country, and how each is verified. */
export const payoutRailsQueryOptions = () => apiQuery(payoutMethodKeys.rails(), (signal) => client.GET("/api/v1/me/payout-methods/rails", { signal }));

export const usePayoutRails = () => useQuery(payoutRailsQueryOptions());
