import { post } from "../../api/client";
import type { Profile } from "../../api/types";
import type { OnboardingForm } from "./form";

/** POST /api/v1/me/onboarding: every field at once; a 400 names every missing or invalid one. */
export function submitOnboarding(form: OnboardingForm): Promise<Profile> {
  return post<Profile>("/api/v1/me/onboarding", {
    ...form,
    skills: form.skills.map((s) => s.trim()).filter(Boolean),
  });
}
