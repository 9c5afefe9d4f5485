import { queryOptions, useQuery } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { reviewKeys } from "./keys";

/** A submission with its whole process: drafts, notes, answers, earlier decisions. */
export function getContribution(contributionId: number, signal?: AbortSignal) {
  return data(client.GET("/api/v1/contributions/{contribution_id}", { params: { path: { contribution_id: contributionId } }, signal }));
}

export const contributionQueryOptions = (contributionId: number) =>
  queryOptions({ queryKey: reviewKeys.contribution(contributionId), queryFn: ({ signal }) => getContribution(contributionId, signal) });

export function useContribution(contributionId: number) {
  return useQuery(contributionQueryOptions(contributionId));
}
