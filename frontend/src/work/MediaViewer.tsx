/** The task's media, per modality, with the tools to anchor notes: image regions, time ranges, text spans. */
import { useEffect, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { Note } from "./merge";
import { text } from "../format";
import { i18n } from "../i18n";
import { codePointLength, sliceCodePoints } from "./codepoints";
import { formatClock } from "./anchors";
import { ImageRegions, type ShownRegion } from "./ImageRegions";
import { PointMarkers, type ShownPoint } from "./PointMarkers";
import type { Point, Region } from "./imageShapes";
import { PENDING, Waveform, hundredths, type TimeRange } from "./Waveform";
import { RangeList } from "./RangeList";

export interface TaskFile {
  id: number;
  name: string;
  kind: string;
  content_type: string;
  preview_url?: string | null;
  download_url?: string | null;
  probe?: unknown;
  /** Where the file starts on the item's clock (timed files), in seconds. */
  offset_seconds?: number;
}

export type Anchor = Record<string, unknown>;
export type Tool = "pan" | "rectangle" | "polygon" | "point";

function anchorsOn(notes: Note[], fileId: number): { note: Note; anchor: Anchor; index: number }[] {
  return notes
    .map((note, index) => ({ note, anchor: note.anchor, index }))
    .filter((x): x is { note: Note; anchor: Anchor; index: number } => x.anchor !== null && x.anchor.file === fileId);
}

const ZOOM_MIN = 0.25;
const ZOOM_MAX = 8;

/** An image with its regions (Annotorious, see ImageRegions), zoomed at the cursor (Ctrl+wheel, pinch, or the
 * buttons at the centre) and panned with the Pan tool or a drag on the image outside its regions. */
export function ImageView({
  file,
  notes,
  tool,
  pending,
  onAnchor,
  onReanchor,
  editable = false,
}: {
  file: TaskFile;
  notes: Note[];
  tool: Tool;
  pending: Anchor | null;
  onAnchor: (a: Anchor | null) => void;
  onReanchor?: (noteId: string, a: Anchor | null) => void;
  editable?: boolean;
}) {
  const { t } = useTranslation("work");
  const [view, setView] = useState<{ zoom: number; offset: Point }>({ zoom: 1, offset: [0, 0] });
  const [selected, setSelected] = useState<string | null>(null);
  const frame = useRef<HTMLDivElement>(null);
  const stage = useRef<HTMLDivElement>(null);
  const pointers = useRef(new Map<number, Point>());
  const gesture = useRef<{ from: Point; offset: Point } | { distance: number; zoom: number } | null>(null);
  const picture = useStableSource(file.id, file.download_url ?? file.preview_url);

  const noted = anchorsOn(notes, file.id).filter((x) => x.anchor.type === "region");
  // A new list only when the notes or the pending anchor change, so the annotator is not resynchronised on every render.
  // Point regions are not Annotorious' (it has no point shape): they are markers of this view's own (PointMarkers).
  const regions = useMemo(() => {
    const shown: ShownRegion[] = anchorsOn(notes, file.id)
      .filter((x) => x.anchor.type === "region" && x.anchor.shape !== "point")
      .map((x) => ({ id: x.note.id, shape: x.anchor.shape === "polygon" ? "polygon" : "rectangle", points: x.anchor.points as Point[] }));
    if (pending && pending.file === file.id && pending.type === "region" && pending.shape !== "point") {
      shown.push({ id: PENDING, shape: pending.shape === "polygon" ? "polygon" : "rectangle", points: pending.points as Point[] });
    }
    return shown;
  }, [notes, pending, file.id]);
  const points: ShownPoint[] = noted
    .filter((x) => x.anchor.shape === "point")
    .map((x) => ({ id: x.note.id, at: (x.anchor.points as Point[])[0]!, label: String(x.index + 1) }));
  if (pending && pending.file === file.id && pending.type === "region" && pending.shape === "point") {
    points.push({ id: PENDING, at: (pending.points as Point[])[0]!, label: t("marks.new") });
  }
  const pointAnchor = (at: Point): Anchor => ({ type: "region", file: file.id, shape: "point", points: [at] });
  function changePoint(id: string, at: Point | null) {
    if (id === PENDING) onAnchor(at ? pointAnchor(at) : null);
    else onReanchor?.(id, at ? pointAnchor(at) : null);
    if (!at) setSelected(null);
  }
  const anchorOf = (region: Region): Anchor => ({ type: "region", file: file.id, shape: region.shape, points: region.points });

  function change(id: string, region: Region | null) {
    if (id === PENDING) onAnchor(region ? anchorOf(region) : null);
    else onReanchor?.(id, region ? anchorOf(region) : null);
    if (!region) setSelected(null);
  }

  /** Zoom to `next`, keeping the image point under `at` (screen coordinates) where it is. */
  function zoomAt(next: number, at?: Point) {
    const box = stage.current?.getBoundingClientRect();
    const outer = frame.current?.getBoundingClientRect();
    setView(({ zoom, offset }) => {
      const z = Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, next));
      if (!box || !outer) return { zoom: z, offset };
      const [px, py] = at ?? [outer.left + outer.width / 2, outer.top + outer.height / 2];
      const k = 1 - z / zoom;
      return { zoom: z, offset: [offset[0] + (px - box.left) * k, offset[1] + (py - box.top) * k] };
    });
  }

  const onRegion = (e: ReactPointerEvent) => (e.target as Element).closest("[class^='a9s-']:not(.a9s-annotationlayer), .point-marker") !== null;
  function down(e: ReactPointerEvent) {
    pointers.current.set(e.pointerId, [e.clientX, e.clientY]);
    if (pointers.current.size === 2) {
      const [a, b] = [...pointers.current.values()] as [Point, Point];
      gesture.current = { distance: Math.hypot(a[0] - b[0], a[1] - b[1]), zoom: view.zoom };
    } else if (tool === "pan" && !onRegion(e)) {
      e.currentTarget.setPointerCapture(e.pointerId);
      gesture.current = { from: [e.clientX, e.clientY], offset: view.offset };
    }
  }
  function move(e: ReactPointerEvent) {
    if (!pointers.current.has(e.pointerId)) return;
    pointers.current.set(e.pointerId, [e.clientX, e.clientY]);
    const g = gesture.current;
    if (!g) return;
    if ("distance" in g && pointers.current.size === 2) {
      const [a, b] = [...pointers.current.values()] as [Point, Point];
      zoomAt((g.zoom * Math.hypot(a[0] - b[0], a[1] - b[1])) / g.distance, [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]);
    } else if ("from" in g) {
      setView((v) => ({ ...v, offset: [g.offset[0] + e.clientX - g.from[0], g.offset[1] + e.clientY - g.from[1]] }));
    }
  }
  function up(e: ReactPointerEvent) {
    pointers.current.delete(e.pointerId);
    if (pointers.current.size < 2) gesture.current = null;
  }

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const el = e.target as HTMLElement;
      if (!editable || !selected || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName) || el.isContentEditable) return;
      if (e.key === "Delete" || e.key === "Backspace") {
        e.preventDefault();
        if (points.some((p) => p.id === selected)) changePoint(selected, null);
        else change(selected, null);
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  const labels = noted.filter((x) => x.anchor.shape !== "point").map((x) => ({ id: x.note.id, at: (x.anchor.points as Point[])[0]!, label: String(x.index + 1) }));
  const chosen = regions.find((r) => r.id === selected) ?? points.find((r) => r.id === selected) ?? null;
  const chosenIsPoint = chosen !== null && "at" in chosen;
  return (
    <div className="image-view">
      <div className="viewer-tools" role="toolbar" aria-label={t("image.zoom")}>
        <button type="button" className="btn btn-ghost" aria-label={t("image.zoomIn")} onClick={() => zoomAt(view.zoom * 1.25)}>+</button>
        <button type="button" className="btn btn-ghost" aria-label={t("image.zoomOut")} onClick={() => zoomAt(view.zoom / 1.25)}>-</button>
        <button type="button" className="btn btn-ghost" onClick={() => setView({ zoom: 1, offset: [0, 0] })}>{t("image.fit")}</button>
        <span className="muted small" data-testid="zoom-level">{t("image.zoomLevel", { zoom: view.zoom })}</span>
        {chosen && editable && (
          <span className="row small" data-testid="selected-region">
            {chosen.id === PENDING
              ? t(chosenIsPoint ? "image.selected.newPoint" : "image.selected.newRegion")
              : t(chosenIsPoint ? "image.selected.notePoint" : "image.selected.noteRegion", {
                  label: "label" in chosen ? chosen.label : (labels.find((l) => l.id === chosen.id)?.label ?? ""),
                })}
            <button type="button" className="btn btn-ghost" onClick={() => (chosenIsPoint ? changePoint(chosen.id, null) : change(chosen.id, null))}>
              {t(chosenIsPoint ? "image.removePoint" : "image.removeRegion")} <kbd>{t("keys.delete")}</kbd>
            </button>
          </span>
        )}
      </div>
      <div
        ref={frame}
        className={`image-frame tool-${tool}`}
        data-testid="image-frame"
        onWheel={(e) => {
          if (!e.ctrlKey && !e.metaKey) return;
          e.preventDefault();
          zoomAt(view.zoom * (e.deltaY < 0 ? 1.1 : 1 / 1.1), [e.clientX, e.clientY]);
        }}
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onPointerCancel={up}
      >
        <div
          ref={stage}
          className="image-stage"
          data-testid="image-stage"
          style={{ transform: `translate(${view.offset[0]}px, ${view.offset[1]}px) scale(${view.zoom})` }}
        >
          <ImageRegions
            src={picture.src}
            alt={file.name}
            regions={regions}
            drawing={tool === "pan" || tool === "point" ? null : tool}
            editable={editable}
            selected={selected}
            onCreate={(region) => {
              onAnchor(anchorOf(region));
              setSelected(PENDING);
            }}
            onChange={change}
            onSelect={setSelected}
            onImageError={() => picture.onError()}
          />
          <PointMarkers
            points={points}
            stage={stage}
            placing={editable && tool === "point"}
            editable={editable}
            selected={selected}
            zoom={view.zoom}
            onPlace={(at) => {
              onAnchor(pointAnchor(at));
              setSelected(PENDING);
            }}
            onMove={changePoint}
            onSelect={setSelected}
          />
          <svg viewBox="0 0 1 1" preserveAspectRatio="none" className="regions" aria-hidden="true">
            {labels.map((l) => (
              <text key={l.id} x={l.at[0]} y={l.at[1]} className="region-label" fontSize={0.035 / view.zoom}>
                {l.label}
              </text>
            ))}
          </svg>
        </div>
      </div>
    </div>
  );
}

