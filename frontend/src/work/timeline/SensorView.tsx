/** A sensor time series (CSV, or Parquet read in the browser with hyparquet): its channels plotted one above the
 * other on a canvas, thinned to the plot's width, with a cursor at the file's own time. The file's time 0 is its first
 * sample. A click on the plot seeks there. */
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { TaskFile } from "../MediaViewer";
import { useFileData } from "../useFileData";
import { probeString } from "../anchors";
import { downsample, fromRows, parseCsv, type Series } from "./series";

const COLOURS = ["#4f46e5", "#0891b2", "#c2410c", "#15803d", "#a21caf", "#b45309", "#be123c", "#334155"];
const MAX_CHANNELS = 8;
const ROW = 44;

async function readSeries(response: Response, file: TaskFile): Promise<Series> {
  const timeColumn = probeString(file.probe, "time_column");
  const parquet = probeString(file.probe, "format") === "parquet" || file.content_type === "application/vnd.apache.parquet" || file.name.endsWith(".parquet");
  if (!parquet) return parseCsv(await response.text(), timeColumn);
  const { parquetReadObjects } = await import("hyparquet");
  const rows = await parquetReadObjects({ file: await response.arrayBuffer() });
  return fromRows(rows, timeColumn);
}

export function SensorView({ file, time, onSeek }: { file: TaskFile; time: number; onSeek: (local: number) => void }) {
  const { t } = useTranslation("work");
  const canvas = useRef<HTMLCanvasElement>(null);
  const cursor = useRef<HTMLDivElement>(null);
  const shown = useFileData(file, "series", (response) => readSeries(response, file));
  const series = shown.state === "ready" ? shown.value : null;
  const t0 = series?.time[0] ?? 0;
  const t1 = series && series.time.length ? series.time[series.time.length - 1]! : 1;

  // The plot, drawn again when the data or the width changes.
  useEffect(() => {
    const el = canvas.current;
    if (!el || !series) return;
    const draw = () => {
      const width = el.clientWidth;
      const channels = series.channels.slice(0, MAX_CHANNELS);
      const height = channels.length * ROW;
      const ratio = window.devicePixelRatio || 1;
      el.width = Math.round(width * ratio);
      el.height = Math.round(height * ratio);
      el.style.height = `${height}px`;
      const g = el.getContext("2d");
      if (!g) return;
      g.setTransform(ratio, 0, 0, ratio, 0, 0);
      g.clearRect(0, 0, width, height);
      g.font = "10px system-ui, sans-serif";
      const span = Math.max(t1 - t0, 1e-9);
      channels.forEach((c, row) => {
        const { t, v } = downsample(series.time, c.values, Math.max(50, Math.round(width)));
        const lo = Math.min(...v);
        const hi = Math.max(...v);
        const top = row * ROW + 4;
        const h = ROW - 8;
        g.strokeStyle = "#e5e7eb";
        g.beginPath();
        g.moveTo(0, row * ROW + ROW - 0.5);
        g.lineTo(width, row * ROW + ROW - 0.5);
        g.stroke();
        g.strokeStyle = COLOURS[row % COLOURS.length]!;
        g.lineWidth = 1.25;
        g.beginPath();
        v.forEach((y, i) => {
          const px = ((t[i]! - t0) / span) * width;
          const py = top + h - (hi > lo ? ((y - lo) / (hi - lo)) * h : h / 2);
          if (i === 0) g.moveTo(px, py);
          else g.lineTo(px, py);
        });
        g.stroke();
        g.fillStyle = "#374151";
        g.fillText(`${c.name}  ${lo.toPrecision(3)} … ${hi.toPrecision(3)}`, 4, top + 9);
      });
    };
    draw();
    const observer = new ResizeObserver(draw);
    observer.observe(el);
    return () => observer.disconnect();
  }, [series, t0, t1]);

  // The cursor, moved without drawing the plot again.
  useEffect(() => {
    if (!cursor.current) return;
    const f = (time - 0) / Math.max(t1 - t0, 1e-9);
    cursor.current.style.left = `${Math.min(100, Math.max(0, f * 100))}%`;
    cursor.current.hidden = f < 0 || f > 1;
  }, [time, t0, t1]);

  if (shown.state === "loading") return <p className="muted small">{t("sensor.loading")}</p>;
  if (shown.state === "failed") return <p className="banner banner-error" role="alert">{t("files.unreadable", { name: file.name, message: shown.message })}</p>;
  const { channels } = shown.value;
  return (
    <div className="sensor-view" data-testid="sensor-view">
      <div
        className="sensor-plot"
        onClick={(e) => {
          const box = e.currentTarget.getBoundingClientRect();
          onSeek(((e.clientX - box.left) / box.width) * (t1 - t0));
        }}
      >
        <canvas ref={canvas} className="sensor-canvas" role="img" aria-label={t("sensor.plot", { name: file.name, channels: channels.map((c) => c.name).join(", "), seconds: t1 - t0 })} />
        <div ref={cursor} className="sensor-cursor" aria-hidden="true" />
      </div>
      <p className="muted small">
        {t(channels.length > MAX_CHANNELS ? "sensor.summaryCapped" : "sensor.summary", {
          samples: shown.value.time.length,
          channels: channels.length,
          max: MAX_CHANNELS,
          time,
        })}
      </p>
    </div>
  );
}
