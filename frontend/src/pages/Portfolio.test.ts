import { describe, expect, it } from "vitest";
import { publicLink } from "./Portfolio";

describe("portfolio link", () => {
  it("is shown only while the portfolio is public", () => {
    expect(publicLink("https://atelier.example", "abc")).toBe("https://atelier.example/p/abc");
    expect(publicLink("https://atelier.example", null)).toBeNull();
    expect(publicLink("https://atelier.example", "")).toBeNull();
  });
});
