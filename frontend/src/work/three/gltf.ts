/** glTF as the page can read it under its Content-Security-Policy: connect-src 'self' refuses the `data:` links a
 * .gltf embeds its buffers in (three.js would fetch them), so a .gltf is turned into a GLB in memory first, its
 * embedded buffers joined into the GLB's one binary chunk. A .gltf naming files beside it cannot be read from one
 * signed link; it is refused with a message. */
import { i18n } from "../../i18n";

const GLB_MAGIC = 0x46546c67; // "glTF"

export const isGlb = (bytes: ArrayBuffer) => bytes.byteLength >= 12 && new DataView(bytes).getUint32(0, true) === GLB_MAGIC;

const DATA_URI = /^data:[^;,]*(;base64)?,/;

function decodeDataUri(uri: string): Uint8Array {
  const m = DATA_URI.exec(uri);
  if (!m) throw new Error("not a data URI");
  const body = uri.slice(m[0].length);
  if (!m[1]) return new TextEncoder().encode(decodeURIComponent(body));
  const raw = atob(body);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

const pad4 = (n: number) => (n + 3) & ~3;

interface GltfJson {
  buffers?: { uri?: string; byteLength: number }[];
  bufferViews?: { buffer: number; byteOffset?: number; [key: string]: unknown }[];
  images?: { uri?: string }[];
  [key: string]: unknown;
}

/** A .gltf's JSON as a GLB: every buffer (each a data: URI) packed into the binary chunk, one after another. */
export function gltfToGlb(json: GltfJson): ArrayBuffer {
  const buffers = json.buffers ?? [];
  const external = [...buffers, ...(json.images ?? [])].find((b) => b.uri !== undefined && !DATA_URI.test(b.uri));
  if (external) throw new Error(i18n.t("model.external", { ns: "work", uri: external.uri ?? "" }));
  const parts = buffers.map((b) => (b.uri ? decodeDataUri(b.uri) : new Uint8Array(b.byteLength)));
  const starts: number[] = [];
  let total = 0;
  for (const p of parts) {
    starts.push(total);
    total = pad4(total + p.length);
  }
  const bin = new Uint8Array(total);
  parts.forEach((p, i) => bin.set(p, starts[i]));
  const out: GltfJson = {
    ...json,
    buffers: total ? [{ byteLength: total }] : [],
    bufferViews: (json.bufferViews ?? []).map((v) => ({ ...v, buffer: 0, byteOffset: (v.byteOffset ?? 0) + (starts[v.buffer] ?? 0) })),
  };
  if (!buffers.length) delete out.buffers;
  const text = new TextEncoder().encode(JSON.stringify(out));
  const jsonLength = pad4(text.length);
  const length = 12 + 8 + jsonLength + (total ? 8 + total : 0);
  const glb = new ArrayBuffer(length);
  const view = new DataView(glb);
  const bytes = new Uint8Array(glb);
  view.setUint32(0, GLB_MAGIC, true);
  view.setUint32(4, 2, true);
  view.setUint32(8, length, true);
  view.setUint32(12, jsonLength, true);
  view.setUint32(16, 0x4e4f534a, true); // "JSON"
  bytes.set(text, 20);
  bytes.fill(0x20, 20 + text.length, 20 + jsonLength);
  if (total) {
    view.setUint32(20 + jsonLength, total, true);
    view.setUint32(24 + jsonLength, 0x004e4942, true); // "BIN\0"
    bytes.set(bin, 28 + jsonLength);
  }
  return glb;
}

/** The bytes of a .glb or a .gltf, as a GLB. */
export function asGlb(bytes: ArrayBuffer): ArrayBuffer {
  if (isGlb(bytes)) return bytes;
  const json: unknown = JSON.parse(new TextDecoder().decode(bytes));
  if (typeof json !== "object" || json === null) throw new Error("this is neither a GLB nor a glTF");
  return gltfToGlb(json as GltfJson);
}
