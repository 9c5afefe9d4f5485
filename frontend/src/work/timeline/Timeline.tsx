/** The timed files of one item (audio, video, motion, sensor) on the item's one clock: a transport that drives every
 * player, a lane per track on one axis (the audio's waveform, a bar for the others), and the notes' time ranges drawn
 * across the lanes (a range without a file is on every track; one with a file on that track only). Drag on a lane to
 * mark a range, drag a range to move it or its edges to resize it; `[` and `]` mark one at the playhead. */
import { lazy, Suspense, useEffect, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent } from "react";
import { useTranslation } from "react-i18next";
import { count } from "../../format";
import type { Note } from "../merge";
import type { Anchor, TaskFile } from "../MediaViewer";
import { useStableSource } from "../MediaViewer";
import { PENDING, Waveform, hundredths } from "../Waveform";
import { RangeList } from "../RangeList";
import { asJoint, asTime, formatClock, probeNumber, probeString } from "../anchors";
import { clamp, isInside, itemSpan, localTime, syncMedia, type Track } from "./clock";
import { useItemClock } from "./useItemClock";
import { SensorView } from "./SensorView";

const MotionView = lazy(() => import("../three/MotionView"));

const RATES = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 2];
const STEP = 1 / 30;
const EDGE_PX = 6;

/** The timed kinds in words (a key of the `work` catalogue); another kind is shown as the server names it. */
const KIND: Record<string, `kind.${"audio" | "video" | "motion" | "sensor"}` | undefined> = {
  audio: "kind.audio",
  video: "kind.video",
  motion: "kind.motion",
  sensor: "kind.sensor",
};

export const isTimed = (f: TaskFile) => f.kind === "audio" || f.kind === "video" || f.kind === "motion" || f.kind === "sensor";
export const offsetOf = (f: TaskFile) => f.offset_seconds ?? 0;
const frameRateOf = (f: TaskFile) => probeNumber(f.probe, "frame_rate") ?? 30;

interface ShownRange {
  id: string;
  file?: number;
  start: number;
  end: number;
  label: string;
}

type Drag =
  | { mode: "create"; lane: number; from: number; to: number; x0: number }
  | { mode: "move" | "start" | "end"; range: ShownRange; grab: number; start: number; end: number; x0: number };

