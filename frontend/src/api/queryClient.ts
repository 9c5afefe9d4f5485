import { QueryClient } from "@tanstack/react-query";
import type { ApiError } from "./client";

declare module "@tanstack/react-query" {
  // Every request function throws ApiError (the client's middleware turns the error shape and network failures
  // into one), so a query's or mutation's error is one.
  interface Register {
    defaultError: ApiError;
  }
}

/**
 * The cache of what the API answered. A page shows what it has and refetches on mount (staleTime 0), as the pages
 * did before the cache; an error shows at once (no retries: the error banner says what went wrong, and the user
 * retries); switching back to the tab does not refetch under someone editing a form.
 */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: false, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}

export const queryClient = makeQueryClient();
