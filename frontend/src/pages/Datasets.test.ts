import { describe, expect, it } from "vitest";
import { collapseRows, formatLabel, modalityRows, percent } from "./Datasets";

describe("datasets page helpers", () => {
  it("names the formats", () => {
    expect(formatLabel("hf")).toBe("Hugging Face");
    expect(formatLabel("webdataset")).toBe("WebDataset");
    expect(formatLabel("csv")).toBe("csv");
  });
  it("shows a built version as complete whatever its counters", () => {
    expect(percent({ state: "built", progress: 0.5 })).toBe(100);
    expect(percent({ state: "building", progress: 0.3333 })).toBe(33);
  });
  it("draws each kind of media against the records without it", () => {
    expect(modalityRows({ image: 3, text: 5 }, 5)).toEqual([
      { title: "image", segments: [{ label: "with image", value: 3, tone: "blue" }, { label: "without", value: 2, tone: "grey" }] },
      { title: "text", segments: [{ label: "with text", value: 5, tone: "green" }, { label: "without", value: 0, tone: "grey" }] },
    ]);
  });
  it("draws the anti-collapse figures as parts of the measured records", () => {
    const rows = collapseRows({
      records_measured: 10,
      sampled: false,
      near_duplicate_records: 3,
      machine_made_share: 0.2,
      contributor_diversity_histogram: { "0-0.25": 1, "0.25-0.5": 0, "0.5-0.75": 2, "0.75-1": 4 },
    });
    expect(rows[0]!.segments.map((s) => s.value)).toEqual([3, 7]);
    expect(rows[1]!.segments.map((s) => s.value)).toEqual([2, 8]);
    expect(rows[2]!.segments.map((s) => s.value)).toEqual([1, 0, 2, 4]);
  });
});