/**
 * The link a media element plays from, kept while the file stays the same. Every save answers with fresh signed
 * links; handing each to `src` would reload the clip and send a paused playhead back to 0. A newer link is taken
 * only when the one in use fails (it expired), and the position is restored after it loads.
 */
export function useStableSource(fileId: number, url: string | null | undefined) {
  const [current, setCurrent] = useState<{ fileId: number; url: string | null | undefined }>({ fileId, url });
  const latest = useRef(url);
  const resumeAt = useRef<number | null>(null);
  useEffect(() => {
    latest.current = url;
  });
  const src = current.fileId === fileId ? current.url : url;
  if (current.fileId !== fileId) setCurrent({ fileId, url });
  return {
    src: src ?? undefined,
    onError(el?: HTMLMediaElement) {
      if (!latest.current || latest.current === src) return;
      resumeAt.current = el ? el.currentTime : null;
      setCurrent({ fileId, url: latest.current });
    },
    onLoadedMetadata(el: HTMLMediaElement) {
      if (resumeAt.current !== null) el.currentTime = resumeAt.current;
      resumeAt.current = null;
    },
  };
}

const RATES = [0.5, 0.75, 1, 1.25, 1.5, 2];

/** Audio or video with its time lane: a waveform (audio) or a ruler (video) on which the notes' time ranges are
 * drawn, moved, resized and removed; `[` and `]` mark a range from the keyboard at the playhead. */
