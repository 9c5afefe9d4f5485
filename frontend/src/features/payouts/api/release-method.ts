import { client, data } from "../../../api/client";
import { useRefreshingMutation } from "../../../api/query";
import { payoutKeys } from "./keys";

export function releasePayoutMethod(methodId: number) {
  return data(client.POST("/api/v1/payout-methods/{method_id}/release", { params: { path: { method_id: methodId } } }));
}

export const useReleasePayoutMethod = () => useRefreshingMutation(releasePayoutMethod, payoutKeys.held());
