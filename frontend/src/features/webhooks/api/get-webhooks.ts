import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { webhookKeys } from "./keys";

export function getWebhooks(page: number, signal?: AbortSignal) {
  return data(client.GET("/api/v1/webhooks", { params: { query: { page } }, signal }));
}

export const webhooksQueryOptions = (page: number) =>
  queryOptions({ queryKey: webhookKeys.list(page), queryFn: ({ signal }) => getWebhooks(page, signal) });

export function useWebhooks(page: number) {
  return useQuery({ ...webhooksQueryOptions(page), placeholderData: keepPreviousData });
}
