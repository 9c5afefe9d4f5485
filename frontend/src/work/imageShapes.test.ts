import { ShapeType, type Rectangle } from "@annotorious/annotorious";
import { describe, expect, it } from "vitest";
import { fromShape, sameRegion, toShape, type Region } from "./imageShapes";

describe("region anchors and Annotorious shapes", () => {
  it("turns a rectangle anchor into pixels of the image and back", () => {
    const region: Region = { shape: "rectangle", points: [[0.25, 0.25], [0.5, 0.75]] };
    const shape = toShape(region, 800, 600);
    expect(shape).toEqual({
      type: ShapeType.RECTANGLE,
      geometry: { x: 200, y: 150, w: 200, h: 300, bounds: { minX: 200, minY: 150, maxX: 400, maxY: 450 } },
    });
    expect(fromShape(shape, 800, 600)).toEqual(region);
  });

  it("keeps a polygon's corners in order", () => {
    const region: Region = { shape: "polygon", points: [[0.1, 0.1], [0.9, 0.2], [0.5, 0.8]] };
    const shape = toShape(region, 1000, 500);
    expect(shape.type).toBe(ShapeType.POLYGON);
    expect(shape.geometry.bounds).toEqual({ minX: 100, minY: 50, maxX: 900, maxY: 400 });
    expect(fromShape(shape, 1000, 500)).toEqual(region);
  });

  it("keeps a turned rectangle as the polygon of its corners", () => {
    const turned: Rectangle = {
      type: ShapeType.RECTANGLE,
      geometry: { x: 100, y: 100, w: 200, h: 100, rot: Math.PI / 2, bounds: { minX: 100, minY: 100, maxX: 300, maxY: 200 } },
    };
    const region = fromShape(turned, 1000, 1000);
    expect(region?.shape).toBe("polygon");
    // A quarter turn about the centre (200, 150): the 200-wide box stands 200 tall.
    expect(region?.points).toEqual([[0.25, 0.05], [0.25, 0.25], [0.15, 0.25], [0.15, 0.05]]);
  });

  it("clamps a shape dragged past the edge to the image", () => {
    const outside: Rectangle = {
      type: ShapeType.RECTANGLE,
      geometry: { x: -50, y: 10, w: 100, h: 2000, bounds: { minX: -50, minY: 10, maxX: 50, maxY: 2010 } },
    };
    expect(fromShape(outside, 100, 100)?.points).toEqual([[0, 0.1], [0.5, 1]]);
  });

  it("tells a shape read back (to the anchors' rounding) from an edit", () => {
    const a: Region = { shape: "rectangle", points: [[0.2, 0.2], [0.5, 0.6]] };
    expect(sameRegion(a, { shape: "rectangle", points: [[0.20001, 0.2], [0.5, 0.6]] })).toBe(true);
    expect(sameRegion(a, { shape: "rectangle", points: [[0.21, 0.2], [0.5, 0.6]] })).toBe(false);
    expect(sameRegion(a, { shape: "polygon", points: a.points })).toBe(false);
  });
});