/** Move a player to `t` seconds (the element is the page's, held in state only to re-render when it mounts). */
function seek(media: HTMLMediaElement | null, t: number) {
  if (media) media.currentTime = t;
}

export function AvView({
  file,
  notes,
  pending,
  onAnchor,
  onReanchor,
  readOnly = false,
}: {
  file: TaskFile;
  notes: Note[];
  pending: Anchor | null;
  onAnchor: (a: Anchor | null) => void;
  onReanchor: (noteId: string, a: Anchor | null) => void;
  /** Work looked at (review, submitted work): ranges are shown and played, not drawn or moved. */
  readOnly?: boolean;
}) {
  const [media, setMedia] = useState<HTMLMediaElement | null>(null);
  const source = useStableSource(file.id, file.download_url);
  const [start, setStart] = useState<number | null>(null);
  const [duration, setDuration] = useState<number>(Number((file.probe as { duration_seconds?: number })?.duration_seconds ?? 0));
  const [now, setNow] = useState(0);
  const [zoom, setZoom] = useState(0);
  const [rate, setRate] = useState(1);
  const [selected, setSelected] = useState<string | null>(null);
  const { t } = useTranslation("work");
  const playhead = () => hundredths(media?.currentTime ?? 0);
  const range = (from: number, to: number): Anchor => ({ type: "time", file: file.id, start: Math.min(from, to), end: Math.max(from, to) });

  function markStart() {
    setStart(playhead());
  }
  function markEnd() {
    onAnchor(range(start ?? 0, playhead()));
    setStart(null);
  }
  function remove(id: string) {
    if (id === PENDING) onAnchor(null);
    else onReanchor(id, null);
    setSelected(null);
  }
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const el = e.target as HTMLElement;
      if (readOnly || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName) || el.isContentEditable) return;
      if (e.key === "[") markStart();
      if (e.key === "]") markEnd();
      if ((e.key === "Delete" || e.key === "Backspace") && selected) {
        e.preventDefault();
        remove(selected);
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  const noted = anchorsOn(notes, file.id).filter((x) => x.anchor.type === "time");
  const ranges: TimeRange[] = noted.map((x) => ({ id: x.note.id, start: Number(x.anchor.start), end: Number(x.anchor.end), label: String(x.index + 1) }));
  if (pending && pending.type === "time" && pending.file === file.id) {
    ranges.push({ id: PENDING, start: Number(pending.start), end: Number(pending.end), label: t("marks.new") });
  }
  const Tag = file.kind === "video" ? "video" : "audio";
  return (
    <div className="av-view">
      <Tag
        ref={setMedia}
        src={source.src}
        controls
        preload="metadata"
        onError={(e) => source.onError(e.currentTarget)}
        onLoadedMetadata={(e) => {
          source.onLoadedMetadata(e.currentTarget);
          if (Number.isFinite(e.currentTarget.duration)) setDuration(e.currentTarget.duration);
        }}
        onTimeUpdate={(e) => setNow(e.currentTarget.currentTime)}
        onSeeked={(e) => setNow(e.currentTarget.currentTime)}
      />
      <Waveform
        media={media}
        decode={file.kind === "audio"}
        duration={duration}
        ranges={ranges}
        selected={selected}
        editable={!readOnly}
        zoom={zoom}
        rate={rate}
        onCreate={(from, to) => {
          onAnchor(range(from, to));
          setSelected(PENDING);
        }}
        onChange={(id, from, to) => (id === PENDING ? onAnchor(range(from, to)) : onReanchor(id, range(from, to)))}
        onSelect={setSelected}
      />
      <div className="viewer-tools" role="toolbar" aria-label={t("ranges.toolbar")}>
        {!readOnly && (
          <>
            <button type="button" className="btn" onClick={markStart}>{t("ranges.markStart")} <kbd>[</kbd></button>
            <button type="button" className="btn" onClick={markEnd}>{t("ranges.markEnd")} <kbd>]</kbd></button>
          </>
        )}
        <span className="small" aria-live="off" data-testid="av-position">{t("av.position", { time: now })}</span>
        <label className="small inline-field">
          {t("av.zoom")}
          <input type="range" min={0} max={400} step={10} value={zoom} onChange={(e) => setZoom(Number(e.target.value))} />
        </label>
        <label className="small inline-field">
          {t("av.speed")}
          <select value={rate} onChange={(e) => setRate(Number(e.target.value))}>
            {RATES.map((r) => <option key={r} value={r}>{t("av.rate", { rate: r })}</option>)}
          </select>
        </label>
      </div>
      {!readOnly && <p className="muted small">
        {start !== null ? t("av.marking", { start }) : t("av.hint")}
      </p>}
      <RangeList
        ranges={ranges}
        selected={selected}
        readOnly={readOnly}
        describe={(r) => t("av.range", { start: r.start, end: r.end })}
        onPick={(r) => {
          setSelected(r.id);
          seek(media, r.start);
        }}
        onRemove={remove}
      />
    </div>
  );
}

