import { useQuery } from "@tanstack/react-query";
import { client } from "../../../api/client";
import { apiQuery } from "../../../api/query";
import { tokenKeys } from "./keys";

/** One page of 100: a person keeps a handful of tokens. */
export const tokensQueryOptions = () => apiQuery(tokenKeys.list(), (signal) => client.GET("/api/v1/tokens", { params: { query: { page_size: 100 } }, signal }));

export const useTokens = () => useQuery(tokensQueryOptions());
