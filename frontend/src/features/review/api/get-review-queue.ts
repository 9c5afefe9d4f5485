import { useQuery } from "@tanstack/react-query";
import { client } from "../../../api/client";
import { apiQuery } from "../../../api/query";
import { reviewKeys } from "./keys";

export const QUEUE_PAGE_SIZE = 50;

/** Submissions waiting for a decision, oldest first. */
export const reviewQueueQueryOptions = () =>
  apiQuery(reviewKeys.queue(), (signal) => client.GET("/api/v1/review/queue", { params: { query: { page_size: QUEUE_PAGE_SIZE } }, signal }));

export const useReviewQueue = () => useQuery(reviewQueueQueryOptions());
