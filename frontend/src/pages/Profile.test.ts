import { describe, expect, it } from "vitest";
import { reputationText } from "./Profile";

const detail = { approval_rate: null, review_score: null, gold_accuracy: null, reviewed: 0, gold_checked: 0 };

describe("the reputation in words", () => {
  it("says a new freelancer is not rated yet instead of 0%", () => {
    expect(reputationText({ reputation: 0, reputation_detail: detail })).toBe("not rated yet");
  });
  it("gives the percentage once a part has enough evidence, even a low one", () => {
    expect(reputationText({ reputation: 0, reputation_detail: { ...detail, approval_rate: 0, reviewed: 3 } })).toBe("0%");
    expect(reputationText({ reputation: 0.834, reputation_detail: { ...detail, review_score: 0.834 } })).toBe("83%");
  });
});
