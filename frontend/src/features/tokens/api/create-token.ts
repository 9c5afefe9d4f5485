import { client, data } from "../../../api/client";
import { useRefreshingMutation } from "../../../api/query";
import type { components } from "../../../api/schema";
import { tokenKeys } from "./keys";

export type TokenInput = components["schemas"]["TokenInputRequest"];
export type Scope = components["schemas"]["TokenScopeEnum"];

export function createToken(body: TokenInput) {
  return data(client.POST("/api/v1/tokens", { body }));
}

/** The answer holds the whole token, shown once; the list is fetched again. */
export const useCreateToken = () => useRefreshingMutation(createToken, tokenKeys.all);
