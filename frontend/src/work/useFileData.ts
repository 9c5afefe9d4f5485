/** A task file read and parsed in the page (a motion take, a model, a sensor series), through TanStack Query. */
import { useQuery } from "@tanstack/react-query";
import { i18n } from "../i18n";
import { useStableSource, type TaskFile } from "./MediaViewer";

/** The server refused the file (an expired link, a missing file): its HTTP status, put in words where it is shown. */
class StatusError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

export type FileData<T> = { state: "loading" } | { state: "ready"; value: T } | { state: "failed"; message: string };

/** The file's body, fetched and turned into what the view needs by `read` (`kind` names what it is read as, for the
 * cache). It is read once per link: useStableSource keeps the link across saves, which answer with fresh ones, and
 * the parsed value is kept while the link stays; a request nobody waits for any more is cancelled. */
export function useFileData<T>(file: TaskFile, kind: string, read: (response: Response) => Promise<T>): FileData<T> {
  const { src } = useStableSource(file.id, file.download_url);
  const query = useQuery({
    queryKey: ["file-body", kind, file.id, src],
    enabled: Boolean(src),
    staleTime: Infinity,
    retry: false,
    structuralSharing: false, // a parsed take, model or series is kept as it was made, not compared with an earlier one
    queryFn: async ({ signal }) => {
      const response = await fetch(src ?? "", { signal });
      if (!response.ok) throw new StatusError(response.status);
      return read(response);
    },
  });
  if (query.isError) {
    const error = query.error;
    const message = error instanceof StatusError ? i18n.t("text.status", { ns: "work", status: error.status }) : error instanceof Error ? error.message : String(error);
    return { state: "failed", message };
  }
  return query.isSuccess ? { state: "ready", value: query.data } : { state: "loading" };
}
