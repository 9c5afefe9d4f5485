import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client, done } from "../../../api/client";
import { webhookKeys } from "./keys";

/** Queue a ping to the endpoint (answered 202: it is delivered like any event). */
export function testWebhook(endpointId: number) {
  return done(client.POST("/api/v1/webhooks/{endpoint_id}/test", { params: { path: { endpoint_id: endpointId } } }));
}

export function useTestWebhook() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: testWebhook, onSuccess: () => queryClient.invalidateQueries({ queryKey: webhookKeys.all }) });
}
