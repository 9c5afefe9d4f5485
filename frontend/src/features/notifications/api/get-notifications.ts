import { client } from "../../../api/client";
import { apiQuery, usePageQuery } from "../../../api/query";
import { notificationKeys } from "./keys";

type Filters = { page: number; pageSize: number; unread: boolean };

export const notificationsQueryOptions = (filters: Filters) =>
  apiQuery(notificationKeys.list(filters), (signal) => {
    const { page, pageSize, unread } = filters;
    return client.GET("/api/v1/notifications", { params: { query: { page, page_size: pageSize, ...(unread ? { unread: true } : {}) } }, signal });
  });

/** `enabled` false holds the request back (the bell's list loads when it opens). */
export function useNotifications(filters: Filters, { enabled = true }: { enabled?: boolean } = {}) {
  return usePageQuery({ ...notificationsQueryOptions(filters), enabled });
}
