import { describe, expect, it } from "vitest";
import type { LocalCopy, WorkDoc } from "./merge";
import { openWith, reconcileWith, type ServerWork } from "./sync";

const doc = (intent: string, notes: WorkDoc["notes"] = []): WorkDoc => ({ intent, notes, answers: {} });
const server = (version: number, d: WorkDoc, inProgress = true): ServerWork => ({ version, inProgress, doc: d });
const local = (baseVersion: number, mine: WorkDoc, base?: WorkDoc): LocalCopy => ({ ...mine, baseVersion, base, savedAt: 0 });

describe("openWith: opening the workspace", () => {
  it("takes the server's work when this browser holds nothing", () => {
    expect(openWith(null, server(3, doc("a")))).toEqual({ kind: "server" });
  });

  it("takes the server's work when the local copy is the same work, whatever the versions say", () => {
    expect(openWith(local(1, doc("a"), doc("")), server(5, doc("a")))).toEqual({ kind: "server" });
  });

  it("takes the server's work once the contribution left progress", () => {
    expect(openWith(local(3, doc("mine"), doc("a")), server(3, doc("a"), false))).toEqual({ kind: "server" });
  });

  it("takes the server's work when nothing was left unsent and the server moved on", () => {
    expect(openWith(local(2, doc("b"), doc("b")), server(4, doc("c")))).toEqual({ kind: "server" });
  });

  it("restores unsent edits made on the server's version", () => {
    expect(openWith(local(3, doc("typed"), doc("a")), server(3, doc("a")))).toEqual({ kind: "restore", mine: doc("typed") });
  });

  it("restores unsent edits when the server moved on by bookkeeping only", () => {
    expect(openWith(local(3, doc("typed"), doc("a")), server(4, doc("a")))).toEqual({ kind: "restore", mine: doc("typed") });
  });

  it("merges when the work was saved elsewhere and changed here too, against the local copy's base", () => {
    expect(openWith(local(3, doc("mine"), doc("a")), server(4, doc("theirs")))).toEqual({
      kind: "merge",
      mine: doc("mine"),
      base: { version: 3, doc: doc("a") },
    });
  });

  it("merges against an empty base when an old copy kept none", () => {
    expect(openWith(local(3, doc("mine")), server(4, doc("theirs")))).toMatchObject({ kind: "merge", base: { version: 3, doc: doc("") } });
  });
});

describe("reconcileWith: taking in a newer read", () => {
  const base = { version: 4, doc: doc("a") };

  it("ignores an answer older than the tab's version", () => {
    expect(reconcileWith(base, doc("b"), server(3, doc("z")))).toBe("stale");
  });

  it("takes work that left progress, whatever is unsaved", () => {
    expect(reconcileWith(base, doc("b"), server(5, doc("z"), false))).toBe("closed");
  });

  it("sees the same version as no change to the work", () => {
    expect(reconcileWith(base, doc("b"), server(4, doc("a")))).toBe("same");
  });

  it("moves the base when only bookkeeping changed (a draft saved in another tab)", () => {
    expect(reconcileWith(base, doc("b"), server(5, doc("a")))).toBe("advance");
  });

  it("adopts work saved elsewhere when this tab has nothing unsaved", () => {
    expect(reconcileWith(base, doc("a"), server(5, doc("c")))).toBe("adopt");
  });

  it("adopts work saved elsewhere that is this tab's own work", () => {
    expect(reconcileWith(base, doc("c"), server(5, doc("c")))).toBe("adopt");
  });

  it("asks for a merge when both changed", () => {
    expect(reconcileWith(base, doc("b"), server(5, doc("c")))).toBe("conflict");
  });

  it("compares notes by content, not by the server's timestamps", () => {
    const note = { id: "n1", body: "x", anchor: null };
    const stamped = { ...note, created_at: "2026-12-07T05:00:00Z", edited_at: null, history: [] };
    expect(reconcileWith({ version: 4, doc: doc("a", [note]) }, doc("a", [note]), server(5, doc("a", [stamped])))).toBe("advance");
  });
});
