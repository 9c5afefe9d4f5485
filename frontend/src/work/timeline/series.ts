/** Sensor time series in the browser: read from CSV (or rows of a Parquet file), and thinned for drawing. */

export interface Series {
  /** The time column's values, in seconds, as the file has them. */
  time: Float64Array;
  channels: { name: string; values: Float64Array }[];
}

function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      cells.push(cell);
      cell = "";
    } else cell += ch;
  }
  cells.push(cell);
  return cells.map((c) => c.trim());
}

/** A CSV with a header row: the time column (named, or the first) and every other numeric column as a channel. */
export function parseCsv(text: string, timeColumn: string | null): Series {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const header = splitCsvLine(lines[0] ?? "");
  const rows = lines.slice(1).map(splitCsvLine);
  const columns = header.map((_, i) => rows.map((r) => Number(r[i])));
  return fromColumns(header, columns, timeColumn);
}

/** Rows of objects (as a Parquet reader gives them) as a series. */
export function fromRows(rows: Record<string, unknown>[], timeColumn: string | null): Series {
  const header = Object.keys(rows[0] ?? {});
  const columns = header.map((h) => rows.map((r) => Number(r[h])));
  return fromColumns(header, columns, timeColumn);
}

function fromColumns(header: string[], columns: number[][], timeColumn: string | null): Series {
  const t = Math.max(0, timeColumn ? header.indexOf(timeColumn) : 0);
  const time = Float64Array.from(columns[t] ?? []);
  const channels = header
    .map((name, i) => ({ name, values: Float64Array.from(columns[i] ?? []) }))
    .filter((c, i) => i !== t && c.values.some((v) => Number.isFinite(v)));
  return { time, channels };
}

/** At most two points per bucket (each bucket's lowest and highest, in time order), so a long series draws as fast as
 * a short one and still shows its peaks. `buckets` is about the plot's width in pixels. */
export function downsample(time: ArrayLike<number>, values: ArrayLike<number>, buckets: number): { t: number[]; v: number[] } {
  const n = Math.min(time.length, values.length);
  if (n <= buckets * 2) {
    const t: number[] = [];
    const v: number[] = [];
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(values[i]!)) continue;
      t.push(time[i]!);
      v.push(values[i]!);
    }
    return { t, v };
  }
  const t: number[] = [];
  const v: number[] = [];
  const size = n / buckets;
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor(b * size);
    const to = Math.min(n, Math.floor((b + 1) * size));
    let lo = -1;
    let hi = -1;
    for (let i = from; i < to; i++) {
      const x = values[i]!;
      if (!Number.isFinite(x)) continue;
      if (lo < 0 || x < values[lo]!) lo = i;
      if (hi < 0 || x > values[hi]!) hi = i;
    }
    if (lo < 0) continue;
    for (const i of lo === hi ? [lo] : lo < hi ? [lo, hi] : [hi, lo]) {
      t.push(time[i]!);
      v.push(values[i]!);
    }
  }
  return { t, v };
}
