import { useQuery } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { apiQuery, useReplacingMutation } from "../../../api/query";
import { profileKeys } from "./keys";

/** Consent to datasets: on by default, withdrawn once for good. */
export const consentQueryOptions = () => apiQuery(profileKeys.consent(), (signal) => client.GET("/api/v1/me/consent", { signal }));

export const useConsent = () => useQuery(consentQueryOptions());

export function withdrawConsent(reason: string) {
  return data(client.POST("/api/v1/me/consent", { body: { reason } }));
}

export const useWithdrawConsent = () => useReplacingMutation(withdrawConsent, profileKeys.consent());
