import { useCallback, useEffect, useLayoutEffect, useState } from "react";
import { ApiError, get } from "./api/client";

/** Load JSON from the API; `reload` fetches again. */
export function useApi<T>(path: string | null) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(path !== null);

  const reload = useCallback(async () => {
    if (path === null) return;
    setLoading(true);
    try {
      setData(await get<T>(path));
      setError(null);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, "error", String(err)));
    } finally {
      setLoading(false);
    }
  }, [path]);

  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- loading on mount and on a new path is what this hook is for
    void reload();
  }, [reload]);

  return { data, error, loading, reload, setData };
}

/** Two-key shortcuts such as "g p", ignored while typing in a field. Bound in a layout effect, so that the keys
 * work from the moment what they act on is on screen (a plain effect runs after paint: a quick key was lost). */
export function useShortcuts(bindings: Record<string, () => void>) {
  useLayoutEffect(() => {
    let prefix = "";
    let timer: number | undefined;
    function onKey(event: KeyboardEvent) {
      const target = event.target as HTMLElement | null;
      if (target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))) return;
      if (event.metaKey || event.ctrlKey || event.altKey) return;
      const key = prefix ? `${prefix} ${event.key}` : event.key;
      const action = bindings[key];
      if (action) {
        event.preventDefault();
        prefix = "";
        action();
        return;
      }
      if (Object.keys(bindings).some((k) => k.startsWith(`${event.key} `))) {
        prefix = event.key;
        window.clearTimeout(timer);
        timer = window.setTimeout(() => (prefix = ""), 1200);
      } else {
        prefix = "";
      }
    }
    window.addEventListener("keydown", onKey);
    return () => {
      window.removeEventListener("keydown", onKey);
      window.clearTimeout(timer);
    };
  }, [bindings]);
}
