import { client, data } from "../../../api/client";
import { useRefreshingMutation } from "../../../api/query";
import type { components } from "../../../api/schema";
import { webhookKeys } from "./keys";

export type WebhookInput = components["schemas"]["WebhookEndpointInputRequest"];
export type WebhookEvent = components["schemas"]["EventsEnum"];

export function createWebhook(body: WebhookInput) {
  return data(client.POST("/api/v1/webhooks", { body }));
}

/** The answer holds the signing secret, shown once; the list is fetched again. */
export const useCreateWebhook = () => useRefreshingMutation(createWebhook, webhookKeys.all);
