import { client, data } from "../../../api/client";
import { useRefreshingMutation } from "../../../api/query";
import { payoutKeys } from "./keys";

/** A failed payout, sent again as a new payout. */
export function retryPayout(payoutId: number) {
  return data(client.POST("/api/v1/payouts/{payout_id}/retry", { params: { path: { payout_id: payoutId } } }));
}

export const useRetryPayout = () => useRefreshingMutation(retryPayout, payoutKeys.all);
