import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { client } from "../../../api/client";
import { apiQuery } from "../../../api/query";
import { webhookKeys } from "./keys";

export const webhooksQueryOptions = (page: number) =>
  apiQuery(webhookKeys.list(page), (signal) => client.GET("/api/v1/webhooks", { params: { query: { page } }, signal }));

export const useWebhooks = (page: number) => useQuery({ ...webhooksQueryOptions(page), placeholderData: keepPreviousData });
