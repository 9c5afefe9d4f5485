import { describe, expect, it } from "vitest";
import { keepLocally, localCopy, mergeDocs, sameDoc, type Note, type WorkDoc } from "./merge";

const note = (id: string, body: string, anchor: Note["anchor"] = null): Note => ({ id, body, anchor });
const base: WorkDoc = { intent: "A", notes: [note("1", "one"), note("2", "two")], answers: { mood: 3, tone: "warm" } };
const bodies = (d: WorkDoc) => d.notes.map((n) => `${n.id}:${n.body}`);

describe("three-way merge: the intent", () => {
  it("takes the other side's intent when only it changed", () => {
    const merged = mergeDocs(base, base, { ...base, intent: "Theirs" });
    expect(merged.doc.intent).toBe("Theirs");
    expect(merged.conflicts).toEqual([]);
  });
  it("keeps this tab's intent when only it changed", () => {
    expect(mergeDocs(base, { ...base, intent: "Mine" }, base).doc.intent).toBe("Mine");
  });
  it("is no conflict when both changed it the same way", () => {
    const merged = mergeDocs(base, { ...base, intent: "Same" }, { ...base, intent: "Same" });
    expect([merged.doc.intent, merged.conflicts.length]).toEqual(["Same", 0]);
  });
  it("asks when both changed it differently, and applies the choice", () => {
    const mine = { ...base, intent: "Mine" };
    const theirs = { ...base, intent: "Theirs" };
    const merged = mergeDocs(base, mine, theirs);
    expect(merged.conflicts).toEqual([{ kind: "intent", key: "intent", base: "A", mine: "Mine", theirs: "Theirs" }]);
    expect(merged.open).toEqual(["intent"]);
    expect(mergeDocs(base, mine, theirs, { intent: "theirs" }).doc.intent).toBe("Theirs");
    expect(mergeDocs(base, mine, theirs, { intent: "mine" }).doc.intent).toBe("Mine");
    expect(mergeDocs(base, mine, theirs, { intent: "both" }).doc.intent).toBe("Theirs\n\nMine");
    expect(mergeDocs(base, mine, theirs, { intent: "both" }).open).toEqual([]);
  });
});

describe("three-way merge: notes by id", () => {
  it("keeps the other side's edit of a note this tab did not touch (the lost edit of issue 13)", () => {
    const theirs = { ...base, notes: [note("1", "one, edited elsewhere"), note("2", "two")] };
    const merged = mergeDocs(base, { ...base, intent: "Mine" }, theirs);
    expect(bodies(merged.doc)).toEqual(["1:one, edited elsewhere", "2:two"]);
    expect(merged.doc.intent).toBe("Mine");
    expect(merged.conflicts).toEqual([]);
  });
  it("keeps this tab's edit of a note the other side did not touch", () => {
    const mine = { ...base, notes: [note("1", "one"), note("2", "two, edited here")] };
    expect(bodies(mergeDocs(base, mine, base).doc)).toEqual(["1:one", "2:two, edited here"]);
  });
  it("takes a re-anchoring made on one side", () => {
    const region = { type: "region", file: 1, shape: "rectangle", points: [[0, 0], [1, 1]] };
    const theirs = { ...base, notes: [note("1", "one", region), note("2", "two")] };
    expect(mergeDocs(base, base, theirs).doc.notes[0]!.anchor).toEqual(region);
  });
  it("removes a note deleted elsewhere, and one deleted here", () => {
    expect(bodies(mergeDocs(base, base, { ...base, notes: [note("2", "two")] }).doc)).toEqual(["2:two"]);
    expect(bodies(mergeDocs(base, { ...base, notes: [note("1", "one")] }, base).doc)).toEqual(["1:one"]);
  });
  it("keeps notes added on both sides, this tab's after the note it followed here", () => {
    const mine = { ...base, notes: [note("1", "one"), note("m", "mine"), note("2", "two")] };
    const theirs = { ...base, notes: [...base.notes, note("t", "theirs")] };
    const merged = mergeDocs(base, mine, theirs);
    expect(bodies(merged.doc)).toEqual(["1:one", "m:mine", "2:two", "t:theirs"]);
    expect(merged.conflicts).toEqual([]);
  });
  it("asks when both edited one note differently, showing both versions", () => {
    const mine = { ...base, notes: [note("1", "one, mine"), note("2", "two")] };
    const theirs = { ...base, notes: [note("1", "one, theirs"), note("2", "two")] };
    const merged = mergeDocs(base, mine, theirs);
    expect(merged.conflicts).toEqual([{ kind: "note", key: "note:1", id: "1", base: note("1", "one"), mine: mine.notes[0], theirs: theirs.notes[0] }]);
    expect(merged.open).toEqual(["note:1"]);
    expect(bodies(mergeDocs(base, mine, theirs, { "note:1": "theirs" }).doc)).toEqual(["1:one, theirs", "2:two"]);
    expect(bodies(mergeDocs(base, mine, theirs, { "note:1": "mine" }).doc)).toEqual(["1:one, mine", "2:two"]);
    const both = mergeDocs(base, mine, theirs, { "note:1": "both" }, (id) => `${id}-copy`);
    expect(bodies(both.doc)).toEqual(["1:one, theirs", "1-copy:one, mine", "2:two"]);
  });
  it("asks when one side edited a note the other deleted", () => {
    const mine = { ...base, notes: [note("1", "one, kept and edited"), note("2", "two")] };
    const theirs = { ...base, notes: [note("2", "two")] };
    const merged = mergeDocs(base, mine, theirs);
    expect(merged.conflicts.map((c) => c.key)).toEqual(["note:1"]);
    expect(bodies(mergeDocs(base, mine, theirs, { "note:1": "theirs" }).doc)).toEqual(["2:two"]);
    expect(bodies(mergeDocs(base, mine, theirs, { "note:1": "mine" }).doc)).toEqual(["1:one, kept and edited", "2:two"]);
  });
  it("keeps the server's timestamps and history for a note equal on both sides", () => {
    const stamped = { ...note("1", "one"), created_at: "2026-01-01T00:00:00Z", edited_at: null, history: [] };
    const merged = mergeDocs(base, base, { ...base, notes: [stamped, note("2", "two")] });
    expect(merged.doc.notes[0]).toBe(stamped);
  });
});

