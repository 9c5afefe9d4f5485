import { describe, expect, it } from "vitest";
import { asGlb, gltfToGlb, isGlb } from "./gltf";

const b64 = (bytes: number[]) => btoa(String.fromCharCode(...bytes));

function chunks(glb: ArrayBuffer) {
  const view = new DataView(glb);
  const jsonLength = view.getUint32(12, true);
  const json: unknown = JSON.parse(new TextDecoder().decode(new Uint8Array(glb, 20, jsonLength)));
  const binLength = glb.byteLength > 20 + jsonLength ? view.getUint32(20 + jsonLength, true) : 0;
  return { json, bin: new Uint8Array(glb, 28 + jsonLength, binLength), length: view.getUint32(8, true) };
}

describe("glTF as a GLB", () => {
  it("packs embedded buffers into the binary chunk and moves the views with them", () => {
    const glb = gltfToGlb({
      asset: { version: "2.0" },
      buffers: [
        { uri: `data:application/octet-stream;base64,${b64([1, 2, 3])}`, byteLength: 3 },
        { uri: `data:application/octet-stream;base64,${b64([9, 9])}`, byteLength: 2 },
      ],
      bufferViews: [{ buffer: 0, byteLength: 3 }, { buffer: 1, byteOffset: 1, byteLength: 1 }],
    });
    expect(isGlb(glb)).toBe(true);
    const { json, bin, length } = chunks(glb);
    expect(length).toBe(glb.byteLength);
    expect(json).toMatchObject({
      buffers: [{ byteLength: 8 }],
      bufferViews: [{ buffer: 0, byteOffset: 0, byteLength: 3 }, { buffer: 0, byteOffset: 5, byteLength: 1 }],
    });
    expect(Array.from(bin.slice(0, 6))).toEqual([1, 2, 3, 0, 9, 9]);
  });

  it("keeps a GLB as it is, and refuses a glTF that names files beside it", () => {
    const glb = gltfToGlb({ asset: { version: "2.0" } });
    expect(asGlb(glb)).toBe(glb);
    const gltf = new TextEncoder().encode(JSON.stringify({ asset: { version: "2.0" }, buffers: [{ uri: "cube.bin", byteLength: 4 }] }));
    expect(() => asGlb(gltf.buffer)).toThrow(/cube\.bin/);
  });
});
