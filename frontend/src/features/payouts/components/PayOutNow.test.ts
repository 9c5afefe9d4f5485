import { describe, expect, it } from "vitest";
import { keepFollowing, roundMessage } from "./PayOutNow";

describe("pay out now", () => {
  it("says how many balances the round pays and their totals", () => {
    const started = {
      round: "r",
      task: "workers.gather_payouts",
      balances_due: 3,
      due: [
        { balances: 2, total: { amount: "38.00", currency: "USD" } },
        { balances: 1, total: { amount: "12.50", currency: "EUR" } },
      ],
    };
    expect(roundMessage(started)).toBe(
      "Payout round started: 3 balances, $38.00 + €12.50. Each is paid once; the list below follows them to the provider.",
    );
  });
  it("says when there is nothing to pay", () => {
    expect(roundMessage({ round: "r", task: "t", balances_due: 0, due: [] })).toMatch(/^Nothing to pay out now/);
  });
  it("follows the round for ten seconds, then while payouts are on their way, for at most ninety", () => {
    expect(keepFollowing(0, 5_000, false)).toBe(true);
    expect(keepFollowing(0, 20_000, false)).toBe(true); // the round may not have run yet
    expect(keepFollowing(0, 32_000, false)).toBe(false);
    expect(keepFollowing(0, 60_000, true)).toBe(true);
    expect(keepFollowing(0, 95_000, true)).toBe(false);
  });
});
