import { describe, expect, it } from "vitest";
import { diffWords } from "./diff";
import { forgetLocal, keepLocally, localCopy } from "./merge";

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

describe("local copy", () => {
  it("survives until it is forgotten", () => {
    keepLocally(7, { version: 3, doc: { intent: "", notes: [], answers: {} } }, { intent: "typed", notes: [], answers: {} });
    expect(localCopy(7)).toMatchObject({ intent: "typed", baseVersion: 3 });
    forgetLocal(7);
    expect(localCopy(7)).toBeNull();
  });
});
