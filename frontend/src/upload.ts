/** Browser uploads: announce, send each file straight to storage with progress, confirm. */
import { completeUploads, requestUploads } from "./features/projects/api/uploads";
import type { UploadTicket } from "./api/types";

export interface UploadState {
  name: string;
  size: number;
  loaded: number;
  status: "waiting" | "uploading" | "uploaded" | "failed";
  error?: string;
}

/** POST a file as multipart form data to a presigned URL, reporting progress (fetch cannot report it). */
export function sendToStorage(ticket: UploadTicket, file: File, onProgress: (loaded: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [key, value] of Object.entries(ticket.form_fields)) form.append(key, value);
    form.append("file", file);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", ticket.url);
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () =>
      xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(new Error(`Storage refused the file (${xhr.status}).`));
    xhr.onerror = () => reject(new Error("The upload was interrupted."));
    xhr.send(form);
  });
}

export function contentTypeOf(file: File): string {
  if (file.type) return file.type;
  const ext = file.name.split(".").pop()?.toLowerCase() ?? "";
  const byExt: Record<string, string> = { md: "text/markdown", txt: "text/plain", csv: "text/csv", json: "application/json" };
  return byExt[ext] ?? "application/octet-stream";
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
