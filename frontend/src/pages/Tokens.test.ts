import { describe, expect, it } from "vitest";
import { defaultScopes } from "./Tokens";

describe("the new token form", () => {
  it("starts with the narrowest useful scope checked", () => {
    expect(defaultScopes(["export:read", "projects:read", "projects:write"])).toEqual(["projects:read"]);
    expect(defaultScopes(["export:read"])).toEqual(["export:read"]);
    expect(defaultScopes([])).toEqual([]);
  });
});
