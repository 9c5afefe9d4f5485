/** An item's timed files on its one clock, for the admin who posts it: an offset per file (seconds, may be negative)
 * and a preview of the tracks on one axis as the offsets are typed. Saved per file; the server refuses a change once
 * work on the item has started (the notes' times would mean another moment). */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { MediaFile } from "../api/types";
import { useSetFileOffset } from "../features/projects/api/set-file-offset";
import { formatClock, probeNumber } from "../work/anchors";
import { itemSpan } from "../work/timeline/clock";
import { ErrorBanner } from "./ui";

const TIMED = new Set(["audio", "video", "motion", "sensor"]);
export const MAX_OFFSET = 3600;

/** The offset typed, as seconds, or null when it is not a number within ±MAX_OFFSET. */
export function parseOffset(value: string): number | null {
  if (value.trim() === "") return null;
  const n = Number(value);
  return Number.isFinite(n) && Math.abs(n) <= MAX_OFFSET ? Math.round(n * 1000) / 1000 : null;
}

export function ItemTimeline({ projectId, files, editable }: { projectId: number; files: MediaFile[]; editable: boolean }) {
  const { t } = useTranslation("projects");
  const timed = files.filter((f) => TIMED.has(f.kind));
  const [typed, setTyped] = useState<Record<number, string>>({});
  const [saved, setSaved] = useState<string | null>(null);
  const save = useSetFileOffset(projectId);
  if (timed.length < 2) return null;

  const offsetOf = (f: MediaFile) => {
    const t = typed[f.id];
    return t === undefined ? f.offset_seconds : (parseOffset(t) ?? f.offset_seconds);
  };
  const tracks = timed.map((f) => ({ id: f.id, offset: offsetOf(f), duration: probeNumber(f.probe, "duration_seconds") ?? 0 }));
  const span = itemSpan(tracks);
  const length = Math.max(span.end - span.start, 0.001);
  const changed = timed.filter((f) => typed[f.id] !== undefined && parseOffset(typed[f.id]!) !== null && parseOffset(typed[f.id]!) !== f.offset_seconds);
  const invalid = timed.some((f) => typed[f.id] !== undefined && parseOffset(typed[f.id]!) === null);

  async function saveAll() {
    setSaved(null);
    for (const f of changed) await save.mutateAsync({ fileId: f.id, offsetSeconds: parseOffset(typed[f.id]!)! });
    setTyped({});
    setSaved(t("timeline.saved", { count: changed.length }));
  }

  return (
    <details className="item-timeline" data-testid="item-timeline">
      <summary className="small">
        {t("timeline.summary", { count: timed.length, length: formatClock(span.end - span.start) })}
      </summary>
      <div className="item-timeline-body">
        {timed.map((f) => {
          const track = tracks.find((t) => t.id === f.id)!;
          const bad = typed[f.id] !== undefined && parseOffset(typed[f.id]!) === null;
          return (
            <div className="item-track" key={f.id}>
              <label className="small inline-field item-track-field">
                <span className="item-track-name" title={f.name}>{f.name}</span>
                <input
                  type="number"
                  step={0.01}
                  min={-MAX_OFFSET}
                  max={MAX_OFFSET}
                  value={typed[f.id] ?? String(f.offset_seconds)}
                  disabled={!editable}
                  aria-label={t("timeline.offsetOf", { name: f.name })}
                  aria-invalid={bad}
                  onChange={(e) => setTyped((old) => ({ ...old, [f.id]: e.target.value }))}
                />
                {t("timeline.seconds")}
              </label>
              <div className="item-track-lane" aria-hidden="true">
                <div
                  className={`item-track-bar lane-${f.kind}`}
                  style={{ left: `${((track.offset - span.start) / length) * 100}%`, width: `${(track.duration / length) * 100}%` }}
                >
                  {t(`modality.${f.kind}`)} {formatClock(track.offset)}–{formatClock(track.offset + track.duration)}
                </div>
              </div>
            </div>
          );
        })}
        {invalid && <p className="error small">{t("timeline.invalid", { max: MAX_OFFSET })}</p>}
        <ErrorBanner error={save.error} />
        {editable && (
          <div className="row">
            <button type="button" className="btn" disabled={!changed.length || invalid || save.isPending} onClick={() => void saveAll().catch(() => undefined)}>
              {t("timeline.save")}
            </button>
            {saved && <span className="ok small" role="status">{saved}</span>}
            <span className="muted small">{t("timeline.fixed")}</span>
          </div>
        )}
      </div>
    </details>
  );
}
