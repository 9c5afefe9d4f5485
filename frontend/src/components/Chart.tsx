/** A stacked horizontal bar per row, drawn in SVG: enough chart for progress at a glance. */
import { useTranslation } from "react-i18next";
import { count } from "../format";

export interface Segment {
  label: string;
  value: number;
  tone: string;
}

const TONES: Record<string, string> = {
  green: "#16a34a",
  blue: "#4f46e5",
  amber: "#d97706",
  red: "#dc2626",
  grey: "#cbd5e1",
  teal: "#0d9488",
};

/** One bar: its title, and what to print after it (`caption`; the sum of its segments when absent). */
export interface BarRow {
  title: string;
  caption?: string;
  segments: Segment[];
}

export function StackedBars({ rows }: { rows: BarRow[] }) {
  const { t } = useTranslation();
  const width = 520;
  const barHeight = 22;
  const gap = 34;
  const height = rows.length * (barHeight + gap);
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={t("chart.progress")} width="100%">
        {rows.map((row, r) => {
          const total = row.segments.reduce((sum, s) => sum + s.value, 0);
          let x = 0;
          const y = r * (barHeight + gap) + 18;
          return (
            <g key={row.title}>
              <text x={0} y={y - 6} className="chart-title">
                {row.title} · {row.caption ?? count(total)}
              </text>
              <rect x={0} y={y} width={width} height={barHeight} rx={5} fill="#eef2f7" />
              {total > 0 &&
                row.segments.map((s) => {
                  const w = (s.value / total) * width;
                  const rect = (
                    <rect key={s.label} x={x} y={y} width={w} height={barHeight} fill={TONES[s.tone] ?? TONES.grey}>
                      <title>{`${s.label}: ${s.value}`}</title>
                    </rect>
                  );
                  x += w;
                  return rect;
                })}
            </g>
          );
        })}
      </svg>
      <figcaption className="legend">
        {Array.from(new Map(rows.flatMap((r) => r.segments).map((s) => [s.label, s])).values()).map((s) => (
          <span key={s.label} className="legend-item">
            <svg width="10" height="10" aria-hidden="true">
              <rect width="10" height="10" rx="2" fill={TONES[s.tone] ?? TONES.grey} />
            </svg>
            {s.label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
