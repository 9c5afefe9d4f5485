import { useLayoutEffect, useState, type FormEvent } from "react";

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

/** A form's submission: busy while it runs, what went wrong (the caught error turned into `E` by `toError`), and the
 * message a success leaves (the action's answer). Each run clears the last one's error and message. */
export function useSubmission<E>(toError: (err: unknown) => E) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<E | null>(null);
  const [done, setDone] = useState<string | null>(null);
  async function run(action: () => Promise<string | void>) {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const message = await action();
      if (message) setDone(message);
    } catch (err) {
      setError(toError(err));
    } finally {
      setBusy(false);
    }
  }
  /** A form's onSubmit that runs `action` instead of the browser's own submission. */
  const onSubmit = (action: () => Promise<string | void>) => (event: FormEvent) => {
    event.preventDefault();
    void run(action);
  };
  return { busy, error, setError, done, setDone, run, onSubmit };
}
