/** The task's media, per modality, with the tools to anchor notes: image regions, time ranges, text spans. */
import { useEffect, useRef, useState, type PointerEvent as ReactPointerEvent, type ReactNode } from "react";
import type { Note } from "./merge";
import { codePointLength, sliceCodePoints } from "./codepoints";
import { PENDING, Waveform, hundredths, type TimeRange } from "./Waveform";

export interface TaskFile {
  id: number;
  name: string;
  kind: string;
  content_type: string;
  preview_url?: string | null;
  download_url?: string | null;
  probe?: unknown;
}

export type Anchor = Record<string, unknown>;
export type Tool = "pan" | "rectangle" | "polygon";
type Point = [number, number];

const clamp = (v: number) => Math.min(1, Math.max(0, v));
const round = (v: number) => Math.round(v * 10000) / 10000;

function anchorsOn(notes: Note[], fileId: number): { note: Note; anchor: Anchor; index: number }[] {
  return notes
    .map((note, index) => ({ note, anchor: note.anchor as Anchor | null, index }))
    .filter((x): x is { note: Note; anchor: Anchor; index: number } => x.anchor !== null && x.anchor.file === fileId);
}

/** One tab per file of the task. */
export function FileTabs({ files, index, onPick }: { files: TaskFile[]; index: number; onPick: (i: number) => void }) {
  return (
    <div className="filters" role="tablist" aria-label="Files">
      {files.map((f, i) => (
        <button key={f.id} type="button" role="tab" aria-selected={i === index} className={`tab tab-plain ${i === index ? "tab-active" : ""}`} onClick={() => onPick(i)}>
          {f.name}
        </button>
      ))}
    </div>
  );
}

