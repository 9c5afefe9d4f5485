import { queryOptions, useQuery } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { examKeys } from "./keys";

/** The organization's exams, to choose one a project requires. */
export function getExams(signal?: AbortSignal) {
  return data(client.GET("/api/v1/exams", { signal }));
}

export const examsQueryOptions = () => queryOptions({ queryKey: examKeys.list(), queryFn: ({ signal }) => getExams(signal) });

export function useExams({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({ ...examsQueryOptions(), enabled });
}
