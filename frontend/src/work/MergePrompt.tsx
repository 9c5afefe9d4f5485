/** After a stale save: what merging keeps, and for each thing both sides changed, both versions to choose from. */
import { useTranslation } from "react-i18next";
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

const SIDES = ["mine", "theirs"] as const;

export function MergePrompt({ merge, mine, theirs, choices, onChoose, onResolve, describeAnchor, answerLabel }: Props) {
  const { t } = useTranslation("work");
  const showAnswer = (value: unknown): string => {
    if (value === undefined || value === null || value === "") return t("merge.noAnswer");
    if (Array.isArray(value)) return value.join(", ") || t("merge.none");
    return typeof value === "string" ? value : JSON.stringify(value);
  };
  const noteLabel = (id: string) => {
    const at = mine.notes.findIndex((n) => n.id === id);
    return t("merge.note", { number: at >= 0 ? at + 1 : theirs.notes.findIndex((n) => n.id === id) + 1 });
  };
  const label = (c: Conflict) => (c.kind === "intent" ? t("merge.intent") : c.kind === "note" ? noteLabel(c.id) : t("merge.answer", { label: answerLabel(c.field) }));
  const show = (c: Conflict, side: "mine" | "theirs") => {
    if (c.kind === "intent") return c[side] || t("merge.empty");
    if (c.kind === "answer") return showAnswer(c[side]);
    const n = c[side];
    if (!n) return t("merge.deleted");
    const anchor = describeAnchor(n.anchor);
    return anchor ? `${n.body} · ${anchor}` : n.body;
  };
  const count = merge.conflicts.length;
  return (
    <div className="banner banner-warn merge-prompt" role="alertdialog" aria-label={t("merge.label")}>
      <strong>{t("merge.title")}</strong>{" "}
      {count === 0 ? t("merge.noConflicts") : t("merge.conflicts", { count })}
      {merge.conflicts.map((c) => {
        const name = `merge-${c.key}`;
        const both = c.kind === "intent" || (c.kind === "note" && c.mine !== null && c.theirs !== null);
        return (
          <fieldset className="merge-choice" key={c.key}>
            <legend>{label(c)}</legend>
            <div className="merge-versions">
              {SIDES.map((side) => (
                <div className="merge-version" key={side}>
                  <label className="check">
                    <input type="radio" name={name} checked={choices[c.key] === side} onChange={() => onChoose(c.key, side)} />
                    {side === "mine" ? t("merge.keepYours") : t("merge.keepTheirs")}
                  </label>
                  <p className="merge-text">{show(c, side)}</p>
                </div>
              ))}
            </div>
            {both && (
              <label className="check">
                <input type="radio" name={name} checked={choices[c.key] === "both"} onChange={() => onChoose(c.key, "both")} />
                {c.kind === "intent" ? t("merge.keepBothTexts") : t("merge.keepBothNotes")}
              </label>
            )}
          </fieldset>
        );
      })}
      <div className="form-actions">
        <button type="button" className="btn btn-primary" disabled={merge.open.length > 0} onClick={() => onResolve("merge")}>
          {t("merge.merge")}
        </button>
        <button type="button" className="btn" onClick={() => onResolve("mine")}>
          {t("merge.mine")}
        </button>
        <button type="button" className="btn" onClick={() => onResolve("theirs")}>
          {t("merge.theirs")}
        </button>
      </div>
    </div>
  );
}
