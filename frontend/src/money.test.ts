import { describe, expect, it } from "vitest";
import { exponentOf, fromMinor, major, money } from "./format";
import { describeEvent } from "./pages/Audit";
import { effectiveRate } from "./spec";
import type { AuditEvent } from "./api/types";

describe("money in the currency's own minor unit", () => {
  it("knows each currency's exponent", () => {
    expect([exponentOf("USD"), exponentOf("JPY"), exponentOf("KWD"), exponentOf("BHD")]).toEqual([2, 0, 3, 3]);
  });
  it("turns minor units into amounts without dividing by 100", () => {
    expect(fromMinor(2400, "USD")).toEqual({ amount: "24.00", currency: "USD" });
    expect(fromMinor(2400, "JPY")).toEqual({ amount: "2400", currency: "JPY" });
    expect(fromMinor(2400, "KWD")).toEqual({ amount: "2.400", currency: "KWD" });
    expect(money(fromMinor(12345, "BHD"))).toBe("BHD\u00a012.345");
    expect(money(fromMinor(900, "JPY"))).toBe("¥900");
  });
  it("writes a major-unit figure to the currency's precision", () => {
    expect(major(24, "USD").amount).toBe("24.00");
    expect(major(2400, "JPY").amount).toBe("2400");
    expect(major(2.4, "KWD").amount).toBe("2.400");
  });
  it("rounds an effective hourly rate to the currency's minor unit", () => {
    expect(effectiveRate("6.00", 15, "USD")).toBe(24);
    expect(effectiveRate("1.00", 7, "USD")).toBe(8.57);
    expect(effectiveRate("1000", 7, "JPY")).toBe(8571);
    expect(effectiveRate("1.000", 7, "KWD")).toBe(8.571);
  });
  it("shows an admin's bonus in its currency", () => {
    const bonus = (amount_minor: number, currency: string) => // Intl puts a no-break space after a code
      describeEvent({ action: "contribution.bonus", target_type: "contribution", details: { amount_minor, currency } } as unknown as AuditEvent);
    expect(bonus(500, "JPY")).toContain("¥500");
    expect(bonus(1500, "KWD")).toContain("KWD\u00a01.500");
  });
});
