import { describe, expect, it } from "vitest";
import { decisionMessage } from "./Review";

describe("the confirmation after a decision", () => {
  it("says what was decided on which submission", () => {
    expect(decisionMessage("approve", "Storyboard · item-001")).toBe("Approved Storyboard · item-001: the freelancer is paid.");
    expect(decisionMessage("revise", "Storyboard · item-001")).toContain("Asked for a revision of Storyboard · item-001");
    expect(decisionMessage("reject", "Storyboard · item-001")).toContain("Rejected Storyboard · item-001");
  });
});
