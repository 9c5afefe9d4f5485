/** "Pay out now" on Payouts (platform operators): starts the hourly payout round at once, says what it started,
 * and refreshes the page while the payouts go through the provider. Pressing it again is safe: the round pays
 * each balance once. */
import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import type { PayoutRoundStarted } from "../../../api/types";
import { money } from "../../../format";
import { i18n } from "../../../i18n";
import { useGatherPayouts } from "../api/gather-payouts";

/** After a round starts the page refreshes every FOLLOW_EVERY_MS: for at least FOLLOW_AT_LEAST_MS (the round
 * may not have run yet), then while payouts are still on their way, for at most FOLLOW_AT_MOST_MS. */
const FOLLOW_EVERY_MS = 2000;
const FOLLOW_AT_LEAST_MS = 30_000; // a busy worker may take a while to reach the round
const FOLLOW_AT_MOST_MS = 90_000;

export function keepFollowing(startedAt: number, now: number, pending: boolean): boolean {
  const elapsed = now - startedAt;
  return elapsed < FOLLOW_AT_LEAST_MS || (pending && elapsed < FOLLOW_AT_MOST_MS);
}

export function roundMessage(started: PayoutRoundStarted, t: TFunction<"org"> = i18n.getFixedT(null, "org")): string {
  if (started.balances_due === 0) return t("payouts.round.nothing");
  const totals = started.due.map((d) => money(d.total)).join(" + ");
  return t("payouts.round.started", { count: started.balances_due, totals });
}

/** The round's button state and message, and `follow(pending)`: the refetch interval for what the page shows of the
 * payouts, every FOLLOW_EVERY_MS while the round is followed (see keepFollowing), else none. Call it from a query's
 * `refetchInterval` callback (it reads the clock), not while rendering. */
export function usePayOutNow() {
  const { t } = useTranslation("org");
  const gather = useGatherPayouts();
  const started = gather.data;
  const message = started ? { text: roundMessage(started, t), started: started.balances_due > 0 } : null;
  const followingSince = started && started.balances_due > 0 ? gather.submittedAt : null;
  const follow = useCallback(
    (pending: boolean) => (followingSince !== null && keepFollowing(followingSince, Date.now(), pending) ? FOLLOW_EVERY_MS : false),
    [followingSince],
  );
  const { mutate } = gather;
  const start = useCallback(() => mutate(), [mutate]);
  return { busy: gather.isPending, message, error: gather.error, start, follow };
}

/** What the round started (green), or that there was nothing to start (neutral). */
export function PayOutNowMessage({ message }: { message: { text: string; started: boolean } | null }) {
  if (!message) return null;
  return (
    <div className={`banner ${message.started ? "banner-ok" : "banner-info"}`} role="status">
      {message.text}
    </div>
  );
}

export function PayOutNowButton({ busy, onStart }: { busy: boolean; onStart: () => void }) {
  const { t } = useTranslation("org");
  return (
    <button className="btn btn-primary" disabled={busy} onClick={onStart} title={t("payouts.round.hint")}>
      {busy ? t("payouts.round.starting") : t("payouts.round.start")}
    </button>
  );
}
