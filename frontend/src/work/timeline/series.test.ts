import { describe, expect, it } from "vitest";
import { downsample, fromRows, parseCsv } from "./series";

describe("sensor series", () => {
  it("reads a CSV's time column and numeric channels", () => {
    const s = parseCsv('t,"acc x",label,gyro\n0,1,a,5\n0.5,2,b,6\n1,3,c,7\n', "t");
    expect(Array.from(s.time)).toEqual([0, 0.5, 1]);
    expect(s.channels.map((c) => c.name)).toEqual(["acc x", "gyro"]);
    expect(Array.from(s.channels[1]!.values)).toEqual([5, 6, 7]);
  });

  it("takes the first column as time when none is named, and rows of objects (Parquet) alike", () => {
    expect(Array.from(parseCsv("time,a\n2,1\n3,1", null).time)).toEqual([2, 3]);
    const s = fromRows([{ ts: 0n, v: 1.5 }, { ts: 1n, v: 2.5 }], "ts");
    expect(Array.from(s.time)).toEqual([0, 1]);
    expect(Array.from(s.channels[0]!.values)).toEqual([1.5, 2.5]);
  });

  it("thins a long series to each bucket's extremes, in time order", () => {
    const n = 10_000;
    const time = Array.from({ length: n }, (_, i) => i / 100);
    const values = time.map((t, i) => (i === 5_000 ? 99 : Math.sin(t)));
    const { t, v } = downsample(time, values, 100);
    expect(t.length).toBeLessThanOrEqual(200);
    expect(Math.max(...v)).toBe(99);
    expect(t.every((x, i) => i === 0 || x >= t[i - 1]!)).toBe(true);
    // A short series is kept whole.
    expect(downsample([0, 1, 2], [1, 2, 3], 100).t).toEqual([0, 1, 2]);
  });
});
