import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { notificationKeys } from "./keys";

export function markNotificationRead(notificationId: number) {
  return data(client.POST("/api/v1/notifications/{notification_id}/read", { params: { path: { notification_id: notificationId } } }));
}

export function markAllNotificationsRead() {
  return data(client.POST("/api/v1/notifications/read-all"));
}

/** Both refresh every list of notifications and the bell's count. */
export function useMarkNotificationRead() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: markNotificationRead, onSuccess: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }) });
}

export function useMarkAllNotificationsRead() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: markAllNotificationsRead, onSuccess: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }) });
}
