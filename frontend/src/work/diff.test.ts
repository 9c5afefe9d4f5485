import { describe, expect, it } from "vitest";
import { compareTexts, foldUnchanged, WORD_LIMIT, type DiffPart } from "./diff";

const rebuild = (parts: DiffPart[], side: "before" | "after") =>
  parts.filter((p) => p.kind === "same" || p.kind === (side === "before" ? "removed" : "added")).map((p) => p.text).join("");

function paragraphs(count: number, seed: number): string {
  const words = ["sky", "harbour", "lamp", "grey", "warm", "boat", "wind", "stone", "dusk", "gull", "rope", "tide"];
  let x = seed;
  const next = () => ((x = (x * 1103515245 + 12345) % 2 ** 31), x);
  return Array.from({ length: count }, () => Array.from({ length: 12 }, () => words[next() % words.length]).join(" ")).join("\n") + "\n";
}

describe("compareTexts", () => {
  it("compares short drafts word by word, and each side can be rebuilt from the parts", () => {
    const before = "the old grey lighthouse";
    const after = "the tall grey lighthouse at dusk";
    const { level, parts } = compareTexts(before, after);
    expect(level).toBe("words");
    expect(parts).toEqual([
      { kind: "same", text: "the " },
      { kind: "removed", text: "old" },
      { kind: "added", text: "tall" },
      { kind: "same", text: " grey lighthouse" },
      { kind: "added", text: " at dusk" },
    ]);
    expect(rebuild(parts, "before")).toBe(before);
    expect(rebuild(parts, "after")).toBe(after);
  });

  it("gives back an unchanged text as one part, and nothing for two empty ones", () => {
    expect(compareTexts("same words", "same words").parts).toEqual([{ kind: "same", text: "same words" }]);
    expect(compareTexts("", "").parts).toEqual([]);
    expect(compareTexts("", "new").parts).toEqual([{ kind: "added", text: "new" }]);
  });

  it("compares drafts over the word limit line by line", () => {
    const before = paragraphs(4_000, 1);
    expect(before.length).toBeGreaterThan(WORD_LIMIT);
    const lines = before.split("\n");
    lines[10] = "a line rewritten in the second draft";
    lines.splice(2_000, 0, "a line added in the middle");
    const after = lines.join("\n");
    const { level, parts } = compareTexts(before, after);
    expect(level).toBe("lines");
    expect(parts.filter((p) => p.kind !== "same").map((p) => p.text.trim())).toEqual([
      expect.stringContaining(before.split("\n")[10]!),
      "a line rewritten in the second draft",
      "a line added in the middle",
    ]);
    expect(rebuild(parts, "before")).toBe(before);
    expect(rebuild(parts, "after")).toBe(after);
  });

  it("shows two 200,000-character drafts that share nothing whole, quickly, instead of searching for edits", () => {
    const before = paragraphs(3_000, 7).slice(0, 200_000);
    const after = paragraphs(3_000, 8).slice(0, 200_000);
    const started = performance.now();
    const { level, parts } = compareTexts(before, after);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(["lines", "whole"]).toContain(level);
    expect(rebuild(parts, "before")).toBe(before);
    expect(rebuild(parts, "after")).toBe(after);
  });
});

describe("foldUnchanged", () => {
  const many = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag} ${i}\n`).join("");

  it("folds a long unchanged stretch between changes to three lines of context on each side", () => {
    const shown = foldUnchanged([
      { kind: "removed", text: "old\n" },
      { kind: "same", text: many(50, "kept") },
      { kind: "added", text: "new\n" },
    ]);
    expect(shown).toEqual([
      { kind: "removed", text: "old\n" },
      { kind: "same", text: many(3, "kept") },
      { kind: "folded", lines: 44, text: many(47, "kept").split("\n").slice(3, 47).map((l) => `${l}\n`).join("") },
      { kind: "same", text: "kept 47\nkept 48\nkept 49\n" },
      { kind: "added", text: "new\n" },
    ]);
  });

  it("keeps no context before the first change and after the last", () => {
    const shown = foldUnchanged([
      { kind: "same", text: many(20, "head") },
      { kind: "added", text: "new\n" },
      { kind: "same", text: many(20, "tail") },
    ]);
    expect(shown.map((p) => p.kind)).toEqual(["folded", "same", "added", "same", "folded"]);
    expect(shown[0]).toMatchObject({ kind: "folded", lines: 17 });
    expect(shown[1]).toEqual({ kind: "same", text: "head 17\nhead 18\nhead 19\n" });
    expect(shown[3]).toEqual({ kind: "same", text: "tail 0\ntail 1\ntail 2\n" });
    expect(shown[4]).toMatchObject({ kind: "folded", lines: 17 });
  });

  it("leaves short stretches as they are", () => {
    const parts: DiffPart[] = [
      { kind: "removed", text: "a" },
      { kind: "same", text: "one\ntwo\nthree\n" },
      { kind: "added", text: "b" },
    ];
    expect(foldUnchanged(parts)).toEqual(parts);
  });
});
