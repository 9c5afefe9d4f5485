import { useMutation } from "@tanstack/react-query";
import { client, data, done } from "../../../api/client";
import { useRefreshingMutation } from "../../../api/query";
import type { components } from "../../../api/schema";
import { payoutMethodKeys } from "./keys";

export type PayoutMethodInput = components["schemas"]["PayoutMethodInputRequest"];

export function addPayoutMethod(body: PayoutMethodInput) {
  return data(client.POST("/api/v1/me/payout-methods", { body }));
}

export function verifyPayoutMethod({ methodId, code }: { methodId: number; code: string }) {
  return data(client.POST("/api/v1/me/payout-methods/{method_id}/verify", { params: { path: { method_id: methodId } }, body: { code } }));
}

export function resendPayoutMethodCode(methodId: number) {
  return data(client.POST("/api/v1/me/payout-methods/{method_id}/resend-code", { params: { path: { method_id: methodId } } }));
}

export function makePayoutMethodDefault(methodId: number) {
  return data(client.POST("/api/v1/me/payout-methods/{method_id}/default", { params: { path: { method_id: methodId } } }));
}

export function removePayoutMethod(methodId: number) {
  return done(client.DELETE("/api/v1/me/payout-methods/{method_id}", { params: { path: { method_id: methodId } } }));
}

/** Stripe's hosted onboarding for a Stripe method: a link to leave for. */
export function payoutMethodOnboardingLink(methodId: number) {
  return data(client.POST("/api/v1/me/payout-methods/{method_id}/onboarding-link", { params: { path: { method_id: methodId } } }));
}

/** A change to the freelancer's payout methods; the list is fetched again after it. */
function usePayoutMethodMutation<V, R>(mutationFn: (variables: V) => Promise<R>) {
  return useRefreshingMutation(mutationFn, payoutMethodKeys.list());
}

export const useAddPayoutMethod = () => usePayoutMethodMutation(addPayoutMethod);
export const useVerifyPayoutMethod = () => usePayoutMethodMutation(verifyPayoutMethod);
export const useResendPayoutMethodCode = () => usePayoutMethodMutation(resendPayoutMethodCode);
export const useMakePayoutMethodDefault = () => usePayoutMethodMutation(makePayoutMethodDefault);
export const useRemovePayoutMethod = () => usePayoutMethodMutation(removePayoutMethod);
export const usePayoutMethodOnboardingLink = () => useMutation({ mutationFn: payoutMethodOnboardingLink });
