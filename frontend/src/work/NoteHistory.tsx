/** When a note last changed, and its earlier versions (kept by the server), under the note. */
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