export function ImageView({
  file,
  notes,
  tool,
  pending,
  onAnchor,
}: {
  file: TaskFile;
  notes: Note[];
  tool: Tool;
  pending: Anchor | null;
  onAnchor: (a: Anchor) => void;
}) {
  const [zoom, setZoom] = useState(1);
  const [offset, setOffset] = useState<Point>([0, 0]);
  const [drawing, setDrawing] = useState<Point[]>([]);
  const [dragFrom, setDragFrom] = useState<Point | null>(null);
  const stage = useRef<HTMLDivElement>(null);
  const picture = useStableSource(file.id, file.download_url ?? file.preview_url);

  useEffect(() => setDrawing([]), [tool, file.id]);

  function toImage(e: ReactPointerEvent | MouseEvent): Point {
    const rect = stage.current!.getBoundingClientRect();
    return [round(clamp((e.clientX - rect.left) / rect.width)), round(clamp((e.clientY - rect.top) / rect.height))];
  }

  function down(e: ReactPointerEvent) {
    (e.target as Element).setPointerCapture?.(e.pointerId);
    if (tool === "pan") setDragFrom([e.clientX - offset[0], e.clientY - offset[1]]);
    else if (tool === "rectangle") setDrawing([toImage(e), toImage(e)]);
  }
  function move(e: ReactPointerEvent) {
    if (tool === "pan" && dragFrom) setOffset([e.clientX - dragFrom[0], e.clientY - dragFrom[1]]);
    else if (tool === "rectangle" && drawing.length === 2) setDrawing([drawing[0]!, toImage(e)]);
  }
  function up(e: ReactPointerEvent) {
    if (tool === "pan") setDragFrom(null);
    else if (tool === "rectangle" && drawing.length === 2) {
      const [a, b] = [drawing[0]!, toImage(e)];
      setDrawing([]);
      if (Math.abs(a[0] - b[0]) > 0.005 && Math.abs(a[1] - b[1]) > 0.005) {
        const tl: Point = [Math.min(a[0], b[0]), Math.min(a[1], b[1])];
        const br: Point = [Math.max(a[0], b[0]), Math.max(a[1], b[1])];
        onAnchor({ type: "region", file: file.id, shape: "rectangle", points: [tl, br] });
      }
    } else if (tool === "polygon") {
      setDrawing([...drawing, toImage(e)]);
    }
  }
  function closePolygon() {
    if (drawing.length >= 3) onAnchor({ type: "region", file: file.id, shape: "polygon", points: drawing });
    setDrawing([]);
  }

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (tool !== "polygon") return;
      if (e.key === "Enter") closePolygon();
      if (e.key === "Escape") setDrawing([]);
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  const shape = (points: Point[], rect: boolean, className: string, key: string | number, label?: string) => {
    const pts = rect
      ? [points[0]!, [points[1]![0], points[0]![1]], points[1]!, [points[0]![0], points[1]![1]]]
      : points;
    return (
      <g key={key}>
        <polygon className={className} points={pts.map((p) => `${p[0]},${p[1]}`).join(" ")} vectorEffect="non-scaling-stroke" />
        {label && (
          <text x={pts[0]![0]} y={pts[0]![1]} className="region-label" fontSize={0.035 / zoom}>
            {label}
          </text>
        )}
      </g>
    );
  };

  const pendingRegion = pending && pending.file === file.id && pending.type === "region" ? pending : null;
  return (
    <div className="image-view">
      <div className="viewer-tools" role="toolbar" aria-label="Zoom">
        <button type="button" className="btn btn-ghost" aria-label="Zoom in" onClick={() => setZoom(Math.min(8, zoom * 1.25))}>+</button>
        <button type="button" className="btn btn-ghost" aria-label="Zoom out" onClick={() => setZoom(Math.max(0.25, zoom / 1.25))}>-</button>
        <button type="button" className="btn btn-ghost" onClick={() => { setZoom(1); setOffset([0, 0]); }}>Fit</button>
        <span className="muted small">{Math.round(zoom * 100)}%</span>
        {tool === "polygon" && drawing.length > 0 && (
          <button type="button" className="btn" onClick={closePolygon} disabled={drawing.length < 3}>Close polygon (Enter)</button>
        )}
      </div>
      <div
        className={`image-frame tool-${tool}`}
        onWheel={(e) => {
          if (!e.ctrlKey && !e.metaKey) return;
          e.preventDefault();
          setZoom(Math.min(8, Math.max(0.25, zoom * (e.deltaY < 0 ? 1.1 : 1 / 1.1))));
        }}
      >
        <div
          ref={stage}
          className="image-stage"
          data-testid="image-stage"
          style={{ transform: `translate(${offset[0]}px, ${offset[1]}px) scale(${zoom})` }}
          onPointerDown={down}
          onPointerMove={move}
          onPointerUp={up}
          onDoubleClick={() => tool === "polygon" && closePolygon()}
        >
          <img src={picture.src ?? ""} alt={file.name} draggable={false} onError={() => picture.onError()} />
          <svg viewBox="0 0 1 1" preserveAspectRatio="none" className="regions">
            {anchorsOn(notes, file.id)
              .filter((x) => x.anchor.type === "region")
              .map((x) => shape(x.anchor.points as Point[], x.anchor.shape === "rectangle", "region", x.note.id, String(x.index + 1)))}
            {pendingRegion && shape(pendingRegion.points as Point[], pendingRegion.shape === "rectangle", "region region-pending", "pending")}
            {drawing.length > 0 && shape(drawing, tool === "rectangle", "region region-drawing", "drawing")}
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
  latest.current = url;
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
  const t = () => hundredths(media?.currentTime ?? 0);
  const range = (from: number, to: number): Anchor => ({ type: "time", file: file.id, start: Math.min(from, to), end: Math.max(from, to) });

  function markStart() {
    setStart(t());
  }
  function markEnd() {
    onAnchor(range(start ?? 0, t()));
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
    ranges.push({ id: PENDING, start: Number(pending.start), end: Number(pending.end), label: "new" });
  }
  const chosen = ranges.find((r) => r.id === selected) ?? null;
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
      <div className="viewer-tools" role="toolbar" aria-label="Time ranges">
        {!readOnly && (
          <>
            <button type="button" className="btn" onClick={markStart}>Mark start <kbd>[</kbd></button>
            <button type="button" className="btn" onClick={markEnd}>Mark end <kbd>]</kbd></button>
          </>
        )}
        <span className="small" aria-live="off" data-testid="av-position">at {now.toFixed(2)} s</span>
        <label className="small inline-field">
          Zoom
          <input type="range" min={0} max={400} step={10} value={zoom} onChange={(e) => setZoom(Number(e.target.value))} />
        </label>
        <label className="small inline-field">
          Speed
          <select value={rate} onChange={(e) => setRate(Number(e.target.value))}>
            {RATES.map((r) => <option key={r} value={r}>{r}×</option>)}
          </select>
        </label>
      </div>
      {!readOnly && <p className="muted small">
        {start !== null ? `from ${start.toFixed(2)} s… press ] (Mark end) at the end.` : "Drag on the lane to mark a time range (or [ and ] at the playhead); drag a range to move it, its edges to resize it."}
      </p>}
      {ranges.length > 0 && (
        <ul className="range-list" aria-label="Time ranges of your notes">
          {ranges.map((r) => (
            <li key={r.id}>
              <button
                type="button"
                className={`range ${r.id === PENDING ? "range-pending" : ""}`}
                aria-pressed={r.id === selected}
                onClick={() => {
                  setSelected(r.id);
                  if (media) media.currentTime = r.start;
                }}
              >
                {r.id === PENDING ? "new" : `note ${r.label}`}: {r.start.toFixed(2)}–{r.end.toFixed(2)} s
              </button>
            </li>
          ))}
        </ul>
      )}
      {chosen && !readOnly && (
        <div className="viewer-tools" data-testid="selected-range">
          <span className="small">
            {chosen.id === PENDING ? "The new range" : `Note ${chosen.label}'s range`}: {chosen.start.toFixed(2)}–{chosen.end.toFixed(2)} s
          </span>
          <button type="button" className="btn btn-ghost" onClick={() => remove(chosen.id)}>
            Remove range <kbd>Del</kbd>
          </button>
        </div>
      )}
    </div>
  );
}

