import { client, done } from "../../../api/client";
import { useRefreshingMutation } from "../../../api/query";
import { tokenKeys } from "./keys";

export function revokeToken(tokenId: number) {
  return done(client.DELETE("/api/v1/tokens/{token_id}", { params: { path: { token_id: tokenId } } }));
}

export const useRevokeToken = () => useRefreshingMutation(revokeToken, tokenKeys.all);
