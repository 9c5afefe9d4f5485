import { describe, expect, it } from "vitest";
import { autosaveDelay, saveReducer, type SaveEvent, type SaveState } from "./saveState";

const run = (from: SaveState, ...events: SaveEvent[]) => events.reduce(saveReducer, from);

describe("the autosave's states", () => {
  it("goes dirty on an edit, saving while sent, saved once the server took it", () => {
    expect(run("saved", { type: "edited" })).toBe("dirty");
    expect(run("dirty", { type: "sending" })).toBe("saving");
    expect(run("saving", { type: "sent", pending: false })).toBe("saved");
  });

  it("stays dirty when more was typed while a save was on its way", () => {
    expect(run("saving", { type: "edited" }, { type: "sent", pending: true })).toBe("dirty");
  });

  it("keeps a waiting merge in view whatever is typed or confirmed", () => {
    expect(run("conflict", { type: "edited" })).toBe("conflict");
    expect(run("conflict", { type: "confirmed" })).toBe("conflict");
  });

  it("leaves the merge for saved or dirty by what was chosen", () => {
    expect(run("conflict", { type: "resolved", pending: false })).toBe("saved");
    expect(run("conflict", { type: "resolved", pending: true })).toBe("dirty");
  });

  it("sends again after a save met a version that only moved bookkeeping", () => {
    expect(run("saving", { type: "stale" })).toBe("dirty");
  });

  it("says offline and not saved apart, and recovers from both with the next save", () => {
    expect(run("saving", { type: "offline" })).toBe("offline");
    expect(run("saving", { type: "failed" })).toBe("error");
    expect(run("offline", { type: "sending" }, { type: "sent", pending: false })).toBe("saved");
    expect(run("error", { type: "edited" })).toBe("dirty");
  });

  it("is saved once newer work is taken in, and dirty when unsent edits are restored", () => {
    expect(run("dirty", { type: "taken" })).toBe("saved");
    expect(run("saved", { type: "restored" })).toBe("dirty");
  });

  it("schedules the next save only where one is due", () => {
    expect(autosaveDelay("dirty")).toBe(3_000);
    expect(autosaveDelay("offline")).toBe(10_000);
    for (const state of ["saved", "saving", "conflict", "error"] as const) expect(autosaveDelay(state)).toBeNull();
  });
});
