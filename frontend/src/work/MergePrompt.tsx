/** After a stale save: what merging keeps, and for each thing both sides changed, both versions to choose from. */
import type { Choice, Conflict, Merge, Note, WorkDoc } from "./merge";

interface Props {
  merge: Merge;
  mine: WorkDoc;
  theirs: WorkDoc;
  choices: Record<string, Choice>;
  onChoose: (key: string, choice: Choice) => void;
  onResolve: (how: "merge" | "mine" | "theirs") => void;
  describeAnchor: (anchor: Note["anchor"]) => string;
  answerLabel: (key: string) => string;
}

function showAnswer(value: unknown): string {
  if (value === undefined || value === null || value === "") return "(no answer)";
  if (Array.isArray(value)) return value.join(", ") || "(none)";
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function MergePrompt({ merge, mine, theirs, choices, onChoose, onResolve, describeAnchor, answerLabel }: Props) {
  const noteLabel = (id: string) => {
    const at = mine.notes.findIndex((n) => n.id === id);
    return `Note ${at >= 0 ? at + 1 : theirs.notes.findIndex((n) => n.id === id) + 1}`;
  };
  const label = (c: Conflict) => (c.kind === "intent" ? "Intent" : c.kind === "note" ? noteLabel(c.id) : `Answer: ${answerLabel(c.field)}`);
  const show = (c: Conflict, side: "mine" | "theirs") => {
    if (c.kind === "intent") return c[side] || "(empty)";
    if (c.kind === "answer") return showAnswer(c[side]);
    const n = c[side];
    if (!n) return "(deleted)";
    const anchor = describeAnchor(n.anchor);
    return anchor ? `${n.body} · ${anchor}` : n.body;
  };
  const count = merge.conflicts.length;
  return (
    <div className="banner banner-warn merge-prompt" role="alertdialog" aria-label="Merge">
      <strong>This work was saved elsewhere (another tab or device) while you were editing.</strong>{" "}
      {count === 0
        ? "You changed different things: merging keeps your changes and the other version's."
        : `Merging keeps what only one side changed. Both changed ${count === 1 ? "one thing" : `${count} things`} differently: choose for each below.`}
      {merge.conflicts.map((c) => {
        const name = `merge-${c.key}`;
        const both = c.kind === "intent" || (c.kind === "note" && c.mine !== null && c.theirs !== null);
        return (
          <fieldset className="merge-choice" key={c.key}>
            <legend>{label(c)}</legend>
            <div className="merge-versions">
              {(["mine", "theirs"] as const).map((side) => (
                <div className="merge-version" key={side}>
                  <label className="check">
                    <input type="radio" name={name} checked={choices[c.key] === side} onChange={() => onChoose(c.key, side)} />
                    {side === "mine" ? "Keep yours" : "Keep the other version"}
                  </label>
                  <p className="merge-text">{show(c, side)}</p>
                </div>
              ))}
            </div>
            {both && (
              <label className="check">
                <input type="radio" name={name} checked={choices[c.key] === "both"} onChange={() => onChoose(c.key, "both")} />
                Keep both {c.kind === "intent" ? "texts (the other one first)" : "notes"}
              </label>
            )}
          </fieldset>
        );
      })}
      <div className="form-actions">
        <button type="button" className="btn btn-primary" disabled={merge.open.length > 0} onClick={() => onResolve("merge")}>
          Merge both
        </button>
        <button type="button" className="btn" onClick={() => onResolve("mine")}>
          Keep mine
        </button>
        <button type="button" className="btn" onClick={() => onResolve("theirs")}>
          Use the other version
        </button>
      </div>
    </div>
  );
}
