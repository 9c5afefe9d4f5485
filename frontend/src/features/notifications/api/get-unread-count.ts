import { queryOptions, useQuery } from "@tanstack/react-query";
import { client } from "../../../api/client";
import { apiQuery } from "../../../api/query";
import { notificationKeys } from "./keys";

export const UNREAD_POLL_MS = 30_000;

/** Polled every 30 s while the tab is visible (TanStack Query pauses the interval in a hidden tab) and again when
 * the tab comes back; marking notifications read invalidates it. */
export const unreadCountQueryOptions = () =>
  queryOptions({
    ...apiQuery(notificationKeys.unreadCount(), (signal) => client.GET("/api/v1/notifications/unread-count", { signal })),
    refetchInterval: UNREAD_POLL_MS,
    refetchOnWindowFocus: true,
  });

/** The unread count; 0 until it has loaded, and the last count when a refresh fails. */
export function useUnreadCount(): number {
  return useQuery(unreadCountQueryOptions()).data?.unread ?? 0;
}
