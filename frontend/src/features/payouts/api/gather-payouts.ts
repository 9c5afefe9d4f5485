import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { payoutKeys } from "./keys";

/** Run the hourly payout round now (202): what it found due. Running it again pays nothing twice. */
export function gatherPayouts() {
  return data(client.POST("/api/v1/payouts/gather"));
}

export function useGatherPayouts() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: gatherPayouts, onSuccess: () => queryClient.invalidateQueries({ queryKey: payoutKeys.all }) });
}
