import { describe, expect, it } from "vitest";
import { forgetLocal, keepLocally, localCopy } from "./merge";

describe("local copy", () => {
  it("survives until it is forgotten", () => {
    keepLocally(7, { version: 3, doc: { intent: "", notes: [], answers: {} } }, { intent: "typed", notes: [], answers: {} });
    expect(localCopy(7)).toMatchObject({ intent: "typed", baseVersion: 3 });
    forgetLocal(7);
    expect(localCopy(7)).toBeNull();
  });
});