function typing(target: EventTarget | null): boolean {
  const el = target instanceof HTMLElement ? target : null;
  return !!el && (["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName) || el.isContentEditable);
}

export function Timeline({
  files,
  notes,
  pending,
  onAnchor,
  onReanchor,
  readOnly = false,
}: {
  files: TaskFile[];
  notes: Note[];
  pending: Anchor | null;
  onAnchor: (a: Anchor | null) => void;
  onReanchor: (noteId: string, a: Anchor | null) => void;
  readOnly?: boolean;
}) {
  const { t } = useTranslation("work");
  const kindOf = (f: TaskFile) => {
    const key = KIND[f.kind];
    return key ? t(key) : f.kind;
  };
  const [durations, setDurations] = useState<Record<number, number>>({});
  const tracks: Track[] = files.map((f) => ({ id: f.id, offset: offsetOf(f), duration: durations[f.id] ?? probeNumber(f.probe, "duration_seconds") ?? 0 }));
  const span = itemSpan(tracks);
  const clock = useItemClock(span);
  const { time, playing, rate } = clock;
  const media = useRef(new Map<number, HTMLMediaElement>());
  const [audioEls, setAudioEls] = useState<Record<number, HTMLMediaElement | null>>({});
  const [target, setTarget] = useState<"all" | number>("all");
  const [markStart, setMarkStart] = useState<number | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [drag, setDrag] = useState<Drag | null>(null);
  const length = Math.max(span.end - span.start, 0.001);
  const pct = (t: number) => `${((t - span.start) / length) * 100}%`;
  const lo = Math.max(0, span.start);
  const anchorRange = (from: number, to: number, file?: number): Anchor => {
    const [a, b] = [hundredths(clamp(Math.min(from, to), lo, span.end)), hundredths(clamp(Math.max(from, to), lo, span.end))];
    return file === undefined ? { type: "time", start: a, end: b } : { type: "time", file, start: a, end: b };
  };

  // Every media element follows the clock: sought to the item's time less its offset, paused outside its span.
  useEffect(() => {
    for (const track of tracks) {
      const el = media.current.get(track.id);
      if (el) syncMedia(el, track, time, playing, rate);
    }
  });

  const ids = new Set(files.map((f) => f.id));
  const ranges: ShownRange[] = [];
  notes.forEach((n, i) => {
    const a = asTime(n.anchor);
    if (a && (a.file === undefined || ids.has(a.file))) ranges.push({ id: n.id, file: a.file, start: a.start, end: a.end, label: String(i + 1) });
  });
  const p = asTime(pending);
  if (p && (p.file === undefined || ids.has(p.file))) ranges.push({ id: PENDING, file: p.file, start: p.start, end: p.end, label: t("marks.new") });
  // The range being dragged is drawn where the pointer has it.
  const shown = ranges.map((r) =>
    drag && drag.mode !== "create" && drag.range.id === r.id ? { ...r, start: drag.start, end: drag.end } : r,
  );
  const jointMarks = notes
    .map((n, i) => ({ joint: asJoint(n.anchor), label: String(i + 1) }))
    .filter((x) => x.joint && x.joint.frame !== undefined);

  function commit(r: ShownRange, start: number, end: number) {
    const a = anchorRange(start, end, r.file);
    if (r.id === PENDING) onAnchor(a);
    else onReanchor(r.id, a);
  }
  function remove(id: string) {
    if (id === PENDING) onAnchor(null);
    else onReanchor(id, null);
    setSelected(null);
  }
  function mark(kind: "start" | "end") {
    const now = hundredths(clock.time);
    if (kind === "start") return setMarkStart(now);
    onAnchor(anchorRange(markStart ?? lo, now, target === "all" ? undefined : target));
    setSelected(PENDING);
    setMarkStart(null);
  }

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (typing(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      const onButton = e.target instanceof HTMLElement && ["BUTTON", "A"].includes(e.target.tagName);
      if (e.key === " " && !onButton) {
        e.preventDefault();
        clock.toggle();
      } else if ((e.key === "ArrowLeft" || e.key === "ArrowRight") && !(e.target instanceof HTMLCanvasElement)) {
        // (A focused 3D view orbits with the arrow keys instead.)
        e.preventDefault();
        clock.step((e.key === "ArrowLeft" ? -1 : 1) * (e.shiftKey ? 1 : STEP));
      } else if (!readOnly && e.key === "[") mark("start");
      else if (!readOnly && e.key === "]") mark("end");
      else if (!readOnly && (e.key === "Delete" || e.key === "Backspace") && selected) {
        e.preventDefault();
        remove(selected);
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  // --- Pointer on the lanes: a click seeks, a drag marks, moves or resizes a range. Captured before the waveform
  // sees it, so the lanes behave the same whatever they draw.
  const timeAt = (e: { clientX: number }, area: HTMLElement) => {
    const box = area.getBoundingClientRect();
    return span.start + clamp((e.clientX - box.left) / Math.max(1, box.width), 0, 1) * length;
  };
  function down(e: ReactPointerEvent<HTMLDivElement>, lane: number) {
    if (e.button !== 0) return;
    e.stopPropagation();
    e.preventDefault();
    const area = e.currentTarget;
    area.setPointerCapture(e.pointerId);
    const at = timeAt(e, area);
    const box = area.getBoundingClientRect();
    const px = (t: number) => box.left + ((t - span.start) / length) * box.width;
    const hit = shown
      .filter((r) => r.file === undefined || r.file === lane)
      .find((r) => e.clientX >= px(r.start) - EDGE_PX && e.clientX <= px(r.end) + EDGE_PX);
    if (hit) {
      setSelected(hit.id);
      if (readOnly) return clock.seek(at);
      const mode = Math.abs(e.clientX - px(hit.start)) <= EDGE_PX ? "start" : Math.abs(e.clientX - px(hit.end)) <= EDGE_PX ? "end" : "move";
      setDrag({ mode, range: hit, grab: at, start: hit.start, end: hit.end, x0: e.clientX });
      return;
    }
    setDrag({ mode: "create", lane, from: at, to: at, x0: e.clientX });
  }
  function move(e: ReactPointerEvent<HTMLDivElement>) {
    if (!drag) return;
    const at = timeAt(e, e.currentTarget);
    if (drag.mode === "create") return setDrag({ ...drag, to: at });
    const { range } = drag;
    if (drag.mode === "move") {
      const d = clamp(at - drag.grab, lo - range.start, span.end - range.end);
      setDrag({ ...drag, start: range.start + d, end: range.end + d });
    } else if (drag.mode === "start") setDrag({ ...drag, start: Math.min(at, drag.end - 0.05) });
    else setDrag({ ...drag, end: Math.max(at, drag.start + 0.05) });
  }
  function up(e: ReactPointerEvent<HTMLDivElement>) {
    if (!drag) return;
    const moved = Math.abs(e.clientX - drag.x0) > 3;
    setDrag(null);
    if (drag.mode === "create") {
      if (!moved || readOnly) return clock.seek(drag.to);
      const file = target === "all" ? undefined : drag.lane;
      if (target !== "all") setTarget(drag.lane);
      onAnchor(anchorRange(drag.from, drag.to, file));
      setSelected(PENDING);
      return;
    }
    // A click on a range selects it and seeks there (ranges cover the lanes: a click inside one still scrubs).
    if (moved) commit(drag.range, drag.start, drag.end);
    else clock.seek(drag.grab);
  }

  const trackOf = (id: number) => tracks.find((x) => x.id === id)!;
  const local = (f: TaskFile) => localTime(time, offsetOf(f));
  const setDuration = (id: number, seconds: number) =>
    setDurations((d) => (Number.isFinite(seconds) && seconds > 0 && d[id] !== seconds ? { ...d, [id]: seconds } : d));
  const creating = drag && drag.mode === "create" ? { from: Math.min(drag.from, drag.to), to: Math.max(drag.from, drag.to), lane: drag.lane } : null;
  const nameOf = (id: number | undefined) => (id === undefined ? t("timeline.everyTrack") : (files.find((f) => f.id === id)?.name ?? "?"));

  return (
    <div className="timeline" data-testid="timeline">
      <div className="timeline-players">
        {files.map((f) => {
          const inside = isInside(trackOf(f.id), time);
          return (
            <figure key={f.id} className={`player player-${f.kind} ${inside ? "" : "player-outside"}`} data-testid={`player-${f.name}`} data-inside={inside}>
              <figcaption className="small">
                <strong>{f.name}</strong> <span className="muted">{kindOf(f)} · {t("timeline.at", { time: formatClock(offsetOf(f)) })}{!inside && <> · {t("timeline.notPlaying")}</>}</span>
              </figcaption>
              {(f.kind === "video" || f.kind === "audio") && (
                <TimedMedia
                  file={f}
                  onElement={(el) => {
                    if (el) media.current.set(f.id, el);
                    else media.current.delete(f.id);
                    if (f.kind === "audio") setAudioEls((old) => (old[f.id] === el ? old : { ...old, [f.id]: el }));
                  }}
                  onDuration={(s) => setDuration(f.id, s)}
                />
              )}
              {f.kind === "motion" && probeString(f.probe, "format") !== "c3d" && (
                <Suspense fallback={<p className="muted small">{t("media.loading3d")}</p>}>
                  <MotionView file={f} time={local(f)} notes={notes} pending={pending} onAnchor={onAnchor} readOnly={readOnly} onDuration={(s) => setDuration(f.id, s)} />
                </Suspense>
              )}
              {f.kind === "motion" && probeString(f.probe, "format") === "c3d" && <C3dFacts file={f} />}
              {f.kind === "sensor" && <SensorView file={f} time={local(f)} onSeek={(s) => clock.seek(s + offsetOf(f))} />}
            </figure>
          );
        })}
      </div>

      <div className="transport" role="toolbar" aria-label={t("timeline.transport")}>
        <button type="button" className="btn btn-primary" onClick={() => clock.toggle()} aria-label={playing ? t("timeline.pause") : t("timeline.play")} aria-keyshortcuts="Space" data-testid="play">
          {playing ? t("timeline.pause") : t("timeline.play")}
        </button>
        <kbd aria-hidden="true">{t("keys.space")}</kbd>
        <button type="button" className="btn btn-ghost" aria-label={t("timeline.stepBack")} onClick={() => clock.step(-STEP)}>←</button>
        <button type="button" className="btn btn-ghost" aria-label={t("timeline.stepForward")} onClick={() => clock.step(STEP)}>→</button>
        <span className="transport-time" data-testid="item-time" aria-live="off">
          {formatClock(time)} / {formatClock(span.end)}
        </span>
        <label className="small inline-field grow">
          <span className="sr-only">{t("timeline.itemTime")}</span>
          <input
            type="range"
            className="scrub"
            aria-label={t("timeline.itemTime")}
            min={span.start}
            max={span.end}
            step={0.01}
            value={time}
            onChange={(e) => clock.seek(Number(e.target.value))}
          />
        </label>
        <label className="small inline-field">
          {t("av.speed")}
          <select value={rate} onChange={(e) => clock.setRate(Number(e.target.value))}>
            {RATES.map((r) => <option key={r} value={r}>{t("av.rate", { rate: r })}</option>)}
          </select>
        </label>
      </div>

      <div className="lanes" data-testid="lanes">
        {files.map((f) => {
          const track = trackOf(f.id);
          const bar = { left: pct(track.offset), width: `${(Math.max(track.duration, 0) / length) * 100}%` };
          const inside = isInside(track, time);
          return (
            <div key={f.id} className={`lane lane-${f.kind} ${target === f.id ? "lane-target" : ""}`} data-testid={`lane-${f.name}`}>
              <div className="lane-label small" title={f.name}>{f.name}</div>
              <div
                className="lane-area"
                onPointerDownCapture={(e) => down(e, f.id)}
                onPointerMove={move}
                onPointerUp={up}
                onPointerCancel={() => setDrag(null)}
              >
                <div className={`lane-bar ${inside ? "" : "lane-bar-outside"}`} style={bar}>
                  {f.kind === "audio" && audioEls[f.id] ? (
                    <Waveform
                      media={audioEls[f.id] ?? null}
                      decode
                      duration={track.duration}
                      ranges={[]}
                      selected={null}
                      editable={false}
                      zoom={0}
                      rate={rate}
                      onCreate={() => undefined}
                      onChange={() => undefined}
                      onSelect={() => undefined}
                    />
                  ) : (
                    <span className="lane-bar-name small">{kindOf(f)}</span>
                  )}
                </div>
                {f.kind === "motion" &&
                  jointMarks
                    .filter((m) => m.joint!.file === f.id)
                    .map((m) => {
                      const fps = frameRateOf(f);
                      return (
                        <span key={m.label} className="joint-mark" title={t("timeline.jointMark", { label: m.label, joint: m.joint!.joint })} style={{ left: pct(track.offset + (m.joint!.frame ?? 0) / fps) }}>
                          {m.label}
                        </span>
                      );
                    })}
                {shown
                  .filter((r) => r.file === undefined || r.file === f.id)
                  .map((r) => (
                    <div
                      key={r.id}
                      className={`lane-range ${r.id === PENDING ? "lane-range-pending" : ""} ${r.id === selected ? "lane-range-selected" : ""} ${r.file === undefined ? "lane-range-all" : ""}`}
                      data-range={r.id}
                      style={{ left: pct(r.start), width: `${((r.end - r.start) / length) * 100}%` }}
                    >
                      <span className="lane-range-label">{r.label}</span>
                    </div>
                  ))}
                {creating && (target === "all" || creating.lane === f.id) && (
                  <div className="lane-range lane-range-pending" style={{ left: pct(creating.from), width: `${((creating.to - creating.from) / length) * 100}%` }} />
                )}
                <div className="lane-playhead" style={{ left: pct(time) }} />
              </div>
            </div>
          );
        })}
      </div>

      <div className="viewer-tools" role="toolbar" aria-label={t("ranges.toolbar")}>
        {!readOnly && (
          <>
            <label className="small inline-field">
              {t("timeline.target")}
              <select value={String(target)} onChange={(e) => setTarget(e.target.value === "all" ? "all" : Number(e.target.value))}>
                <option value="all">{t("timeline.targetAll")}</option>
                {files.map((f) => <option key={f.id} value={f.id}>{t("timeline.targetOne", { name: f.name })}</option>)}
              </select>
            </label>
            <button type="button" className="btn" onClick={() => mark("start")}>{t("ranges.markStart")} <kbd>[</kbd></button>
            <button type="button" className="btn" onClick={() => mark("end")}>{t("ranges.markEnd")} <kbd>]</kbd></button>
          </>
        )}
      </div>
      {!readOnly && (
        <p className="muted small">
          {markStart !== null ? t("timeline.marking", { start: formatClock(markStart) }) : t("timeline.hint")}
        </p>
      )}
      <RangeList
        ranges={shown}
        selected={selected}
        readOnly={readOnly}
        describe={(r) => t("timeline.range", { start: formatClock(r.start), end: formatClock(r.end), track: nameOf(r.file) })}
        onPick={(r) => {
          setSelected(r.id);
          clock.seek(r.start);
        }}
        onRemove={remove}
      />
    </div>
  );
}

/** A video shown (or an audio element, hidden: its lane is its face), played only by the timeline's clock. */
function TimedMedia({ file, onElement, onDuration }: { file: TaskFile; onElement: (el: HTMLMediaElement | null) => void; onDuration: (s: number) => void }) {
  const source = useStableSource(file.id, file.download_url);
  const Tag = file.kind === "video" ? "video" : "audio";
  // The element is handed to the timeline once it is there, and taken back when it goes (not on every render).
  const [element, setElement] = useState<HTMLMediaElement | null>(null);
  const latest = useRef(onElement);
  useEffect(() => {
    latest.current = onElement;
  });
  useEffect(() => {
    latest.current(element);
    return () => latest.current(null);
  }, [element]);
  return (
    <Tag
      ref={setElement}
      src={source.src}
      preload="auto"
      playsInline
      className={file.kind === "video" ? "timeline-video" : "sr-only"}
      aria-label={file.name}
      onError={(e) => source.onError(e.currentTarget)}
      onLoadedMetadata={(e) => {
        source.onLoadedMetadata(e.currentTarget);
        onDuration(e.currentTarget.duration);
      }}
    />
  );
}

function C3dFacts({ file }: { file: TaskFile }) {
  const { t } = useTranslation("work");
  const frames = probeNumber(file.probe, "frames");
  const fps = probeNumber(file.probe, "frame_rate");
  const markers = (file.probe && typeof file.probe === "object" && "markers" in file.probe && Array.isArray(file.probe.markers) ? file.probe.markers : []).length;
  return (
    <p className="muted small" data-testid="c3d-facts">
      {t("timeline.c3d", { frames: frames === null ? "?" : count(frames), fps: fps === null ? "?" : count(fps), markers: count(markers) })}
    </p>
  );
}

/** The timed files of an item, in the order the timeline shows them (video first, then sound, motion, sensors). */
export function useTimedFiles(files: TaskFile[]): TaskFile[] {
  return useMemo(() => {
    const order = ["video", "audio", "motion", "sensor"];
    return files.filter(isTimed).sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  }, [files]);
}
