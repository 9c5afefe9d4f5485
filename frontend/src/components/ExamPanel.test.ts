import { describe, expect, it } from "vitest";
import { emptyExamForm, examBody, formFromExam, toggleId } from "./ExamPanel";

describe("exam form", () => {
  it("sends the pass mark as a share and the delay in hours", () => {
    const body = examBody({ ...emptyExamForm, title: "  Foley basics ", itemIds: [4, 2], passMarkPercent: "60", retryDelayHours: "0" });
    expect(body).toEqual({ title: "Foley basics", instructions: "", item_ids: [4, 2], pass_mark: "0.600", retry_delay_hours: 0 });
  });
  it("leaves out empty optional numbers so the defaults apply", () => {
    const body = examBody({ ...emptyExamForm, title: "T", passMarkPercent: "", retryDelayHours: " " });
    expect(body).not.toHaveProperty("pass_mark");
    expect(body).not.toHaveProperty("retry_delay_hours");
  });
  it("keeps tick order and unticks", () => {
    expect(toggleId(toggleId([], 3), 1)).toEqual([3, 1]);
    expect(toggleId([3, 1], 3)).toEqual([1]);
  });
  it("fills the edit form from an exam", () => {
    const exam = { title: "E", instructions: "i", pass_mark: 0.75, retry_delay_hours: 2, items: [{ item_id: 9 }] } as never;
    expect(formFromExam(exam)).toEqual({ title: "E", instructions: "i", itemIds: [9], passMarkPercent: "75", retryDelayHours: "2" });
  });
});
