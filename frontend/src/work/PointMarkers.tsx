/** Point regions on an image: Annotorious has no point shape, so points are markers of their own over the image,
 * in 0..1 of its width and height like every region. With the Point tool a click places one; a marker is selected by
 * a click or from the keyboard (each is a button), dragged (or moved with the arrow keys) to move it, and removed with
 * Delete (ImageView handles that key for the selection). */
import { useState, type RefObject } from "react";
import { useTranslation } from "react-i18next";
import type { Point } from "./imageShapes";

export interface ShownPoint {
  /** "pending" for the point being marked, otherwise the note's id. */
  id: string;
  at: Point;
  label: string;
}

const PENDING = "pending";
const round = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 10000) / 10000;

export function PointMarkers({
  points,
  stage,
  placing,
  editable,
  selected,
  zoom,
  onPlace,
  onMove,
  onSelect,
}: {
  points: ShownPoint[];
  /** The element the image fills (its box is the image's, at any zoom). */
  stage: RefObject<HTMLDivElement | null>;
  /** The Point tool is on: a click on the image places a point. */
  placing: boolean;
  editable: boolean;
  selected: string | null;
  zoom: number;
  onPlace: (at: Point) => void;
  onMove: (id: string, at: Point) => void;
  onSelect: (id: string | null) => void;
}) {
  const { t } = useTranslation("work");
  const [drag, setDrag] = useState<{ id: string; at: Point; moved: boolean } | null>(null);
  const fraction = (clientX: number, clientY: number): Point => {
    const box = stage.current!.getBoundingClientRect();
    return [round((clientX - box.left) / box.width), round((clientY - box.top) / box.height)];
  };
  return (
    <div className={`point-layer ${placing ? "point-layer-placing" : ""}`} data-testid="point-layer">
      {placing && (
        <div
          className="point-catcher"
          data-testid="point-catcher"
          onPointerDown={(e) => {
            if (e.button !== 0) return;
            e.stopPropagation();
            onPlace(fraction(e.clientX, e.clientY));
          }}
        />
      )}
      {points.map((p) => {
        const at = drag?.id === p.id ? drag.at : p.at;
        return (
          <button
            key={p.id}
            type="button"
            className={`point-marker ${p.id === PENDING ? "point-marker-pending" : ""}`}
            aria-pressed={p.id === selected}
            aria-label={p.id === PENDING ? t("points.new") : t("points.note", { label: p.label })}
            data-point={p.id}
            style={{ left: `${at[0] * 100}%`, top: `${at[1] * 100}%`, transform: `translate(-50%, -50%) scale(${1 / zoom})` }}
            onPointerDown={(e) => {
              if (e.button !== 0) return;
              e.stopPropagation();
              onSelect(p.id);
              if (!editable) return;
              e.currentTarget.setPointerCapture(e.pointerId);
              setDrag({ id: p.id, at: p.at, moved: false });
            }}
            onPointerMove={(e) => {
              if (drag?.id === p.id) setDrag({ ...drag, at: fraction(e.clientX, e.clientY), moved: true });
            }}
            onPointerUp={() => {
              if (drag?.id === p.id && drag.moved) onMove(p.id, drag.at);
              setDrag(null);
            }}
            onPointerCancel={() => setDrag(null)}
            onClick={() => onSelect(p.id)}
            onKeyDown={(e) => {
              const step = e.shiftKey ? 0.05 : 0.01;
              const d: Record<string, Point> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
              const by = d[e.key];
              if (!by || !editable) return;
              e.preventDefault();
              e.stopPropagation();
              onMove(p.id, [round(p.at[0] + by[0]), round(p.at[1] + by[1])]);
            }}
          >
            {p.label}
          </button>
        );
      })}
    </div>
  );
}
