import { client, data } from "../../../api/client";
import { useReplacingMutation } from "../../../api/query";
import type { components } from "../../../api/schema";
import { profileKeys } from "./keys";

export type ProfileChange = components["schemas"]["PatchedProfileInputRequest"];

export function updateProfile(body: ProfileChange) {
  return data(client.PATCH("/api/v1/me/profile", { body }));
}

/** The answer is the saved profile: it replaces the cached one. */
export const useUpdateProfile = () => useReplacingMutation(updateProfile, profileKeys.profile());
