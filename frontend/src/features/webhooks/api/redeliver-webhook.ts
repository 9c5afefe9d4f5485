import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client, done } from "../../../api/client";
import { webhookKeys } from "./keys";

/** Send a delivery again; its log and the endpoints' counts are fetched again. */
export function redeliverWebhook(deliveryId: number) {
  return done(client.POST("/api/v1/webhook-deliveries/{delivery_id}/redeliver", { params: { path: { delivery_id: deliveryId } } }));
}

export function useRedeliverWebhook() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: redeliverWebhook, onSuccess: () => queryClient.invalidateQueries({ queryKey: webhookKeys.all }) });
}
