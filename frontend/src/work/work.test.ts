import { describe, expect, it } from "vitest";
import { diffWords } from "./diff";
import { forgetLocal, keepLocally, localCopy, mergeDocs, type WorkDoc } from "./merge";

describe("diffWords", () => {
  it("marks what was added and removed between two drafts", () => {
    expect(diffWords("the old grey lighthouse", "the tall grey lighthouse at dusk")).toEqual([
      { kind: "same", text: "the " },
      { kind: "removed", text: "old" },
      { kind: "added", text: "tall" },
      { kind: "same", text: " grey lighthouse" },
      { kind: "added", text: " at dusk" },
    ]);
  });
  it("gives back the text unchanged when nothing changed", () => {
    expect(diffWords("same words", "same words")).toEqual([{ kind: "same", text: "same words" }]);
  });
});

const note = (id: string, body: string) => ({ id, body, anchor: null });

describe("mergeDocs", () => {
  const base: WorkDoc = { intent: "A", notes: [note("1", "one"), note("2", "two")], answers: { mood: 3 } };
  it("keeps notes added on both sides and drops the ones deleted here", () => {
    const mine = { ...base, notes: [note("1", "one, edited"), note("3", "mine")] };
    const theirs = { ...base, notes: [...base.notes, note("4", "theirs")] };
    expect(mergeDocs(base, mine, theirs).notes.map((n) => n.body)).toEqual(["one, edited", "theirs", "mine"]);
  });
  it("never drops typed intent: both changed it, both texts stay", () => {
    const merged = mergeDocs(base, { ...base, intent: "Mine" }, { ...base, intent: "Theirs" });
    expect(merged.intent).toBe("Theirs\n\nMine");
    expect(mergeDocs(base, base, { ...base, intent: "Theirs" }).intent).toBe("Theirs");
  });
  it("lets my answers win", () => {
    expect(mergeDocs(base, { ...base, answers: { mood: 5 } }, { ...base, answers: { mood: 1, tone: "x" } }).answers).toEqual({
      mood: 5,
      tone: "x",
    });
  });
});

describe("local copy", () => {
  it("survives until it is forgotten", () => {
    keepLocally(7, 3, { intent: "typed", notes: [], answers: {} });
    expect(localCopy(7)).toMatchObject({ intent: "typed", baseVersion: 3 });
    forgetLocal(7);
    expect(localCopy(7)).toBeNull();
  });
});
