import { describe, expect, it } from "vitest";
import { parseOffset } from "./ItemTimeline";

describe("an offset typed on the item's clock", () => {
  it("is seconds within an hour either way, to the millisecond", () => {
    expect(parseOffset("0.5")).toBe(0.5);
    expect(parseOffset("-3600")).toBe(-3600);
    expect(parseOffset("1.23456")).toBe(1.235);
  });

  it("is refused when empty, not a number or out of range", () => {
    expect(parseOffset("")).toBeNull();
    expect(parseOffset("abc")).toBeNull();
    expect(parseOffset("3600.5")).toBeNull();
  });
});
