import { describe, expect, it } from "vitest";
import { answerText, comparableFields } from "./GoldPanel";

describe("gold answers", () => {
  it("offers ratings and single choices only", () => {
    const spec = {
      fields: [
        { key: "intent", type: "intent", label: "Intent" },
        { key: "mood", type: "choice", label: "Mood", options: ["calm", "tense"] },
        { key: "tags", type: "choice", label: "Tags", options: ["a", "b"], multiple: true },
        { key: "quality", type: "rating", label: "Quality", min: 1, max: 5 },
      ],
    };
    expect(comparableFields({ output_spec: spec }).map((f) => f.key)).toEqual(["mood", "quality"]);
    expect(comparableFields({ output_spec: {} })).toEqual([]);
  });
  it("writes known answers in one line", () => {
    expect(answerText({ mood: "calm", quality: 4, tags: ["a", "b"] })).toBe("mood: calm · quality: 4 · tags: a, b");
    expect(answerText(null)).toBe("");
  });
});
