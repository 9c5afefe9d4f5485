import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { AntiCollapseCard, collapseRows, formatLabel, modalityRows, percent } from "./Datasets";

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

describe("the anti-collapse chart", () => {
  const none = { records_measured: 6, sampled: false, near_duplicate_records: 0, machine_made_share: 0, contributor_diversity_histogram: {} };

  it("titles each bar with its own figure, not the records measured", () => {
    const rows = collapseRows(none);
    expect(rows.map((r) => `${r.title} · ${r.caption}`)).toEqual([
      "Near-duplicates across contributors · 0 of 6 (0%)",
      "Declared machine-made · 0 of 6 (0%)",
    ]);
    const some = collapseRows({ ...none, records_measured: 10, near_duplicate_records: 3, machine_made_share: 0.2, contributor_diversity_histogram: { "0-0.25": 1, "0.75-1": 2 } });
    expect(some.map((r) => r.caption)).toEqual(["3 of 10 (30%)", "2 of 10 (20%)", "3 contributors"]);
  });

  it("draws every bar with its own legend", () => {
    const html = renderToStaticMarkup(createElement(AntiCollapseCard, { m: { ...none, contributor_diversity_histogram: { "0-0.25": 1, "0.75-1": 2 } } }));
    expect(html).not.toContain("Declared machine-made · 6");
    expect(html).toContain("Declared machine-made · 0 of 6 (0%)");
    const legends = html.split("<figcaption").slice(1).map((f) => f.slice(0, f.indexOf("</figcaption>")));
    expect(legends).toHaveLength(3);
    expect(legends[0]).toContain("near-duplicate");
    expect(legends[0]).not.toContain("machine-made");
    expect(legends[1]).toContain("machine-made");
    expect(legends[1]).not.toContain("near-duplicate");
    expect(legends[2]).toContain("0-0.25");
  });
});
