import { client, data } from "../../../api/client";
import { useReplacingMutation } from "../../../api/query";
import type { OnboardingForm } from "../form";

/** The profile's query key (features/profile), filled with the answer. */
const PROFILE_KEY = ["me", "profile"] as const;

/** POST /api/v1/me/onboarding: every field at once; a 400 names every missing or invalid one. */
export function submitOnboarding(form: OnboardingForm) {
  return data(client.POST("/api/v1/me/onboarding", { body: { ...form, skills: form.skills.map((s) => s.trim()).filter(Boolean) } }));
}

export const useSubmitOnboarding = () => useReplacingMutation(submitOnboarding, PROFILE_KEY);
