import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client, done } from "../../../api/client";
import { tokenKeys } from "./keys";

export function revokeToken(tokenId: number) {
  return done(client.DELETE("/api/v1/tokens/{token_id}", { params: { path: { token_id: tokenId } } }));
}

export function useRevokeToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: revokeToken,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tokenKeys.all }),
  });
}
