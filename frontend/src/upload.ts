/** Browser uploads: announce, send each file straight to storage with progress, confirm. */
import { i18n } from "./i18n";
import { completeUploads, requestUploads } from "./features/projects/api/uploads";
import type { UploadTicket } from "./api/types";

export interface UploadState {
  name: string;
  size: number;
  loaded: number;
  status: "waiting" | "uploading" | "uploaded" | "failed";
  error?: string;
}

/** POST a file as multipart form data to a presigned URL, reporting progress (fetch cannot report it). The file goes
 * with the type it was announced as: a browser that knows no type for it (a .bvh, a .c3d) would label the part
 * application/octet-stream, which the embedded mode's stand-in for S3 checks against the signed policy. */
export function sendToStorage(ticket: UploadTicket, file: File, onProgress: (loaded: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [key, value] of Object.entries(ticket.form_fields)) form.append(key, value);
    form.append("file", file.slice(0, file.size, ticket.form_fields["Content-Type"] ?? contentTypeOf(file)), file.name);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", ticket.url);
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () =>
      xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(new Error(i18n.t("errors.storageRefused", { status: xhr.status })));
    xhr.onerror = () => reject(new Error(i18n.t("errors.uploadInterrupted")));
    xhr.send(form);
  });
}

// Browsers give no type (or a generic one) for these, so the extension decides; the server checks the bytes.
const BY_EXTENSION: Record<string, string> = {
  md: "text/markdown",
  txt: "text/plain",
  csv: "text/csv",
  json: "application/json",
  bvh: "application/x-bvh",
  c3d: "application/x-c3d",
  parquet: "application/vnd.apache.parquet",
  gltf: "model/gltf+json",
  glb: "model/gltf-binary",
};
// A .gltf is JSON to most systems; a .bvh or .glb is often "application/octet-stream".
const GENERIC_TYPES = new Set(["", "application/octet-stream", "application/json"]);

export function contentTypeOf(file: File): string {
  const ext = file.name.split(".").pop()?.toLowerCase() ?? "";
  const byExt = BY_EXTENSION[ext];
  if (byExt && GENERIC_TYPES.has(file.type)) return byExt;
  return file.type || (byExt ?? "application/octet-stream");
}

export async function uploadFiles(
  projectId: number,
  files: File[],
  itemFor: (file: File, index: number) => string,
  onState: (states: UploadState[]) => void,
): Promise<number[]> {
  const states: UploadState[] = files.map((f) => ({ name: f.name, size: f.size, loaded: 0, status: "waiting" }));
  const emit = () => onState(states.map((s) => ({ ...s })));
  emit();
  const { uploads } = await requestUploads(projectId, {
    files: files.map((f, i) => ({ name: f.name, size_bytes: f.size, content_type: contentTypeOf(f), item: itemFor(f, i) })),
  });
  const done: number[] = [];
  // Three at a time: enough to fill the pipe, few enough to keep progress readable.
  let next = 0;
  async function worker() {
    while (next < files.length) {
      const i = next++;
      const state = states[i]!;
      state.status = "uploading";
      emit();
      try {
        await sendToStorage(uploads[i]!, files[i]!, (loaded) => {
          state.loaded = loaded;
          emit();
        });
        state.loaded = state.size;
        state.status = "uploaded";
        done.push(uploads[i]!.file_id);
      } catch (err) {
        state.status = "failed";
        state.error = (err as Error).message;
      }
      emit();
    }
  }
  await Promise.all([worker(), worker(), worker()]);
  if (done.length) await completeUploads(projectId, done);
  return done;
}
