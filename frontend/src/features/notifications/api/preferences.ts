import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import type { components } from "../../../api/schema";
import { notificationKeys } from "./keys";

export type Preference = components["schemas"]["PreferenceOutput"];
export type PreferenceChange = components["schemas"]["PreferenceRequest"];

export function getNotificationPreferences(signal?: AbortSignal) {
  return data(client.GET("/api/v1/me/notification-preferences", { signal }));
}

export const notificationPreferencesQueryOptions = () =>
  queryOptions({ queryKey: notificationKeys.preferences(), queryFn: ({ signal }) => getNotificationPreferences(signal) });

export function useNotificationPreferences() {
  return useQuery(notificationPreferencesQueryOptions());
}

export function updateNotificationPreferences(items: PreferenceChange[]) {
  return data(client.PUT("/api/v1/me/notification-preferences", { body: { items } }));
}

/** The answer is every preference as saved: it replaces the cached ones. */
export function useUpdateNotificationPreferences() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateNotificationPreferences,
    onSuccess: (saved) => queryClient.setQueryData(notificationKeys.preferences(), saved),
  });
}
