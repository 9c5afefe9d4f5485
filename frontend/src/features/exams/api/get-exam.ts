import { queryOptions, useQuery } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { examKeys } from "./keys";

/** An exam: its instructions and items, and (for a freelancer) their own last attempt. */
export function getExam(examId: number, signal?: AbortSignal) {
  return data(client.GET("/api/v1/exams/{exam_id}", { params: { path: { exam_id: examId } }, signal }));
}

export const examQueryOptions = (examId: number) => queryOptions({ queryKey: examKeys.detail(examId), queryFn: ({ signal }) => getExam(examId, signal) });

/** `examId` null holds the request back (a project that requires no exam). */
export function useExam(examId: number | null) {
  return useQuery({ ...examQueryOptions(examId ?? 0), enabled: examId !== null });
}

/** How freelancers did on the exam. */
export function getExamResults(examId: number, signal?: AbortSignal) {
  return data(client.GET("/api/v1/exams/{exam_id}/results", { params: { path: { exam_id: examId } }, signal }));
}

export const examResultsQueryOptions = (examId: number) =>
  queryOptions({ queryKey: examKeys.results(examId), queryFn: ({ signal }) => getExamResults(examId, signal) });

export function useExamResults(examId: number | null) {
  return useQuery({ ...examResultsQueryOptions(examId ?? 0), enabled: examId !== null });
}
