/** The anchors of notes, read from their JSON (the server validates them; these readers keep the client honest about
 * what it draws): time ranges on the item's clock, joints of a skeleton, points on a 3D model. */
import type { Anchor } from "./MediaViewer";

export interface TimeAnchor {
  type: "time";
  /** The one track the range is on; absent: every track of the item. */
  file?: number;
  /** Seconds on the item's clock. */
  start: number;
  end: number;
}

export interface JointAnchor {
  type: "joint";
  file: number;
  joint: string;
  /** The motion's own frame index; absent on a 3D model's skin joint. */
  frame?: number;
}

export interface PointAnchor {
  type: "point";
  file: number;
  position: [number, number, number];
}

const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

export function asTime(a: Anchor | null | undefined): TimeAnchor | null {
  if (!a || a.type !== "time" || !isNumber(a.start) || !isNumber(a.end)) return null;
  return isNumber(a.file) ? { type: "time", file: a.file, start: a.start, end: a.end } : { type: "time", start: a.start, end: a.end };
}

export function asJoint(a: Anchor | null | undefined): JointAnchor | null {
  if (!a || a.type !== "joint" || !isNumber(a.file) || typeof a.joint !== "string") return null;
  return isNumber(a.frame) ? { type: "joint", file: a.file, joint: a.joint, frame: a.frame } : { type: "joint", file: a.file, joint: a.joint };
}

export function asPoint(a: Anchor | null | undefined): PointAnchor | null {
  if (!a || a.type !== "point" || !isNumber(a.file) || !Array.isArray(a.position) || a.position.length !== 3) return null;
  const [x, y, z] = a.position as unknown[];
  return isNumber(x) && isNumber(y) && isNumber(z) ? { type: "point", file: a.file, position: [x, y, z] } : null;
}

/** Seconds as m:ss.hh ("0:03.20"); negative times keep their sign. */
export function formatClock(seconds: number): string {
  const sign = seconds < 0 ? "-" : "";
  const hundredths = Math.round(Math.abs(seconds) * 100);
  const m = Math.floor(hundredths / 6000);
  const s = (hundredths % 6000) / 100;
  return `${sign}${m}:${s.toFixed(2).padStart(5, "0")}`;
}

/** The numeric facts a probe holds, read without trusting its shape. */
export function probeNumber(probe: unknown, key: string): number | null {
  if (typeof probe !== "object" || probe === null || !(key in probe)) return null;
  const v: unknown = (probe as Record<string, unknown>)[key];
  return isNumber(v) ? v : null;
}

export function probeStrings(probe: unknown, key: string): string[] {
  if (typeof probe !== "object" || probe === null || !(key in probe)) return [];
  const v: unknown = (probe as Record<string, unknown>)[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

export function probeString(probe: unknown, key: string): string | null {
  if (typeof probe !== "object" || probe === null || !(key in probe)) return null;
  const v: unknown = (probe as Record<string, unknown>)[key];
  return typeof v === "string" ? v : null;
}
