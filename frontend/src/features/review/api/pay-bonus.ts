import { useMutation } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import type { components } from "../../../api/schema";

export type BonusInput = components["schemas"]["BonusInputRequest"];

/** The same idempotency key again pays once. */
export function payBonus(contributionId: number, body: BonusInput) {
  return data(client.POST("/api/v1/contributions/{contribution_id}/bonus", { params: { path: { contribution_id: contributionId } }, body }));
}

export function usePayBonus(contributionId: number) {
  return useMutation({ mutationFn: (body: BonusInput) => payBonus(contributionId, body) });
}
