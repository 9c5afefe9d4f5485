/**
 * The building blocks of the feature files (`features/<noun>/api/`): a cached read is its query key and its request,
 * a change is its request and what it makes stale. Typing comes from the client: a request's path, parameters and
 * answer are checked against the schema, and the answer's type flows into the query's data and key.
 */
import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient, type QueryKey, type UseQueryOptions } from "@tanstack/react-query";
import type { ApiError } from "./client";
import { data } from "./client";

/** What an openapi-fetch request resolves to: the answer's body, or none (errors were thrown by the middleware). */
type Request<T> = Promise<{ data?: T; response: Response }>;

/** A cached read: the query's key, and the request, sent with the query's signal so that a request nobody waits for
 * any more (the page moved on) is cancelled. */
export function apiQuery<const K extends QueryKey, T>(queryKey: K, request: (signal: AbortSignal) => Request<T>) {
  return queryOptions({ queryKey, queryFn: ({ signal }) => data(request(signal)) });
}

/** A page of a list: the page on screen stays there while the next one loads, instead of a spinner in its place. */
export function usePageQuery<T, K extends QueryKey>(options: UseQueryOptions<T, ApiError, T, K>) {
  return useQuery({ ...options, placeholderData: keepPreviousData });
}

/** A change after which the queries under `stale` are fetched again. The mutation settles once they have been, so a
 * page that waits for it shows the fresh list. `alsoOnError`: fetch them again after a refusal too (the refusal may
 * mean the list moved on). */
export function useRefreshingMutation<V, R>(mutationFn: (variables: V) => Promise<R>, stale: QueryKey, { alsoOnError = false } = {}) {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: stale });
  return useMutation({ mutationFn, onSuccess: refresh, ...(alsoOnError ? { onError: refresh } : {}) });
}

/** A creation: the new object goes into the cache under its own key (its page opens without a request), and the lists
 * under `lists` are fetched again. */
export function useCreateMutation<V, R>(mutationFn: (variables: V) => Promise<R>, keyOf: (made: R) => QueryKey, lists: QueryKey) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: async (made) => {
      queryClient.setQueryData(keyOf(made), made);
      await queryClient.invalidateQueries({ queryKey: lists });
    },
  });
}

/** A change whose answer is the object as saved: it replaces the cached one under `queryKey`. */
export function useReplacingMutation<V, R>(mutationFn: (variables: V) => Promise<R>, queryKey: QueryKey) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn, onSuccess: (saved) => queryClient.setQueryData(queryKey, saved) });
}
