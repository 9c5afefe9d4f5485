/** Comparing two text drafts with jsdiff (Myers' O(ND) algorithm), bounded so that no pair of drafts can freeze the
 * page: word by word while both fit under WORD_LIMIT characters, else line by line, and each pass gives up after a
 * time and edit budget; past both, the drafts are shown whole, one removed and one added. */
import { diffLines, diffWordsWithSpace, type Change } from "diff";

export type DiffPart = { kind: "same" | "added" | "removed"; text: string };
export type DiffLevel = "words" | "lines" | "whole";
export interface Comparison {
  level: DiffLevel;
  parts: DiffPart[];
}

/** Characters per draft up to which words are compared (beyond, lines). */
export const WORD_LIMIT = 50_000;
/** Milliseconds a pass may take before it gives up (it returns nothing, and the next, coarser pass runs). */
export const PASS_BUDGET_MS = 250;
/** Edits a line pass may find before it gives up: more means the drafts are different texts, not two versions. */
export const LINE_EDIT_LIMIT = 20_000;

function parts(changes: Change[]): DiffPart[] {
  const out: DiffPart[] = [];
  for (const c of changes) {
    const kind = c.added ? "added" : c.removed ? "removed" : "same";
    const last = out[out.length - 1];
    if (last && last.kind === kind) last.text += c.value;
    else if (c.value) out.push({ kind, text: c.value });
  }
  return out;
}

export function compareTexts(before: string, after: string): Comparison {
  if (before === after) return { level: "words", parts: before ? [{ kind: "same", text: before }] : [] };
  if (before.length <= WORD_LIMIT && after.length <= WORD_LIMIT) {
    const words = diffWordsWithSpace(before, after, { timeout: PASS_BUDGET_MS });
    if (words) return { level: "words", parts: parts(words) };
  }
  const lines = diffLines(before, after, { timeout: PASS_BUDGET_MS, maxEditLength: LINE_EDIT_LIMIT });
  if (lines) return { level: "lines", parts: parts(lines) };
  const whole: DiffPart[] = [];
  if (before) whole.push({ kind: "removed", text: before });
  if (after) whole.push({ kind: "added", text: after });
  return { level: "whole", parts: whole };
}

/** Word-level parts (or line-level for long drafts): what the compare view shows. */
export function diffWords(before: string, after: string): DiffPart[] {
  return compareTexts(before, after).parts;
}

/** Long unchanged stretches are folded to their first and last lines, so the page holds what changed, not two
 * copies of a 200,000-character draft. */
export const CONTEXT_LINES = 3;

export type Shown = DiffPart | { kind: "folded"; lines: number; text: string };

export function foldUnchanged(input: DiffPart[], context = CONTEXT_LINES): Shown[] {
  return input.flatMap((part, index): Shown[] => {
    if (part.kind !== "same") return [part];
    const lines = part.text.split(/(?<=\n)/);
    const head = index === 0 ? 0 : context;
    const tail = index === input.length - 1 ? 0 : context;
    if (lines.length <= head + tail + 2) return [part];
    const hidden = lines.slice(head, lines.length - tail);
    const shown: Shown[] = [];
    if (head) shown.push({ kind: "same", text: lines.slice(0, head).join("") });
    shown.push({ kind: "folded", lines: hidden.length, text: hidden.join("") });
    if (tail) shown.push({ kind: "same", text: lines.slice(lines.length - tail).join("") });
    return shown;
  });
}
