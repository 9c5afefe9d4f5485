/** Process notes: the list, editing one in place (its text and its anchor), and the form for the next one. The
 * anchor being marked on the media (`pending`) goes to the next note, or to the note being edited on request. */
import { useImperativeHandle, useRef, useState, type ReactNode, type Ref } from "react";
import type { Anchor } from "./MediaViewer";
import type { Note } from "./merge";
import { NoteBody } from "./NoteHistory";

/** A note being edited in place: its new text and anchor, applied to the work on "Save note". */
type NoteEdit = { id: string; body: string; anchor: Anchor | null };

/** What the page's shortcuts do here: N focuses the new note, E edits the last one. */
export interface NotesHandle {
  focusNew: () => void;
  editLast: () => void;
}

export function noteId(): string {
  return `n${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

const focusEditButton = (id: string) =>
  window.requestAnimationFrame(() => document.querySelector<HTMLButtonElement>(`[data-edit-note="${id}"]`)?.focus());

export function NotesPanel({
  ref,
  notes,
  active,
  pending,
  setPending,
  drafts,
  describe,
  errors,
  change,
}: {
  ref?: Ref<NotesHandle>;
  notes: Note[];
  active: boolean;
  pending: Anchor | null;
  setPending: (a: Anchor | null) => void;
  drafts: { id: number; sequence: number }[];
  describe: (a: Anchor | null) => string;
  errors?: ReactNode;
  /** Apply a change to the notes (the page keeps the work and saves it). */
  change: (f: (notes: Note[]) => Note[]) => void;
}) {
  const [editing, setEditing] = useState<NoteEdit | null>(null);
  const [text, setText] = useState("");
  const newNote = useRef<HTMLTextAreaElement>(null);

  function startEdit(n: Note) {
    setEditing({ id: n.id, body: n.body, anchor: n.anchor ?? null });
  }
  useImperativeHandle(ref, () => ({
    focusNew: () => newNote.current?.focus(),
    editLast: () => {
      const last = notes.at(-1);
      if (last && active) startEdit(last);
    },
  }));

  function saveEdit() {
    if (!editing || !editing.body.trim()) return;
    const { id, body, anchor } = editing;
    change((all) => all.map((x) => (x.id === id ? { ...x, body: body.trim(), anchor } : x)));
    setEditing(null);
    focusEditButton(id);
  }
  function cancelEdit() {
    const id = editing?.id;
    setEditing(null);
    if (id) focusEditButton(id);
  }
  function addNote() {
    if (!text.trim()) return;
    const note: Note = { id: noteId(), body: text.trim(), anchor: pending };
    change((all) => [...all, note]);
    setText("");
    setPending(null);
  }

  return (
    <section className="card" aria-labelledby="notes-title">
      <h2 id="notes-title">Process notes</h2>
      <ol className="notes">
        {notes.map((n, i) =>
          editing?.id === n.id ? (
            <li key={n.id} className="note-editing">
              <span className="note-no">{i + 1}</span>
              <div className="grow">
                <textarea
                  autoFocus
                  rows={3}
                  aria-label={`Note ${i + 1} text`}
                  value={editing.body}
                  onChange={(e) => setEditing({ ...editing, body: e.target.value })}
                  onKeyDown={(e) => {
                    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
                      e.preventDefault();
                      saveEdit();
                    } else if (e.key === "Escape") {
                      e.preventDefault();
                      cancelEdit();
                    }
                  }}
                />
                <div className="row">
                  <span className="muted small grow" data-testid="editing-anchor">
                    {describe(editing.anchor) || "not anchored"}
                    {pending ? " · a new anchor is marked" : " · mark a region, a time range, a passage or pick a draft to re-anchor"}
                  </span>
                  {pending && (
                    <button type="button" className="btn" onClick={() => (setEditing({ ...editing, anchor: pending }), setPending(null))}>
                      Anchor to the new mark
                    </button>
                  )}
                  {editing.anchor && (
                    <button type="button" className="btn" onClick={() => setEditing({ ...editing, anchor: null })}>
                      Remove the anchor
                    </button>
                  )}
                  <button type="button" className="btn" onClick={cancelEdit}>
                    Cancel
                  </button>
                  <button type="button" className="btn btn-primary" onClick={saveEdit} disabled={!editing.body.trim()}>
                    Save note
                  </button>
                </div>
              </div>
            </li>
          ) : (
            <li key={n.id}>
              <span className="note-no">{i + 1}</span>
              <NoteBody note={n} describe={describe} />
              {active && (
                <button type="button" className="btn btn-ghost" aria-label={`Edit note ${i + 1}`} data-edit-note={n.id} onClick={() => startEdit(n)}>
                  Edit
                </button>
              )}
              {active && (
                <button type="button" className="btn btn-danger-ghost" aria-label={`Remove note ${i + 1}`} onClick={() => change((all) => all.filter((x) => x.id !== n.id))}>
                  ✕
                </button>
              )}
            </li>
          ),
        )}
      </ol>
      {errors}
      {active && (
        <div className="note-new">
          <textarea
            ref={newNote}
            rows={2}
            aria-label="New note"
            value={text}
            placeholder="What you tried, what failed and why… (N)"
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                addNote();
              }
            }}
          />
          <div className="row">
            <span className="muted small grow" data-testid="pending-anchor">
              {pending ? (
                <>
                  Anchored to {describe(pending)}{" "}
                  <button type="button" className="linkish" onClick={() => setPending(null)}>
                    clear
                  </button>
                </>
              ) : (
                "Draw a region, mark a time range or select text to anchor the note."
              )}
            </span>
            {drafts.length > 0 && (
              <select aria-label="Anchor to a draft" value="" onChange={(e) => e.target.value && setPending({ type: "draft", draft: Number(e.target.value) })}>
                <option value="">…or to a draft</option>
                {drafts.map((d) => (
                  <option key={d.id} value={d.id}>
                    Draft {d.sequence}
                  </option>
                ))}
              </select>
            )}
            <button type="button" className="btn btn-primary" onClick={addNote} disabled={!text.trim()}>
              Add note
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
