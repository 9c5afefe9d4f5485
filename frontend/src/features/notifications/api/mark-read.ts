import { client, data } from "../../../api/client";
import { useRefreshingMutation } from "../../../api/query";
import { notificationKeys } from "./keys";

export function markNotificationRead(notificationId: number) {
  return data(client.POST("/api/v1/notifications/{notification_id}/read", { params: { path: { notification_id: notificationId } } }));
}

export function markAllNotificationsRead() {
  return data(client.POST("/api/v1/notifications/read-all"));
}

/** Both refresh every list of notifications and the bell's count. */
export const useMarkNotificationRead = () => useRefreshingMutation(markNotificationRead, notificationKeys.all);

export const useMarkAllNotificationsRead = () => useRefreshingMutation(markAllNotificationsRead, notificationKeys.all);
