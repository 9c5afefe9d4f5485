import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { payoutKeys } from "./keys";

/** A failed payout, sent again as a new payout. */
export function retryPayout(payoutId: number) {
  return data(client.POST("/api/v1/payouts/{payout_id}/retry", { params: { path: { payout_id: payoutId } } }));
}

export function useRetryPayout() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: retryPayout, onSuccess: () => queryClient.invalidateQueries({ queryKey: payoutKeys.all }) });
}
