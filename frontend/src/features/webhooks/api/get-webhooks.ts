import { client } from "../../../api/client";
import { apiQuery, usePageQuery } from "../../../api/query";
import { webhookKeys } from "./keys";

export const webhooksQueryOptions = (page: number) =>
  apiQuery(webhookKeys.list(page), (signal) => client.GET("/api/v1/webhooks", { params: { query: { page } }, signal }));

export const useWebhooks = (page: number) => usePageQuery(webhooksQueryOptions(page));
