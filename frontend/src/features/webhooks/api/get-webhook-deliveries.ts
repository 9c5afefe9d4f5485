import { client } from "../../../api/client";
import { apiQuery, usePageQuery } from "../../../api/query";
import { webhookKeys } from "./keys";

export const DELIVERIES_PAGE_SIZE = 10;

export const webhookDeliveriesQueryOptions = (endpointId: number, page: number) =>
  apiQuery(webhookKeys.deliveries(endpointId, page), (signal) =>
    client.GET("/api/v1/webhooks/{endpoint_id}/deliveries", { params: { path: { endpoint_id: endpointId }, query: { page, page_size: DELIVERIES_PAGE_SIZE } }, signal }),
  );

export const useWebhookDeliveries = (endpointId: number, page: number) => usePageQuery(webhookDeliveriesQueryOptions(endpointId, page));
