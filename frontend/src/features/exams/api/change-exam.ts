import { client, data } from "../../../api/client";
import { useRefreshingMutation } from "../../../api/query";
import type { components } from "../../../api/schema";
import { examKeys } from "./keys";

export type ExamInput = components["schemas"]["ExamInputRequest"];

export function createExam(body: ExamInput) {
  return data(client.POST("/api/v1/exams", { body }));
}

export function updateExam(examId: number, body: ExamInput) {
  return data(client.PATCH("/api/v1/exams/{exam_id}", { params: { path: { exam_id: examId } }, body }));
}

/** Both fetch the exams again (the list, the exam and its results). */
export const useCreateExam = () => useRefreshingMutation(createExam, examKeys.all);

export const useUpdateExam = () => useRefreshingMutation(({ examId, body }: { examId: number; body: ExamInput }) => updateExam(examId, body), examKeys.all);
