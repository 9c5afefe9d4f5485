/** A contribution's whole process, read-only: the media with anchored notes, intent, answers and the drafts. */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Contribution } from "../api/types";
import { DraftCompare, DraftTimeline } from "./Drafts";
import { describeAnchor, type TaskFile } from "./MediaViewer";
import { MediaPanel } from "./MediaPanel";
import type { Note } from "./merge";
import { NoteBody } from "./NoteHistory";

export function ProcessView({ contribution }: { contribution: Contribution }) {
  const { t } = useTranslation("work");
  const c = contribution;
  const files = c.files as TaskFile[];
  const notes = c.notes as Note[];
  const drafts = c.drafts;
  const [comparing, setComparing] = useState<[number, number] | null>(null);
  const none = () => undefined;
  const draftLabel = (id: number) => t("anchor.draft", { sequence: drafts.find((d) => d.id === id)?.sequence ?? "?" });
  const pair = comparing ? [drafts.find((d) => d.id === comparing[0]), drafts.find((d) => d.id === comparing[1])] : null;
  return (
    <>
      <div className="workspace-grid">
        <section className="card">
          <MediaPanel files={files} notes={notes} pending={null} onAnchor={none} onReanchor={none} editable={false} />
        </section>
        <div>
          <section className="card">
            <h2>{t("process.intent")}</h2>
            <p className="intent">{c.intent || <span className="muted">{t("process.noIntent")}</span>}</p>
          </section>
          <section className="card">
            <h2>{t("notes.title")}</h2>
            {notes.length === 0 && <p className="muted">{t("process.noNotes")}</p>}
            <ol className="notes">
              {notes.map((n, i) => (
                <li key={n.id}>
                  <span className="note-no">{i + 1}</span>
                  <NoteBody note={n} describe={(a) => describeAnchor(a, files, draftLabel)} />
                </li>
              ))}
            </ol>
          </section>
          {Object.keys(c.answers as object).length > 0 && (
            <section className="card">
              <h2>{t("workspace.answers.title")}</h2>
              <dl className="facts">
                {Object.entries(c.answers as Record<string, unknown>).map(([k, v]) => (
                  <div key={k}>
                    <dt>{k}</dt>
                    <dd>{Array.isArray(v) ? v.join(", ") : String(v)}</dd>
                  </div>
                ))}
              </dl>
            </section>
          )}
        </div>
      </div>
      <section className="card">
        <h2>{t("drafts.title")}</h2>
        <DraftTimeline drafts={drafts} onCompare={(a, b) => setComparing([a, b])} />
      </section>
      {pair && pair[0] && pair[1] && <DraftCompare a={pair[0]} b={pair[1]} onClose={() => setComparing(null)} />}
    </>
  );
}