describe("three-way merge: answers by key", () => {
  it("takes each side's change to different answers", () => {
    const mine = { ...base, answers: { mood: 5, tone: "warm" } };
    const theirs = { ...base, answers: { mood: 3, tone: "cold", extra: ["x"] } };
    const merged = mergeDocs(base, mine, theirs);
    expect(merged.doc.answers).toEqual({ mood: 5, tone: "cold", extra: ["x"] });
    expect(merged.conflicts).toEqual([]);
  });
  it("removes an answer cleared on one side", () => {
    expect(mergeDocs(base, base, { ...base, answers: { mood: 3 } }).doc.answers).toEqual({ mood: 3 });
  });
  it("compares answers by value, not by key order", () => {
    const a = { ...base, answers: { pick: { b: 1, a: 2 } } };
    const b = { ...base, answers: { pick: { a: 2, b: 1 } } };
    expect(mergeDocs(a, a, b).conflicts).toEqual([]);
  });
  it("asks when both changed one answer differently", () => {
    const mine = { ...base, answers: { ...base.answers, mood: 5 } };
    const theirs = { ...base, answers: { ...base.answers, mood: 1 } };
    const merged = mergeDocs(base, mine, theirs);
    expect(merged.conflicts).toEqual([{ kind: "answer", key: "answer:mood", field: "mood", base: 3, mine: 5, theirs: 1 }]);
    expect(mergeDocs(base, mine, theirs, { "answer:mood": "theirs" }).doc.answers.mood).toBe(1);
  });
  it("lists conflicts intent first, then notes, then answers", () => {
    const mine = { intent: "M", notes: [note("1", "m"), note("2", "two")], answers: { mood: 5, tone: "warm" } };
    const theirs = { intent: "T", notes: [note("1", "t"), note("2", "two")], answers: { mood: 1, tone: "warm" } };
    expect(mergeDocs(base, mine, theirs).conflicts.map((c) => c.key)).toEqual(["intent", "note:1", "answer:mood"]);
  });
});

describe("sameDoc compares the work, not its bookkeeping", () => {
  it("ignores a local copy's version and saved-at, notes' server times and key order", () => {
    const server: WorkDoc = {
      intent: "A",
      notes: [{ ...note("1", "one"), created_at: "2026-01-01T00:00:00Z", edited_at: null, history: [] }],
      answers: { tone: "warm", mood: 3 },
    };
    const local = { intent: "A", notes: [note("1", "one")], answers: { mood: 3, tone: "warm" }, baseVersion: 4, savedAt: 123 };
    expect(sameDoc(local, server)).toBe(true);
    expect(sameDoc(local, { ...server, intent: "B" })).toBe(false);
  });
  it("a local copy read back after a reload equals the server's same work", () => {
    const work: WorkDoc = { intent: "Typed", notes: [note("1", "one")], answers: {} };
    keepLocally(9, { version: 2, doc: base }, work);
    const copy = localCopy(9)!;
    expect(sameDoc(copy, work)).toBe(true);
    expect(sameDoc(copy.base!, base)).toBe(true);
    expect(copy.baseVersion).toBe(2);
  });
});
