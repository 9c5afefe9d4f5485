/** Keeping typed work safe: a local copy until the server confirms, and merging after a stale save (409).
 *
 * The merge is three-way: `base` is the version this tab last loaded or saved, `mine` is this tab's work, `theirs`
 * is what the server holds now. Per field (the intent, each answer by key) and per note (by id): what only one side
 * changed wins, a note added on either side stays, a note deleted on one side (and left alone on the other) goes,
 * and what both sides changed differently is a conflict for the person to choose. Documents are compared by their
 * content only: a version, a saved-at time or a note's server timestamps are bookkeeping, never a change. */

export interface NoteVersion {
  body: string;
  anchor: Record<string, unknown> | null;
  at: string;
}

export interface Note {
  id: string;
  body: string;
  anchor: Record<string, unknown> | null;
  created_at?: string;
  edited_at?: string | null;
  history?: NoteVersion[];
}

export interface WorkDoc {
  intent: string;
  notes: Note[];
  answers: Record<string, unknown>;
}

export interface LocalCopy extends WorkDoc {
  baseVersion: number;
  /** The document at `baseVersion` (what this tab had loaded or saved): the base of a merge after a reload. */
  base?: WorkDoc;
  savedAt: number;
}

const KEY = (id: number) => `atelier.work.${id}`;

export const EMPTY_DOC: WorkDoc = { intent: "", notes: [], answers: {} };

export function keepLocally(
  id: number,
  base: { version: number; doc: WorkDoc },
  doc: WorkDoc,
  storage: Storage = localStorage,
): void {
  const copy: LocalCopy = { ...content(doc), baseVersion: base.version, base: content(base.doc), savedAt: Date.now() };
  try {
    storage.setItem(KEY(id), JSON.stringify(copy));
  } catch {
    /* storage full or disabled: the in-memory state still holds the edits */
  }
}

export function localCopy(id: number, storage: Storage = localStorage): LocalCopy | null {
  try {
    const raw = storage.getItem(KEY(id));
    return raw ? (JSON.parse(raw) as LocalCopy) : null;
  } catch {
    return null;
  }
}

export function forgetLocal(id: number, storage: Storage = localStorage): void {
  storage.removeItem(KEY(id));
}

/** The work itself, without bookkeeping: intent, each note's id, body and anchor, and the answers. */
export function content(d: WorkDoc): WorkDoc {
  return {
    intent: d.intent,
    notes: d.notes.map(({ id, body, anchor }) => ({ id, body, anchor: anchor ?? null })),
    answers: { ...d.answers },
  };
}

/** JSON with object keys sorted, so that the same value always reads the same (PostgreSQL reorders JSON keys). */
function canonical(value: unknown): string {
  if (value === undefined) return "undefined";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
}

export function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

/** The same work, whatever the bookkeeping (versions, saved-at, server timestamps, key order) around it. */
export function sameDoc(a: WorkDoc, b: WorkDoc): boolean {
  return sameValue(content(a), content(b));
}

function sameNote(a: Note | null, b: Note | null): boolean {
  if (a === null || b === null) return a === b;
  return a.body === b.body && sameValue(a.anchor ?? null, b.anchor ?? null);
}

export type Conflict =
  | { kind: "intent"; key: "intent"; base: string; mine: string; theirs: string }
  | { kind: "answer"; key: string; field: string; base: unknown; mine: unknown; theirs: unknown }
  | { kind: "note"; key: string; id: string; base: Note | null; mine: Note | null; theirs: Note | null };

/** "mine" or "theirs" keeps one side; "both" keeps both texts (the intent one after the other, a note twice). */
export type Choice = "mine" | "theirs" | "both";

export interface Merge {
  /** The merged document, with each conflict settled by its choice (this tab's side until one is made). */
  doc: WorkDoc;
  /** What both sides changed differently, in the order they appear (intent, notes, answers). */
  conflicts: Conflict[];
  /** The keys of conflicts that have no choice yet: the merge is ready when this is empty. */
  open: string[];
}

