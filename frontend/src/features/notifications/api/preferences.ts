import { useQuery } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { apiQuery, useReplacingMutation } from "../../../api/query";
import type { components } from "../../../api/schema";
import { notificationKeys } from "./keys";

export type Preference = components["schemas"]["PreferenceOutput"];
export type PreferenceChange = components["schemas"]["PreferenceRequest"];

export const notificationPreferencesQueryOptions = () =>
  apiQuery(notificationKeys.preferences(), (signal) => client.GET("/api/v1/me/notification-preferences", { signal }));

export const useNotificationPreferences = () => useQuery(notificationPreferencesQueryOptions());

export function updateNotificationPreferences(items: PreferenceChange[]) {
  return data(client.PUT("/api/v1/me/notification-preferences", { body: { items } }));
}

/** The answer is every preference as saved: it replaces the cached ones. */
export const useUpdateNotificationPreferences = () => useReplacingMutation(updateNotificationPreferences, notificationKeys.preferences());
