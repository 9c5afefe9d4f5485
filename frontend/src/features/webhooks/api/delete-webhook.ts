import { client, done } from "../../../api/client";
import { useRefreshingMutation } from "../../../api/query";
import { webhookKeys } from "./keys";

export function deleteWebhook(endpointId: number) {
  return done(client.DELETE("/api/v1/webhooks/{endpoint_id}", { params: { path: { endpoint_id: endpointId } } }));
}

export const useDeleteWebhook = () => useRefreshingMutation(deleteWebhook, webhookKeys.all);
