/** What a workspace tab does with the server's copy of the work: the decisions of opening and of taking in a newer
 * read, as pure functions (the page applies them). Documents are compared by content only (see merge.ts). */
import { sameDoc, type LocalCopy, type WorkDoc, EMPTY_DOC } from "./merge";

export interface Base {
  version: number;
  doc: WorkDoc;
}

export interface ServerWork {
  version: number;
  inProgress: boolean;
  doc: WorkDoc;
}

/** Opening the workspace: the server's copy, unless this browser holds edits it never sent.
 * - "server": take the server's work (and forget any local copy);
 * - "restore": the local edits sit on the server's version: show them, unsaved;
 * - "merge": saved elsewhere since the local copy's base and changed here too: merge against `base`. */
export type Opening = { kind: "server" } | { kind: "restore"; mine: WorkDoc } | { kind: "merge"; mine: WorkDoc; base: Base };

export function openWith(local: LocalCopy | null, server: ServerWork): Opening {
  if (!local || !server.inProgress || sameDoc(local, server.doc)) return { kind: "server" };
  const mine: WorkDoc = { intent: local.intent, notes: local.notes, answers: local.answers };
  const localBase = local.base ?? EMPTY_DOC;
  // Nothing unsent here, and the server moved on: take its work.
  if (local.baseVersion !== server.version && sameDoc(mine, localBase)) return { kind: "server" };
  if (local.baseVersion === server.version || sameDoc(server.doc, localBase)) return { kind: "restore", mine };
  return { kind: "merge", mine, base: { version: local.baseVersion, doc: localBase } };
}

/** A newer read of the server's copy, taken in:
 * - "stale": an answer older than what this tab has: ignore it;
 * - "closed": the work left progress (submitted, returned): take it, nothing to save;
 * - "same": the same version: only the read-only parts (time, lease, drafts) are news;
 * - "advance": only bookkeeping moved (a draft saved elsewhere): move the base to the new version, keep this tab's
 *   edits;
 * - "adopt": saved elsewhere and nothing unsaved here (or the same work): take it;
 * - "conflict": both changed: the person merges. */
export type Reconcile = "stale" | "closed" | "same" | "advance" | "adopt" | "conflict";

export function reconcileWith(base: Base, mine: WorkDoc, fresh: ServerWork): Reconcile {
  if (fresh.version < base.version) return "stale";
  if (!fresh.inProgress) return "closed";
  if (fresh.version === base.version) return "same";
  if (sameDoc(fresh.doc, base.doc)) return "advance";
  if (sameDoc(mine, base.doc) || sameDoc(mine, fresh.doc)) return "adopt";
  return "conflict";
}