/** Pick between three versions of one value: a change made on one side only wins; `null` when both changed it. */
function pick<T>(base: T, mine: T, theirs: T, same: (a: T, b: T) => boolean): { value: T } | null {
  if (same(mine, theirs)) return { value: theirs };
  if (same(mine, base)) return { value: theirs };
  if (same(theirs, base)) return { value: mine };
  return null;
}

function copyId(id: string): string {
  return `${id.slice(0, 54)}-m${Math.random().toString(36).slice(2, 8)}`;
}

export function mergeDocs(
  base: WorkDoc,
  mine: WorkDoc,
  theirs: WorkDoc,
  choices: Record<string, Choice> = {},
  newId: (id: string) => string = copyId,
): Merge {
  const conflicts: Conflict[] = [];
  const open: string[] = [];
  const choose = (key: string): Choice => {
    const c = choices[key];
    if (!c) open.push(key);
    return c ?? "mine";
  };

  // The intent.
  let intent: string;
  const intentPick = pick(base.intent, mine.intent, theirs.intent, (a, b) => a === b);
  if (intentPick) {
    intent = intentPick.value;
  } else {
    conflicts.push({ kind: "intent", key: "intent", base: base.intent, mine: mine.intent, theirs: theirs.intent });
    const c = choose("intent");
    intent = c === "theirs" ? theirs.intent : c === "both" ? `${theirs.intent}\n\n${mine.intent}` : mine.intent;
  }

  // Notes, by id. Their order is the other side's, with this tab's new notes after the note they followed here.
  const byId = (d: WorkDoc) => new Map(d.notes.map((n) => [n.id, n]));
  const [b, m, t] = [byId(base), byId(mine), byId(theirs)];
  const settled = new Map<string, Note[]>();
  for (const id of new Set([...t.keys(), ...m.keys(), ...b.keys()])) {
    const [bn, mn, tn] = [b.get(id) ?? null, m.get(id) ?? null, t.get(id) ?? null];
    const chosen = pick(bn, mn, tn, sameNote);
    if (chosen) {
      // Equal content on both sides: keep the server's copy (it carries the server's timestamps and history).
      const keep = chosen.value && tn && sameNote(chosen.value, tn) ? tn : chosen.value;
      settled.set(id, keep ? [keep] : []);
      continue;
    }
    const key = `note:${id}`;
    conflicts.push({ kind: "note", key, id, base: bn, mine: mn, theirs: tn });
    const c = choose(key);
    if (c === "theirs") settled.set(id, tn ? [tn] : []);
    else if (c === "mine") settled.set(id, mn ? [mn] : []);
    else settled.set(id, [tn, mn && tn ? { ...mn, id: newId(id), created_at: undefined, edited_at: undefined, history: undefined } : mn].filter((n): n is Note => n !== null));
  }
  const order: string[] = theirs.notes.map((n) => n.id);
  let after = -1;
  for (const n of mine.notes) {
    const at = order.indexOf(n.id);
    if (at >= 0) {
      after = at;
    } else {
      order.splice(after + 1, 0, n.id);
      after += 1;
    }
  }
  const notes = order.flatMap((id) => settled.get(id) ?? []);

  // Answers, by key.
  const answers: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(theirs.answers), ...Object.keys(mine.answers), ...Object.keys(base.answers)])) {
    const [bv, mv, tv] = [base.answers[key], mine.answers[key], theirs.answers[key]];
    const chosen = pick(bv, mv, tv, sameValue);
    let value: unknown;
    if (chosen) {
      value = chosen.value;
    } else {
      const k = `answer:${key}`;
      conflicts.push({ kind: "answer", key: k, field: key, base: bv, mine: mv, theirs: tv });
      value = choose(k) === "theirs" ? tv : mv;
    }
    if (value !== undefined) answers[key] = value;
  }

  // Conflicts in the order the page shows them: intent, notes, answers.
  const rank = { intent: 0, note: 1, answer: 2 } as const;
  conflicts.sort((x, y) => rank[x.kind] - rank[y.kind]);
  return { doc: { intent, notes, answers }, conflicts, open };
}
