import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { webhookKeys } from "./keys";

export const DELIVERIES_PAGE_SIZE = 10;

export function getWebhookDeliveries(endpointId: number, page: number, signal?: AbortSignal) {
  return data(
    client.GET("/api/v1/webhooks/{endpoint_id}/deliveries", {
      params: { path: { endpoint_id: endpointId }, query: { page, page_size: DELIVERIES_PAGE_SIZE } },
      signal,
    }),
  );
}

export const webhookDeliveriesQueryOptions = (endpointId: number, page: number) =>
  queryOptions({ queryKey: webhookKeys.deliveries(endpointId, page), queryFn: ({ signal }) => getWebhookDeliveries(endpointId, page, signal) });

export function useWebhookDeliveries(endpointId: number, page: number) {
  return useQuery({ ...webhookDeliveriesQueryOptions(endpointId, page), placeholderData: keepPreviousData });
}
