import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import type { components } from "../../../api/schema";
import { profileKeys } from "./keys";

export type ProfileChange = components["schemas"]["PatchedProfileInputRequest"];

export function updateProfile(body: ProfileChange) {
  return data(client.PATCH("/api/v1/me/profile", { body }));
}

/** The answer is the saved profile: it replaces the cached one. */
export function useUpdateProfile() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: updateProfile, onSuccess: (saved) => queryClient.setQueryData(profileKeys.profile(), saved) });
}
