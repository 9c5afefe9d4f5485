import { queryOptions, useQuery } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { profileKeys } from "./keys";

export function getProfile(signal?: AbortSignal) {
  return data(client.GET("/api/v1/me/profile", { signal }));
}

export const profileQueryOptions = () => queryOptions({ queryKey: profileKeys.profile(), queryFn: ({ signal }) => getProfile(signal) });

export function useProfile() {
  return useQuery(profileQueryOptions());
}
