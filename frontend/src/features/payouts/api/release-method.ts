import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { payoutKeys } from "./keys";

export function releasePayoutMethod(methodId: number) {
  return data(client.POST("/api/v1/payout-methods/{method_id}/release", { params: { path: { method_id: methodId } } }));
}

export function useReleasePayoutMethod() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: releasePayoutMethod, onSuccess: () => queryClient.invalidateQueries({ queryKey: payoutKeys.held() }) });
}
