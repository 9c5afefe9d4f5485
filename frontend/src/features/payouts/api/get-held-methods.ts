import { useQuery } from "@tanstack/react-query";
import { client } from "../../../api/client";
import { apiQuery } from "../../../api/query";
import { payoutKeys } from "./keys";

/** Payout methods held because the name on them differs from the freelancer's profile. */
export const heldPayoutMethodsQueryOptions = () =>
  apiQuery(payoutKeys.held(), (signal) => client.GET("/api/v1/payout-methods/held", { params: { query: { page_size: 50 } }, signal }));

export const useHeldPayoutMethods = () => useQuery(heldPayoutMethodsQueryOptions());
