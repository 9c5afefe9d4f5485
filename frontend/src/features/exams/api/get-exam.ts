import { useQuery } from "@tanstack/react-query";
import { client } from "../../../api/client";
import { apiQuery } from "../../../api/query";
import { examKeys } from "./keys";

/** An exam: its instructions and items, and (for a freelancer) their own last attempt. */
export const examQueryOptions = (examId: number) =>
  apiQuery(examKeys.detail(examId), (signal) => client.GET("/api/v1/exams/{exam_id}", { params: { path: { exam_id: examId } }, signal }));

/** `examId` null holds the request back (a project that requires no exam). */
export const useExam = (examId: number | null) => useQuery({ ...examQueryOptions(examId ?? 0), enabled: examId !== null });

/** How freelancers did on the exam. */
export const examResultsQueryOptions = (examId: number) =>
  apiQuery(examKeys.results(examId), (signal) => client.GET("/api/v1/exams/{exam_id}/results", { params: { path: { exam_id: examId } }, signal }));

export const useExamResults = (examId: number | null) => useQuery({ ...examResultsQueryOptions(examId ?? 0), enabled: examId !== null });