/** A failure: the server's HTTP status, or the browser's own message (a network error). */
type TextLoad = { state: "loading" } | { state: "ready"; text: string } | { state: "failed"; status: number | null; message: string };

/** A text file with its passages: select text to anchor a note; anchors count code points (see codepoints.ts). */
export function TextView({ file, notes, onAnchor }: { file: TaskFile; notes: Note[]; onAnchor: (a: Anchor) => void }) {
  // What was read, for which link and attempt: a newer link or a retry shows "Loading" until its answer comes.
  const { t } = useTranslation("work");
  const [load, setLoad] = useState<{ key: string } & TextLoad>({ key: "", state: "loading" });
  const [attempt, setAttempt] = useState(0);
  const box = useRef<HTMLPreElement>(null);
  // Read once per file: a save's fresh link names the same bytes (refetching would drop a selection being made).
  const source = useStableSource(file.id, file.download_url);
  const { src } = source;
  const key = `${src ?? ""}#${attempt}`;
  useEffect(() => {
    if (!src) return;
    const controller = new AbortController();
    fetch(src, { signal: controller.signal })
      .then(async (r) => {
        if (r.ok) return setLoad({ key, state: "ready", text: await r.text() });
        setLoad({ key, state: "failed", status: r.status, message: "" });
        source.onError(); // expired: take the newest link, if a save brought one
      })
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setLoad({ key, state: "failed", status: null, message: err instanceof Error ? err.message : String(err) });
      });
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- read once per link and attempt (`key`): `source` is a new object each render, and its onError takes the newest link itself
  }, [key]);
  const shown: TextLoad = load.key === key ? load : { state: "loading" };

  function onSelect() {
    const sel = window.getSelection();
    if (!sel || sel.isCollapsed || !box.current || !box.current.contains(sel.anchorNode)) return;
    const range = sel.getRangeAt(0);
    const before = document.createRange();
    before.setStart(box.current, 0);
    before.setEnd(range.startContainer, range.startOffset);
    const quote = range.toString();
    const start = codePointLength(before.toString());
    const end = start + codePointLength(quote);
    onAnchor({ type: "span", file: file.id, start, end, quote: sliceCodePoints(quote, 0, 200) });
  }

  if (shown.state === "loading") return <p className="muted">{t("text.loading")}</p>;
  if (shown.state === "failed") {
    return (
      <div className="banner banner-error" role="alert">
        <p>{t("text.failed", { name: file.name, message: shown.status === null ? shown.message : t("text.status", { status: shown.status }) })}</p>
        <button type="button" className="btn" onClick={() => setAttempt((n) => n + 1)}>
          {t("text.retry")}
        </button>
      </div>
    );
  }
  const { text: content } = shown;
  const spans = anchorsOn(notes, file.id)
    .filter((x) => x.anchor.type === "span")
    .sort((a, b) => Number(a.anchor.start) - Number(b.anchor.start));
  const parts: ReactNode[] = [];
  // Offsets are code points; `at` walks the text in them.
  let at = 0;
  for (const s of spans) {
    const from = Math.max(at, Number(s.anchor.start));
    const to = Number(s.anchor.end);
    if (from > at) parts.push(<span key={`t${at}`}>{sliceCodePoints(content, at, from)}</span>);
    if (to > from) parts.push(<mark key={`m${s.note.id}`} title={s.note.body} data-note={s.index + 1}>{sliceCodePoints(content, from, to)}</mark>);
    at = Math.max(at, to);
  }
  parts.push(<span key="rest">{sliceCodePoints(content, at)}</span>);
  return (
    <pre ref={box} className="text-view" onMouseUp={onSelect} data-testid="text-view">
      {parts}
    </pre>
  );
}