type TextLoad = { state: "loading" } | { state: "ready"; text: string } | { state: "failed"; message: string };

/** A text file with its passages: select text to anchor a note; anchors count code points (see codepoints.ts). */
export function TextView({ file, notes, onAnchor }: { file: TaskFile; notes: Note[]; onAnchor: (a: Anchor) => void }) {
  const [load, setLoad] = useState<TextLoad>({ state: "loading" });
  const [attempt, setAttempt] = useState(0);
  const box = useRef<HTMLPreElement>(null);
  // Read once per file: a save's fresh link names the same bytes (refetching would drop a selection being made).
  const source = useStableSource(file.id, file.download_url);
  const { src } = source;
  const takeNewerLink = useRef(source.onError);
  takeNewerLink.current = source.onError;
  useEffect(() => {
    if (!src) return;
    const controller = new AbortController();
    setLoad({ state: "loading" });
    fetch(src, { signal: controller.signal })
      .then(async (r) => {
        if (r.ok) return setLoad({ state: "ready", text: await r.text() });
        setLoad({ state: "failed", message: `The server answered ${r.status}.` });
        takeNewerLink.current(); // expired: take the newest link, if a save brought one
      })
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setLoad({ state: "failed", message: err instanceof Error ? err.message : String(err) });
      });
    return () => controller.abort();
  }, [src, attempt]);

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

  if (load.state === "loading") return <p className="muted">Loading the text…</p>;
  if (load.state === "failed") {
    return (
      <div className="banner banner-error" role="alert">
        <p>{file.name} could not be loaded: {load.message}</p>
        <button type="button" className="btn" onClick={() => setAttempt((n) => n + 1)}>
          Try again
        </button>
      </div>
    );
  }
  const { text } = load;
  const spans = anchorsOn(notes, file.id)
    .filter((x) => x.anchor.type === "span")
    .sort((a, b) => Number(a.anchor.start) - Number(b.anchor.start));
  const parts: ReactNode[] = [];
  // Offsets are code points; `at` walks the text in them.
  let at = 0;
  for (const s of spans) {
    const from = Math.max(at, Number(s.anchor.start));
    const to = Number(s.anchor.end);
    if (from > at) parts.push(<span key={`t${at}`}>{sliceCodePoints(text, at, from)}</span>);
    if (to > from) parts.push(<mark key={`m${s.note.id}`} title={s.note.body} data-note={s.index + 1}>{sliceCodePoints(text, from, to)}</mark>);
    at = Math.max(at, to);
  }
  parts.push(<span key="rest">{sliceCodePoints(text, at)}</span>);
  return (
    <pre ref={box} className="text-view" onMouseUp={onSelect} data-testid="text-view">
      {parts}
    </pre>
  );
}

export function describeAnchor(anchor: Anchor | null, files: TaskFile[], draftLabel: (id: number) => string): string {
  if (!anchor) return "";
  const file = files.find((f) => f.id === anchor.file)?.name ?? "";
  switch (anchor.type) {
    case "region":
      return `${anchor.shape === "polygon" ? "polygon" : "region"} on ${file}`;
    case "time":
      return `${Number(anchor.start).toFixed(1)}–${Number(anchor.end).toFixed(1)} s of ${file}`;
    case "span":
      return `“${String(anchor.quote ?? "").slice(0, 40)}” in ${file}`;
    case "draft":
      return draftLabel(Number(anchor.draft));
    default:
      return "";
  }
}
