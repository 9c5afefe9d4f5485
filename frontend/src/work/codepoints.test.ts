import { describe, expect, it } from "vitest";
import { codePointLength, sliceCodePoints, utf16Index } from "./codepoints";

// "🎨" and "𠀋" are outside the Basic Multilingual Plane: one code point, two UTF-16 units each.
const text = "a🎨b𠀋c é";

describe("code points", () => {
  it("counts code points, as Python's len() does", () => {
    expect(text.length).toBe(9);
    expect(codePointLength(text)).toBe(7);
    expect(codePointLength("")).toBe(0);
  });

  it("finds where a code point starts in the browser's string", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((n) => utf16Index(text, n))).toEqual([0, 1, 3, 4, 6, 7, 8, 9]);
    expect(utf16Index(text, 99)).toBe(9);
  });

  it("slices as Python slices", () => {
    // Python: "a🎨b𠀋c é"[1:4] == "🎨b𠀋"
    expect(sliceCodePoints(text, 1, 4)).toBe("🎨b𠀋");
    expect(sliceCodePoints(text, 4)).toBe("c é");
  });

  it("counts a lone surrogate as one code point, as Python does", () => {
    expect(codePointLength("x\ud800y")).toBe(3);
    expect(sliceCodePoints("x\ud800y", 2)).toBe("y");
  });
});
