import { useQuery } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { apiQuery } from "../../../api/query";
import { payoutMethodKeys } from "./keys";

export const payoutMethodsQueryOptions = () =>
  apiQuery(payoutMethodKeys.list(), (signal) => client.GET("/api/v1/me/payout-methods", { params: { query: { page_size: 50 } }, signal }));

export const usePayoutMethods = () => useQuery(payoutMethodsQueryOptions());

/** One method as the provider has it now (Stripe's onboarding state is read when asked). */
export function getPayoutMethod(methodId: number) {
  return data(client.GET("/api/v1/me/payout-methods/{method_id}", { params: { path: { method_id: methodId } } }));
}
