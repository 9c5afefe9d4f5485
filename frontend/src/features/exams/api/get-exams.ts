import { useQuery } from "@tanstack/react-query";
import { client } from "../../../api/client";
import { apiQuery } from "../../../api/query";
import { examKeys } from "./keys";

/** The organization's exams, to choose one a project requires. */
export const examsQueryOptions = () => apiQuery(examKeys.list(), (signal) => client.GET("/api/v1/exams", { signal }));

export const useExams = ({ enabled = true }: { enabled?: boolean } = {}) => useQuery({ ...examsQueryOptions(), enabled });
