import { describe, expect, it } from "vitest";
import { credentialText, publicLink } from "./Portfolio";

describe("portfolio link", () => {
  it("is shown only while the portfolio is public", () => {
    expect(publicLink("https://atelier.example", "abc")).toBe("https://atelier.example/p/abc");
    expect(publicLink("https://atelier.example", null)).toBeNull();
    expect(publicLink("https://atelier.example", "")).toBeNull();
  });
});

describe("content credentials", () => {
  it("tells the creator what each state means", () => {
    expect(credentialText("embedded")).toBe("Content Credentials embedded");
    expect(credentialText("unsupported")).toMatch(/cannot carry/);
    expect(credentialText("failed")).toMatch(/could not be embedded/);
    expect(credentialText("pending")).toMatch(/being added/);
  });
});
