/** A task file read and parsed in the page (a motion take, a model, a sensor series). */
import { useEffect, useRef, useState } from "react";
import { useStableSource, type TaskFile } from "./MediaViewer";

export type FileData<T> = { state: "loading" } | { state: "ready"; value: T } | { state: "failed"; message: string };

/** The file's body, fetched and turned into what the view needs by `read`: once per link (useStableSource keeps the
 * link across saves, which answer with fresh ones), cancelled when the link changes or the view goes away. */
export function useFileData<T>(file: TaskFile, read: (response: Response) => Promise<T>): FileData<T> {
  const { src } = useStableSource(file.id, file.download_url);
  const [load, setLoad] = useState<{ key: string; data: FileData<T> }>({ key: "", data: { state: "loading" } });
  const reader = useRef(read);
  useEffect(() => {
    reader.current = read;
  });
  useEffect(() => {
    if (!src) return;
    const controller = new AbortController();
    fetch(src, { signal: controller.signal })
      .then(async (response) => {
        if (!response.ok) throw new Error(`The server answered ${response.status}.`);
        const value = await reader.current(response);
        setLoad({ key: src, data: { state: "ready", value } });
      })
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setLoad({ key: src, data: { state: "failed", message: err instanceof Error ? err.message : String(err) } });
      });
    return () => controller.abort();
  }, [src]);
  return load.key === (src ?? "") ? load.data : { state: "loading" };
}
