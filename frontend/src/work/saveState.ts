/** The autosave's states and what moves between them, written out as a reducer (the page dispatches what
 * happened; this says what the person sees, and when the next save is due). */

export type SaveState = "saved" | "dirty" | "saving" | "conflict" | "offline" | "error";

export type SaveEvent =
  /** The person changed the work. */
  | { type: "edited" }
  /** Edits this browser kept but never sent are shown again. */
  | { type: "restored" }
  /** A save is on its way. */
  | { type: "sending" }
  /** The server took the save; `pending` when more was typed while it was on its way. */
  | { type: "sent"; pending: boolean }
  /** Nothing to send, and the server holds nothing newer. */
  | { type: "confirmed" }
  /** The server's newer work was taken in (saved elsewhere, or the work left progress). */
  | { type: "taken" }
  /** A save met a newer version that only moved bookkeeping: send again from it. */
  | { type: "stale" }
  | { type: "offline" }
  | { type: "failed" }
  /** Saved elsewhere and changed here: the person merges before anything is sent. */
  | { type: "conflict" }
  /** The merge is chosen; `pending` when the result differs from the server's copy. */
  | { type: "resolved"; pending: boolean };

/** What the person reads for each state: a key of the `work` catalogue. */
export const SAVE_LABEL: Record<SaveState, `save.${SaveState}`> = {
  saved: "save.saved",
  dirty: "save.dirty",
  saving: "save.saving",
  conflict: "save.conflict",
  offline: "save.offline",
  error: "save.error",
};

export function saveReducer(state: SaveState, event: SaveEvent): SaveState {
  switch (event.type) {
    case "edited":
      return state === "conflict" ? state : "dirty"; // a waiting merge is not hidden by typing
    case "confirmed":
      return state === "conflict" ? state : "saved";
    case "restored":
    case "stale":
      return "dirty";
    case "sending":
      return "saving";
    case "sent":
    case "resolved":
      return event.pending ? "dirty" : "saved";
    case "taken":
      return "saved";
    case "offline":
      return "offline";
    case "failed":
      return "error";
    case "conflict":
      return "conflict";
  }
}

export const AUTOSAVE_MS = 3_000;
export const OFFLINE_RETRY_MS = 10_000;

/** How long after the last change the next save is due, or null when none is (saved, saving, a merge waiting, a
 * refusal the person must see). */
export function autosaveDelay(state: SaveState): number | null {
  if (state === "dirty") return AUTOSAVE_MS;
  if (state === "offline") return OFFLINE_RETRY_MS;
  return null;
}
