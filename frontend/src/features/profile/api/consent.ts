import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { profileKeys } from "./keys";

/** Consent to datasets: on by default, withdrawn once for good. */
export function getConsent(signal?: AbortSignal) {
  return data(client.GET("/api/v1/me/consent", { signal }));
}

export const consentQueryOptions = () => queryOptions({ queryKey: profileKeys.consent(), queryFn: ({ signal }) => getConsent(signal) });

export function useConsent() {
  return useQuery(consentQueryOptions());
}

export function withdrawConsent(reason: string) {
  return data(client.POST("/api/v1/me/consent", { body: { reason } }));
}

export function useWithdrawConsent() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: withdrawConsent, onSuccess: (consent) => queryClient.setQueryData(profileKeys.consent(), consent) });
}
