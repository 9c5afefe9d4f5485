import { queryOptions, useQuery } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { reviewKeys } from "./keys";

export const QUEUE_PAGE_SIZE = 50;

/** Submissions waiting for a decision, oldest first. */
export function getReviewQueue(signal?: AbortSignal) {
  return data(client.GET("/api/v1/review/queue", { params: { query: { page_size: QUEUE_PAGE_SIZE } }, signal }));
}

export const reviewQueueQueryOptions = () => queryOptions({ queryKey: reviewKeys.queue(), queryFn: ({ signal }) => getReviewQueue(signal) });

export function useReviewQueue() {
  return useQuery(reviewQueueQueryOptions());
}
