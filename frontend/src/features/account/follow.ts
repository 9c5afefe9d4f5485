import { useNavigate, useSearchParams } from "react-router";
import type { User } from "../../api/types";
import { homeFor, needsTwoFactor, safeNext, TWO_FACTOR_SETUP, type LoginOutcome } from "../../auth";

/** Where a signed-in person goes: an organisation that asks for 2FA first, then `next`, then their home. */
export function landingFor(user: User, next: string | null): string {
  if (needsTwoFactor(user)) return TWO_FACTOR_SETUP;
  return safeNext(next) ?? homeFor(user);
}

/** Follow a login outcome: into the console, or to the step that is pending (keeping `next`). */
export function useFollowOutcome() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  return (outcome: LoginOutcome) => {
    const next = params.get("next");
    if (outcome.user) {
      void navigate(landingFor(outcome.user, next), { replace: true });
    } else {
      const query = next ? `?next=${encodeURIComponent(next)}` : "";
      void navigate(outcome.next + query, { state: { flow: outcome.flow } });
    }
  };
}
