import { client, data } from "../../../api/client";
import { useRefreshingMutation } from "../../../api/query";
import { payoutKeys } from "./keys";

/** Run the hourly payout round now (202): what it found due. Running it again pays nothing twice. */
export function gatherPayouts() {
  return data(client.POST("/api/v1/payouts/gather"));
}

export const useGatherPayouts = () => useRefreshingMutation(gatherPayouts, payoutKeys.all);
