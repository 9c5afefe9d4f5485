import { client, done } from "../../../api/client";
import { useRefreshingMutation } from "../../../api/query";
import { webhookKeys } from "./keys";

/** Send a delivery again; its log and the endpoints' counts are fetched again. */
export function redeliverWebhook(deliveryId: number) {
  return done(client.POST("/api/v1/webhook-deliveries/{delivery_id}/redeliver", { params: { path: { delivery_id: deliveryId } } }));
}

export const useRedeliverWebhook = () => useRefreshingMutation(redeliverWebhook, webhookKeys.all);
