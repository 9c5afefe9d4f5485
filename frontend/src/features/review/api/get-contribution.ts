import { useQuery } from "@tanstack/react-query";
import { client } from "../../../api/client";
import { apiQuery } from "../../../api/query";
import { reviewKeys } from "./keys";

/** A submission with its whole process: drafts, notes, answers, earlier decisions. */
export const contributionQueryOptions = (contributionId: number) =>
  apiQuery(reviewKeys.contribution(contributionId), (signal) =>
    client.GET("/api/v1/contributions/{contribution_id}", { params: { path: { contribution_id: contributionId } }, signal }),
  );

export const useContribution = (contributionId: number) => useQuery(contributionQueryOptions(contributionId));
