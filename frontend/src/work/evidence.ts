/** Process evidence from the workspace: how many characters were typed and how many pasted into its text fields
 * since the last draft. Only the counts leave the browser, never the keys or the clipboard. */
import { i18n } from "../i18n";

export interface Evidence {
  typed: number;
  pasted: number;
}

const TEXT_INPUTS = new Set(["text", "search", "url", ""]);

export function isTextField(target: EventTarget | null): boolean {
  if (target instanceof HTMLTextAreaElement) return true;
  return target instanceof HTMLInputElement && TEXT_INPUTS.has(target.type);
}

/** Characters a key press adds to a text field: printable keys and Enter count one, editing keys none. */
export function typedBy(event: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "altKey">): number {
  if (event.ctrlKey || event.metaKey || event.altKey) return 0;
  return event.key.length === 1 || event.key === "Enter" ? 1 : 0;
}

/** Count typing and pasting inside `root` until `stop()`; `take()` returns the counts and starts again at zero. */
export function trackEvidence(root: HTMLElement): { take: () => Evidence; stop: () => void } {
  let typed = 0;
  let pasted = 0;
  const onKey = (e: KeyboardEvent) => {
    if (isTextField(e.target)) typed += typedBy(e);
  };
  const onPaste = (e: ClipboardEvent) => {
    if (isTextField(e.target)) pasted += e.clipboardData?.getData("text")?.length ?? 0;
  };
  root.addEventListener("keydown", onKey);
  root.addEventListener("paste", onPaste);
  return {
    take: () => {
      const out = { typed, pasted };
      typed = 0;
      pasted = 0;
      return out;
    },
    stop: () => {
      root.removeEventListener("keydown", onKey);
      root.removeEventListener("paste", onPaste);
    },
  };
}

/** "85% typed" for a draft's evidence (in the language shown now), or nothing when no text was written. */
export function typedShare(typed: number, pasted: number): string {
  const total = typed + pasted;
  return total ? i18n.t("drafts.typedShare", { ns: "work", share: Math.round((typed / total) * 100) / 100 }) : "";
}
