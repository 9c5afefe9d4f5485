import { client, done } from "../../../api/client";
import { useRefreshingMutation } from "../../../api/query";
import { webhookKeys } from "./keys";

/** Queue a ping to the endpoint (answered 202: it is delivered like any event). */
export function testWebhook(endpointId: number) {
  return done(client.POST("/api/v1/webhooks/{endpoint_id}/test", { params: { path: { endpoint_id: endpointId } } }));
}

export const useTestWebhook = () => useRefreshingMutation(testWebhook, webhookKeys.all);
