/** The task's media, per modality, with the tools to anchor notes: image regions, time ranges, text spans. */
import { useEffect, useRef, useState, type PointerEvent as ReactPointerEvent, type ReactNode } from "react";
import type { Note } from "./merge";
import { text } from "../format";

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
    .map((note, index) => ({ note, anchor: note.anchor, index }))
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

  // A new tool or file drops the shape being drawn (reset while rendering, as React advises, not in an effect).
  const drawingFor = `${tool}:${file.id}`;
  const [drewFor, setDrewFor] = useState(drawingFor);
  if (drewFor !== drawingFor) {
    setDrewFor(drawingFor);
    setDrawing([]);
  }

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

export function AvView({ file, notes, onAnchor }: { file: TaskFile; notes: Note[]; onAnchor: (a: Anchor) => void }) {
  const media = useRef<HTMLVideoElement & HTMLAudioElement>(null);
  const source = useStableSource(file.id, file.download_url);
  const [start, setStart] = useState<number | null>(null);
  const [duration, setDuration] = useState<number>(Number((file.probe as { duration_seconds?: number })?.duration_seconds ?? 0));
  const [now, setNow] = useState(0);
  const t = () => Math.round((media.current?.currentTime ?? 0) * 100) / 100;

  function markStart() {
    setStart(t());
  }
  function markEnd() {
    const end = t();
    const from = start ?? 0;
    onAnchor({ type: "time", file: file.id, start: Math.min(from, end), end: Math.max(from, end) });
    setStart(null);
  }
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const el = e.target as HTMLElement;
      if (["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName)) return;
      if (e.key === "[") markStart();
      if (e.key === "]") markEnd();
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  const ranges = anchorsOn(notes, file.id).filter((x) => x.anchor.type === "time");
  const pct = (v: number) => `${duration ? (100 * v) / duration : 0}%`;
  const Tag = file.kind === "video" ? "video" : "audio";
  return (
    <div className="av-view">
      {file.kind === "audio" && file.preview_url && <img className="waveform" src={file.preview_url} alt={`Waveform of ${file.name}`} />}
      <Tag
        ref={media}
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
      <div
        className="timeline"
        aria-label="Time ranges of your notes"
        onClick={(e) => {
          // A click on the bar (not on a note's range) moves the playhead there, playing or paused.
          if (e.target !== e.currentTarget || !media.current || !duration) return;
          const box = e.currentTarget.getBoundingClientRect();
          media.current.currentTime = Math.max(0, Math.min(duration, ((e.clientX - box.left) / box.width) * duration));
        }}
      >
        {ranges.map((x) => (
          <button
            key={x.note.id}
            type="button"
            className="range"
            title={x.note.body}
            style={{ left: pct(Number(x.anchor.start)), width: pct(Number(x.anchor.end) - Number(x.anchor.start)) }}
            onClick={() => media.current && (media.current.currentTime = Number(x.anchor.start))}
          >
            {x.index + 1}
          </button>
        ))}
        {start !== null && <span className="range range-pending" style={{ left: pct(start), width: pct(Math.max(0, now - start)) }} />}
        <span className="playhead" style={{ left: pct(now) }} />
      </div>
      <div className="viewer-tools">
        <button type="button" className="btn" onClick={markStart}>Mark start <kbd>[</kbd></button>
        <button type="button" className="btn" onClick={markEnd}>Mark end <kbd>]</kbd></button>
        <span className="small" aria-live="off" data-testid="av-position">at {now.toFixed(2)} s</span>
        <span className="muted small">
          {start !== null ? `from ${start.toFixed(2)} s…` : "Pause or play, seek, then mark a range to anchor a note to it."}
        </span>
      </div>
    </div>
  );
}

export function TextView({ file, notes, onAnchor }: { file: TaskFile; notes: Note[]; onAnchor: (a: Anchor) => void }) {
  const [text, setText] = useState<string | null>(null);
  const box = useRef<HTMLPreElement>(null);
  // Read once per file: a save's fresh link names the same bytes (refetching would drop a selection being made).
  const source = useStableSource(file.id, file.download_url);
  const { src } = source;
  useEffect(() => {
    if (!src) return;
    void fetch(src).then(async (r) => {
      if (r.ok) return setText(await r.text());
      setText(null);
      source.onError(); // expired: take the newest link, if a save brought one
    });
  }, [src]); // eslint-disable-line react-hooks/exhaustive-deps -- read once per link: `source` is a new object each render, and its onError takes the newest link itself

  function onSelect() {
    const sel = window.getSelection();
    if (!sel || sel.isCollapsed || !box.current || !box.current.contains(sel.anchorNode)) return;
    const range = sel.getRangeAt(0);
    const before = document.createRange();
    before.setStart(box.current, 0);
    before.setEnd(range.startContainer, range.startOffset);
    const start = before.toString().length;
    const end = start + range.toString().length;
    onAnchor({ type: "span", file: file.id, start, end, quote: range.toString().slice(0, 200) });
  }

  if (text === null) return <p className="muted">Loading the text…</p>;
  const spans = anchorsOn(notes, file.id)
    .filter((x) => x.anchor.type === "span")
    .sort((a, b) => Number(a.anchor.start) - Number(b.anchor.start));
  const parts: ReactNode[] = [];
  let at = 0;
  for (const s of spans) {
    const from = Math.max(at, Number(s.anchor.start));
    const to = Number(s.anchor.end);
    if (from > at) parts.push(<span key={`t${at}`}>{text.slice(at, from)}</span>);
    if (to > from) parts.push(<mark key={`m${s.note.id}`} title={s.note.body} data-note={s.index + 1}>{text.slice(from, to)}</mark>);
    at = Math.max(at, to);
  }
  parts.push(<span key="rest">{text.slice(at)}</span>);
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
      return `“${text(anchor.quote).slice(0, 40)}” in ${file}`;
    case "draft":
      return draftLabel(Number(anchor.draft));
    default:
      return "";
  }
}
