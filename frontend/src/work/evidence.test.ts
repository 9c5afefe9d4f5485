import { describe, expect, it } from "vitest";
import { typedBy, typedShare } from "./evidence";

describe("process evidence", () => {
  it("counts printable keys and Enter, not shortcuts or editing keys", () => {
    const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) =>
      typedBy({ key: k, ctrlKey: false, metaKey: false, altKey: false, ...mods });
    expect([key("a"), key("Enter"), key(" "), key("Backspace"), key("ArrowLeft"), key("v", { ctrlKey: true })]).toEqual([1, 1, 1, 0, 0, 0]);
  });
  it("says the typed share only when there was text", () => {
    expect(typedShare(85, 15)).toBe("85% typed");
    expect(typedShare(0, 0)).toBe("");
  });
});
