import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { examKeys } from "./keys";

/** Start (or restart) an attempt: its items, without the known answers. */
export function startAttempt(examId: number) {
  return data(client.POST("/api/v1/exams/{exam_id}/attempts", { params: { path: { exam_id: examId } } }));
}

/** Submit the answers ({item id: {field key: answer}}): scored at once. */
export function submitAttempt(attemptId: number, answers: Record<string, Record<string, unknown>>) {
  return data(client.POST("/api/v1/exam-attempts/{attempt_id}/submit", { params: { path: { attempt_id: attemptId } }, body: { answers } }));
}

export type AttemptAction = { start: number } | { submit: number; answers: Record<string, Record<string, unknown>> };

/** Either way the answer is the attempt (shown at once), and the exam (with the freelancer's last attempt) is
 * fetched again behind it. */
export function useAttempt(examId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (action: AttemptAction) => ("start" in action ? startAttempt(action.start) : submitAttempt(action.submit, action.answers)),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: examKeys.detail(examId) });
    },
  });
}
