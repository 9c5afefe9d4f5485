import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { createRef, useState, type Ref } from "react";
import { afterEach, describe, expect, it } from "vitest";
import type { Anchor } from "./MediaViewer";
import type { Note } from "./merge";
import { NotesPanel, type NotesHandle } from "./Notes";

afterEach(cleanup);

const REGION: Anchor = { type: "region", file: 1, shape: "rectangle", points: [[0.1, 0.1], [0.2, 0.2]] };

function Harness({ initial, mark = null, active = true, handle }: { initial: Note[]; mark?: Anchor | null; active?: boolean; handle?: Ref<NotesHandle> }) {
  const [notes, setNotes] = useState(initial);
  const [pending, setPending] = useState<Anchor | null>(mark);
  return (
    <>
      <NotesPanel
        ref={handle}
        notes={notes}
        active={active}
        pending={pending}
        setPending={setPending}
        drafts={[{ id: 7, sequence: 1 }]}
        describe={(a) => (a ? `${String(a.type)} anchor` : "")}
        change={(f) => setNotes(f)}
      />
      <output data-testid="notes">{JSON.stringify(notes.map(({ body, anchor }) => ({ body, anchor })))}</output>
      <output data-testid="pending">{JSON.stringify(pending)}</output>
    </>
  );
}

const saved = () => JSON.parse(screen.getByTestId("notes").textContent ?? "[]") as { body: string; anchor: Anchor | null }[];

describe("NotesPanel", () => {
  it("adds a note with Ctrl+Enter, anchored to the mark, and clears the mark", () => {
    render(<Harness initial={[]} mark={REGION} />);
    expect(screen.getByTestId("pending-anchor").textContent).toContain("Anchored to region anchor");
    const box = screen.getByLabelText("New note");
    fireEvent.change(box, { target: { value: "  The sky carries the mood.  " } });
    fireEvent.keyDown(box, { key: "Enter", ctrlKey: true });
    expect(saved()).toEqual([{ body: "The sky carries the mood.", anchor: REGION }]);
    expect(screen.getByTestId("pending").textContent).toBe("null");
    expect((box as HTMLTextAreaElement).value).toBe("");
  });

  it("adds nothing for a blank note", () => {
    render(<Harness initial={[]} />);
    fireEvent.change(screen.getByLabelText("New note"), { target: { value: "   " } });
    expect(screen.getByRole("button", { name: "Add note" })).toHaveProperty("disabled", true);
    fireEvent.keyDown(screen.getByLabelText("New note"), { key: "Enter", ctrlKey: true });
    expect(saved()).toEqual([]);
  });

  it("anchors the next note to a draft picked from the list", () => {
    render(<Harness initial={[]} />);
    fireEvent.change(screen.getByLabelText("Anchor to a draft"), { target: { value: "7" } });
    expect(screen.getByTestId("pending").textContent).toBe(JSON.stringify({ type: "draft", draft: 7 }));
  });

  it("edits the last note from the page's shortcut: Escape cancels, Ctrl+Enter saves", () => {
    const handle = createRef<NotesHandle>();
    render(<Harness initial={[{ id: "a", body: "first", anchor: null }, { id: "b", body: "second", anchor: REGION }]} handle={handle} />);
    act(() => handle.current?.editLast());
    const box = screen.getByLabelText("Note 2 text");
    fireEvent.change(box, { target: { value: "second, rewritten" } });
    fireEvent.keyDown(box, { key: "Escape" });
    expect(saved()[1]).toEqual({ body: "second", anchor: REGION });
    act(() => handle.current?.editLast());
    fireEvent.change(screen.getByLabelText("Note 2 text"), { target: { value: "second, rewritten" } });
    fireEvent.click(screen.getByRole("button", { name: "Remove the anchor" }));
    fireEvent.keyDown(screen.getByLabelText("Note 2 text"), { key: "Enter", ctrlKey: true });
    expect(saved()[1]).toEqual({ body: "second, rewritten", anchor: null });
  });

  it("re-anchors a note being edited to the new mark", () => {
    render(<Harness initial={[{ id: "a", body: "first", anchor: null }]} mark={REGION} />);
    fireEvent.click(screen.getByRole("button", { name: "Edit note 1" }));
    fireEvent.click(screen.getByRole("button", { name: "Anchor to the new mark" }));
    fireEvent.click(screen.getByRole("button", { name: "Save note" }));
    expect(saved()).toEqual([{ body: "first", anchor: REGION }]);
    expect(screen.getByTestId("pending").textContent).toBe("null");
  });

  it("removes a note", () => {
    render(<Harness initial={[{ id: "a", body: "first", anchor: null }, { id: "b", body: "second", anchor: null }]} />);
    fireEvent.click(screen.getByRole("button", { name: "Remove note 1" }));
    expect(saved().map((n) => n.body)).toEqual(["second"]);
  });

  it("offers no editing on work that is not in progress", () => {
    render(<Harness initial={[{ id: "a", body: "first", anchor: null }]} active={false} />);
    expect(screen.queryByRole("button", { name: "Edit note 1" })).toBeNull();
    expect(screen.queryByLabelText("New note")).toBeNull();
  });
});
