/** Region anchors (points in 0..1 of the image's width and height, as the data keeps them) to Annotorious' shapes
 * (pixels of the image's natural size) and back. */
import { ShapeType, type Polygon, type Rectangle, type Shape } from "@annotorious/annotorious";

export type Point = [number, number];
export type RegionShape = "rectangle" | "polygon";
export interface Region {
  shape: RegionShape;
  /** A rectangle: [top-left, bottom-right]; a polygon: its corners. */
  points: Point[];
}

const clamp = (v: number) => Math.min(1, Math.max(0, v));
const round = (v: number) => Math.round(clamp(v) * 10000) / 10000;

function bounds(points: number[][]) {
  const xs = points.map((p) => p[0]!);
  const ys = points.map((p) => p[1]!);
  return { minX: Math.min(...xs), minY: Math.min(...ys), maxX: Math.max(...xs), maxY: Math.max(...ys) };
}

export function toShape(region: Region, width: number, height: number): Shape {
  const pixels = region.points.map(([x, y]) => [x * width, y * height]);
  if (region.shape === "rectangle") {
    const box = bounds(pixels);
    const rectangle: Rectangle = {
      type: ShapeType.RECTANGLE,
      geometry: { x: box.minX, y: box.minY, w: box.maxX - box.minX, h: box.maxY - box.minY, bounds: box },
    };
    return rectangle;
  }
  const polygon: Polygon = { type: ShapeType.POLYGON, geometry: { points: pixels, bounds: bounds(pixels) } };
  return polygon;
}

const isRectangle = (s: Shape): s is Rectangle => s.type === ShapeType.RECTANGLE;
const isPolygon = (s: Shape): s is Polygon => s.type === ShapeType.POLYGON;

/** A shape drawn or edited in the annotator as a region anchor; null for a shape Atelier does not keep. */
export function fromShape(shape: Shape, width: number, height: number): Region | null {
  const norm = ([x, y]: number[]): Point => [round(x! / width), round(y! / height)];
  if (isRectangle(shape)) {
    const g = shape.geometry;
    if (!g.rot) return { shape: "rectangle", points: [norm([g.x, g.y]), norm([g.x + g.w, g.y + g.h])] };
    // A turned rectangle is kept as the polygon of its corners (anchors have no angle).
    const [cx, cy] = [g.x + g.w / 2, g.y + g.h / 2];
    const [cos, sin] = [Math.cos(g.rot), Math.sin(g.rot)];
    const corners = [[g.x, g.y], [g.x + g.w, g.y], [g.x + g.w, g.y + g.h], [g.x, g.y + g.h]].map(([x, y]) => [
      cx + (x! - cx) * cos - (y! - cy) * sin,
      cy + (x! - cx) * sin + (y! - cy) * cos,
    ]);
    return { shape: "polygon", points: corners.map(norm) };
  }
  if (isPolygon(shape)) return { shape: "polygon", points: shape.geometry.points.map(norm) };
  return null;
}

/** The same region, to the rounding the anchors keep (so a shape read back is not taken for an edit). */
export function sameRegion(a: Region, b: Region): boolean {
  return (
    a.shape === b.shape &&
    a.points.length === b.points.length &&
    a.points.every((p, i) => Math.abs(p[0] - b.points[i]![0]) < 0.0002 && Math.abs(p[1] - b.points[i]![1]) < 0.0002)
  );
}
