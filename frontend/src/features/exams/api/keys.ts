export const examKeys = {
  all: ["exams"] as const,
  list: () => [...examKeys.all, "list"] as const,
  detail: (examId: number) => [...examKeys.all, examId] as const,
  results: (examId: number) => [...examKeys.detail(examId), "results"] as const,
};
