import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import type { components } from "../../../api/schema";
import { reviewQueueQueryOptions } from "./get-review-queue";
import { reviewKeys } from "./keys";

export type ReviewInput = components["schemas"]["ReviewInputRequest"];
export type Decision = components["schemas"]["DecisionEnum"];

export function reviewContribution(contributionId: number, body: ReviewInput) {
  return data(client.POST("/api/v1/contributions/{contribution_id}/review", { params: { path: { contribution_id: contributionId } }, body }));
}

/** Approve, ask for a revision or reject: the contribution as decided goes into the cache, and it leaves the cached
 * queue at once (the queue opens next, and must not offer it again while it refetches). */
export function useReviewContribution(contributionId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ReviewInput) => reviewContribution(contributionId, body),
    onSuccess: (decided) => {
      queryClient.setQueryData(reviewKeys.contribution(contributionId), decided);
      queryClient.setQueryData(reviewQueueQueryOptions().queryKey, (queue) =>
        queue && { ...queue, count: queue.count - 1, results: queue.results.filter((q) => q.id !== contributionId) },
      );
      void queryClient.invalidateQueries({ queryKey: reviewKeys.queue() });
    },
  });
}
