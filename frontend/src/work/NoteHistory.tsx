/** A note as the workspace and the review page show it: its text, anchor, times, and earlier versions (kept by the
 * server) under it. */
import { useTranslation } from "react-i18next";
import { dateTime } from "../format";
import type { Note } from "./merge";

export function NoteEdited({ note }: { note: Note }) {
  const { t } = useTranslation("work");
  return note.edited_at ? <> · {t("notes.edited", { when: dateTime(note.edited_at) })}</> : null;
}

export function NoteHistory({ note, describe }: { note: Note; describe: (anchor: Note["anchor"]) => string }) {
  const { t } = useTranslation("work");
  const history = note.history ?? [];
  if (!history.length) return null;
  return (
    <details className="note-history">
      <summary className="muted small">
        {t("notes.history", { count: history.length })}
      </summary>
      <ol>
        {history.map((v, i) => (
          <li key={i} className="small">
            <span className="muted">{dateTime(v.at)}</span> {v.body}
            {v.anchor && <span className="muted"> · {describe(v.anchor)}</span>}
          </li>
        ))}
      </ol>
    </details>
  );
}

export function NoteBody({ note, describe }: { note: Note; describe: (anchor: Note["anchor"]) => string }) {
  const { t } = useTranslation("work");
  return (
    <div className="grow">
      <p>{note.body}</p>
      <span className="muted small">
        {describe(note.anchor) || t("notes.notAnchored")}
        {" · "}
        {note.created_at ? dateTime(note.created_at) : t("notes.notSaved")}
        <NoteEdited note={note} />
      </span>
      <NoteHistory note={note} describe={describe} />
    </div>
  );
}