/** An anchor in words, for the notes (in the language shown now: callers re-render when it changes). */
export function describeAnchor(anchor: Anchor | null, files: TaskFile[], draftLabel: (id: number) => string): string {
  if (!anchor) return "";
  const file = files.find((f) => f.id === anchor.file)?.name ?? "";
  const ns = "work";
  switch (anchor.type) {
    case "region":
      return anchor.shape === "polygon"
        ? i18n.t("anchor.polygon", { ns, file })
        : anchor.shape === "point"
          ? i18n.t("anchor.point", { ns, file })
          : i18n.t("anchor.region", { ns, file });
    case "time":
      // A range without a file is on the item's clock, across every track.
      if (anchor.file === undefined) return i18n.t("anchor.itemTime", { ns, start: formatClock(Number(anchor.start)), end: formatClock(Number(anchor.end)) });
      return i18n.t("anchor.fileTime", { ns, start: Number(anchor.start), end: Number(anchor.end), file });
    case "joint":
      return typeof anchor.frame === "number"
        ? i18n.t("anchor.jointFrame", { ns, joint: text(anchor.joint), frame: anchor.frame, file })
        : i18n.t("anchor.joint", { ns, joint: text(anchor.joint), file });
    case "point":
      return i18n.t("anchor.point", { ns, file });
    case "span":
      return i18n.t("anchor.span", { ns, quote: text(anchor.quote).slice(0, 40), file });
    case "draft":
      return draftLabel(Number(anchor.draft));
    default:
      return "";
  }
}
