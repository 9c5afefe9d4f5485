/** Process notes: the list, editing one in place (its text and its anchor), and the form for the next one. The
 * anchor being marked on the media (`pending`) goes to the next note, or to the note being edited on request. */
import { useImperativeHandle, useRef, useState, type ReactNode, type Ref } from "react";
import { useTranslation } from "react-i18next";
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
  const { t } = useTranslation("work");
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
      <h2 id="notes-title">{t("notes.title")}</h2>
      <ol className="notes">
        {notes.map((n, i) =>
          editing?.id === n.id ? (
            <li key={n.id} className="note-editing">
              <span className="note-no">{i + 1}</span>
              <div className="grow">
                <textarea
                  autoFocus
                  rows={3}
                  aria-label={t("notes.text", { number: i + 1 })}
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
                    {describe(editing.anchor) || t("notes.notAnchored")}
                    {" · "}
                    {pending ? t("notes.newMark") : t("notes.reanchorHint")}
                  </span>
                  {pending && (
                    <button type="button" className="btn" onClick={() => (setEditing({ ...editing, anchor: pending }), setPending(null))}>
                      {t("notes.useNewMark")}
                    </button>
                  )}
                  {editing.anchor && (
                    <button type="button" className="btn" onClick={() => setEditing({ ...editing, anchor: null })}>
                      {t("notes.removeAnchor")}
                    </button>
                  )}
                  <button type="button" className="btn" onClick={cancelEdit}>
                    {t("notes.cancel")}
                  </button>
                  <button type="button" className="btn btn-primary" onClick={saveEdit} disabled={!editing.body.trim()}>
                    {t("notes.save")}
                  </button>
                </div>
              </div>
            </li>
          ) : (
            <li key={n.id}>
              <span className="note-no">{i + 1}</span>
              <NoteBody note={n} describe={describe} />
              {active && (
                <button type="button" className="btn btn-ghost" aria-label={t("notes.editLabel", { number: i + 1 })} data-edit-note={n.id} onClick={() => startEdit(n)}>
                  {t("notes.edit")}
                </button>
              )}
              {active && (
                <button type="button" className="btn btn-danger-ghost" aria-label={t("notes.removeLabel", { number: i + 1 })} onClick={() => change((all) => all.filter((x) => x.id !== n.id))}>
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
            aria-label={t("notes.new")}
            value={text}
            placeholder={t("notes.placeholder")}
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
                  {t("notes.anchoredTo", { anchor: describe(pending) })}{" "}
                  <button type="button" className="linkish" onClick={() => setPending(null)}>
                    {t("notes.clear")}
                  </button>
                </>
              ) : (
                t("notes.anchorHint")
              )}
            </span>
            {drafts.length > 0 && (
              <select aria-label={t("notes.toDraft")} value="" onChange={(e) => e.target.value && setPending({ type: "draft", draft: Number(e.target.value) })}>
                <option value="">{t("notes.orToDraft")}</option>
                {drafts.map((d) => (
                  <option key={d.id} value={d.id}>
                    {t("notes.draft", { sequence: d.sequence })}
                  </option>
                ))}
              </select>
            )}
            <button type="button" className="btn btn-primary" onClick={addNote} disabled={!text.trim()}>
              {t("notes.add")}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
