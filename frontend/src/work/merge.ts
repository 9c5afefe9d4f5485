/** Keeping typed work safe: a local copy until the server confirms, and merging after a stale save (409). */

export interface Note {
  id: string;
  body: string;
  anchor: Record<string, unknown> | null;
  created_at?: string;
}

export interface WorkDoc {
  intent: string;
  notes: Note[];
  answers: Record<string, unknown>;
}

export interface LocalCopy extends WorkDoc {
  baseVersion: number;
  savedAt: number;
}

const KEY = (id: number) => `atelier.work.${id}`;

export function keepLocally(id: number, baseVersion: number, doc: WorkDoc, storage: Storage = localStorage): void {
  const copy: LocalCopy = { ...doc, baseVersion, savedAt: Date.now() };
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

export function sameDoc(a: WorkDoc, b: WorkDoc): boolean {
  const strip = (d: WorkDoc) => ({ ...d, notes: d.notes.map(({ id, body, anchor }) => ({ id, body, anchor })) });
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}

/**
 * Merge my unsaved edits into the version saved elsewhere: notes from both (mine win where both changed one),
 * my answers over theirs, and the intent: mine if theirs did not change from our common base, both texts
 * one after the other when both changed it (nothing typed is dropped).
 */
export function mergeDocs(base: WorkDoc, mine: WorkDoc, theirs: WorkDoc): WorkDoc {
  let intent = mine.intent;
  if (theirs.intent !== base.intent && mine.intent !== base.intent && theirs.intent !== mine.intent) {
    intent = `${theirs.intent}\n\n${mine.intent}`;
  } else if (mine.intent === base.intent) {
    intent = theirs.intent;
  }
  const mineById = new Map(mine.notes.map((n) => [n.id, n]));
  const baseIds = new Set(base.notes.map((n) => n.id));
  const notes: Note[] = [];
  for (const n of theirs.notes) {
    const myVersion = mineById.get(n.id);
    if (myVersion) {
      notes.push(myVersion);
      mineById.delete(n.id);
    } else if (!baseIds.has(n.id)) {
      notes.push(n); // added elsewhere
    } // else: I deleted it here
  }
  for (const n of mineById.values()) if (!baseIds.has(n.id)) notes.push(n); // added here
  return { intent, notes, answers: { ...theirs.answers, ...mine.answers } };
}
