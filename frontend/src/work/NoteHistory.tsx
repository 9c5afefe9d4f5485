/** A note as the workspace and the review page show it: its text, anchor, times, and earlier versions (kept by the
 * server) under it. */
import type { Note } from "./merge";

export function NoteEdited({ note }: { note: Note }) {
  return note.edited_at ? <> · edited {new Date(note.edited_at).toLocaleString()}</> : null;
}

export function NoteHistory({ note, describe }: { note: Note; describe: (anchor: Note["anchor"]) => string }) {
  const history = note.history ?? [];
  if (!history.length) return null;
  return (
    <details className="note-history">
      <summary className="muted small">
        {history.length} earlier version{history.length === 1 ? "" : "s"}
      </summary>
      <ol>
        {history.map((v, i) => (
          <li key={i} className="small">
            <span className="muted">{new Date(v.at).toLocaleString()}</span> {v.body}
            {v.anchor && <span className="muted"> · {describe(v.anchor)}</span>}
          </li>
        ))}
      </ol>
    </details>
  );
}

export function NoteBody({ note, describe }: { note: Note; describe: (anchor: Note["anchor"]) => string }) {
  return (
    <div className="grow">
      <p>{note.body}</p>
      <span className="muted small">
        {describe(note.anchor) || "not anchored"}
        {note.created_at ? ` · ${new Date(note.created_at).toLocaleString()}` : " · not saved yet"}
        <NoteEdited note={note} />
      </span>
      <NoteHistory note={note} describe={describe} />
    </div>
  );
}
