import { describe, expect, it } from "vitest";
import { asJoint, asPoint, asTime, formatClock } from "./anchors";
import { describeAnchor, type TaskFile } from "./MediaViewer";

const files: TaskFile[] = [
  { id: 1, name: "take.bvh", kind: "motion", content_type: "application/x-bvh" },
  { id: 2, name: "chair.glb", kind: "model", content_type: "model/gltf-binary" },
  { id: 3, name: "frame.png", kind: "image", content_type: "image/png" },
  { id: 4, name: "clip.wav", kind: "audio", content_type: "audio/wav" },
];
const describe_ = (a: Record<string, unknown>) => describeAnchor(a, files, () => "draft");

describe("anchors on the item's clock, joints and points", () => {
  it("are described for the notes", () => {
    expect(describe_({ type: "time", start: 3.2, end: 5 })).toBe("0:03.20–0:05.00 on the item");
    expect(describe_({ type: "time", file: 4, start: 1.5, end: 3 })).toBe("1.5–3.0 s of clip.wav");
    expect(describe_({ type: "joint", file: 1, joint: "LeftHand", frame: 96 })).toBe("joint LeftHand at frame 96 of take.bvh");
    expect(describe_({ type: "joint", file: 2, joint: "Hips" })).toBe("joint Hips of chair.glb");
    expect(describe_({ type: "point", file: 2, position: [0, 0.5, 0] })).toBe("point on chair.glb");
    expect(describe_({ type: "region", file: 3, shape: "point", points: [[0.3, 0.4]] })).toBe("point on frame.png");
  });

  it("are read from their JSON only when well formed", () => {
    expect(asTime({ type: "time", start: 1, end: 2 })).toEqual({ type: "time", start: 1, end: 2 });
    expect(asTime({ type: "time", file: 4, start: 1, end: "2" })).toBeNull();
    expect(asJoint({ type: "joint", file: 1, joint: "Head", frame: 3 })).toEqual({ type: "joint", file: 1, joint: "Head", frame: 3 });
    expect(asJoint({ type: "joint", file: 1 })).toBeNull();
    expect(asPoint({ type: "point", file: 2, position: [1, 2, 3] })?.position).toEqual([1, 2, 3]);
    expect(asPoint({ type: "point", file: 2, position: [1, 2] })).toBeNull();
  });

  it("format times as m:ss.hh", () => {
    expect(formatClock(0)).toBe("0:00.00");
    expect(formatClock(65.456)).toBe("1:05.46");
    expect(formatClock(-1.5)).toBe("-0:01.50");
  });
});
