import { useMutation, useQuery } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { apiQuery } from "../../../api/query";
import { getCsrfToken } from "../../session/api/session";

/** What an invitation link offers (organization, role, address), before anyone signs in. */
export const invitationPreviewQueryOptions = (token: string) =>
  apiQuery(["invitation-link", token], (signal) => client.GET("/api/v1/invitations/{token}", { params: { path: { token } }, signal }));

export const useInvitationPreview = (token: string) => useQuery(invitationPreviewQueryOptions(token));

export type InvitationAcceptance = { display_name: string; password: string } | null;

/** Accept as the person signed in (null: no body), or create the account with a name and password. The answer is
 * who is signed in now; the CSRF cookie is taken before (an anonymous visitor may have none) and again after
 * (signing in changes it). */
export async function acceptInvitation(token: string, body: InvitationAcceptance) {
  await getCsrfToken();
  const me = await data(client.POST("/api/v1/invitations/{token}/accept", { params: { path: { token } }, ...(body ? { body } : {}) }));
  await getCsrfToken();
  return me;
}

export function useAcceptInvitation(token: string) {
  return useMutation({ mutationFn: (body: InvitationAcceptance) => acceptInvitation(token, body) });
}
