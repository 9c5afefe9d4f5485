import { describe, expect, it } from "vitest";
import { contentTypeOf } from "./upload";

const file = (name: string, type = "") => new File(["x"], name, { type });

describe("contentTypeOf", () => {
  it("names the motion, sensor and model types from the extension when the browser gives none", () => {
    expect(["walk.BVH", "take.c3d", "imu.parquet", "cube.gltf", "cube.glb"].map((n) => contentTypeOf(file(n)))).toEqual([
      "application/x-bvh",
      "application/x-c3d",
      "application/vnd.apache.parquet",
      "model/gltf+json",
      "model/gltf-binary",
    ]);
  });

  it("prefers the extension over a generic type, and the browser's type otherwise", () => {
    expect(contentTypeOf(file("cube.gltf", "application/json"))).toBe("model/gltf+json");
    expect(contentTypeOf(file("walk.bvh", "application/octet-stream"))).toBe("application/x-bvh");
    expect(contentTypeOf(file("data.json", "application/json"))).toBe("application/json");
    expect(contentTypeOf(file("photo.jpg", "image/jpeg"))).toBe("image/jpeg");
    expect(contentTypeOf(file("mystery.xyz"))).toBe("application/octet-stream");
  });
});
