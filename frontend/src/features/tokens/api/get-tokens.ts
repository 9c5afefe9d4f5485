import { queryOptions, useQuery } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { tokenKeys } from "./keys";

/** One page of 100: a person keeps a handful of tokens. */
export function getTokens(signal?: AbortSignal) {
  return data(client.GET("/api/v1/tokens", { params: { query: { page_size: 100 } }, signal }));
}

export const tokensQueryOptions = () => queryOptions({ queryKey: tokenKeys.list(), queryFn: ({ signal }) => getTokens(signal) });

export function useTokens() {
  return useQuery(tokensQueryOptions());
}
