import { describe, expect, it } from "vitest";
import { methodState } from "./PayoutMethods";

const base = { status: "active", review: "clear", hold_until: "2026-12-01T00:00:00Z", is_default: true } as const;
const now = Date.parse("2026-12-02T00:00:00Z");

describe("methodState", () => {
  it("says what stands between a method and a payout", () => {
    expect(methodState({ ...base, status: "unverified" }, now).label).toBe("Waiting for verification");
    expect(methodState({ ...base, review: "held" }, now).detail).toContain("differs from your profile");
    expect(methodState({ ...base, hold_until: "2026-12-03T00:00:00Z" }, now).label).toBe("On hold");
    expect(methodState(base, now)).toMatchObject({ label: "Paid here", tone: "green" });
    expect(methodState({ ...base, is_default: false }, now).label).toBe("Ready");
  });
});
