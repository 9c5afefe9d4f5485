import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client, done } from "../../../api/client";
import { webhookKeys } from "./keys";

export function deleteWebhook(endpointId: number) {
  return done(client.DELETE("/api/v1/webhooks/{endpoint_id}", { params: { path: { endpoint_id: endpointId } } }));
}

export function useDeleteWebhook() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: deleteWebhook, onSuccess: () => queryClient.invalidateQueries({ queryKey: webhookKeys.all }) });
}
