import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { notificationKeys } from "./keys";

type Filters = { page: number; pageSize: number; unread: boolean };

export function getNotifications({ page, pageSize, unread }: Filters, signal?: AbortSignal) {
  return data(client.GET("/api/v1/notifications", { params: { query: { page, page_size: pageSize, ...(unread ? { unread: true } : {}) } }, signal }));
}

export const notificationsQueryOptions = (filters: Filters) =>
  queryOptions({ queryKey: notificationKeys.list(filters), queryFn: ({ signal }) => getNotifications(filters, signal) });

/** `enabled` false holds the request back (the bell's list loads when it opens). */
export function useNotifications(filters: Filters, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({ ...notificationsQueryOptions(filters), enabled, placeholderData: keepPreviousData });
}
