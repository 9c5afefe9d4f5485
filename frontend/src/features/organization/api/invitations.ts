import { client, data, done } from "../../../api/client";
import { apiQuery, usePageQuery, useRefreshingMutation } from "../../../api/query";
import type { components } from "../../../api/schema";
import { organizationKeys } from "./keys";

export type InvitationInput = components["schemas"]["InvitationInputRequest"];

export const invitationsQueryOptions = (page: number, pageSize: number) =>
  apiQuery(organizationKeys.invitationPage(page, pageSize), (signal) =>
    client.GET("/api/v1/organization/invitations", { params: { query: { page, page_size: pageSize } }, signal }),
  );

export const useInvitations = (page: number, pageSize: number) => usePageQuery(invitationsQueryOptions(page, pageSize));

export function createInvitation(body: InvitationInput) {
  return data(client.POST("/api/v1/organization/invitations", { body }));
}

export function resendInvitation(invitationId: number) {
  return data(client.POST("/api/v1/organization/invitations/{invitation_id}/resend", { params: { path: { invitation_id: invitationId } } }));
}

export function revokeInvitation(invitationId: number) {
  return done(client.POST("/api/v1/organization/invitations/{invitation_id}/revoke", { params: { path: { invitation_id: invitationId } } }));
}

export const useCreateInvitation = () => useRefreshingMutation(createInvitation, organizationKeys.invitations());
export const useResendInvitation = () => useRefreshingMutation(resendInvitation, organizationKeys.invitations());
/** The list is fetched again even when the revocation is refused (it may have been accepted meanwhile). */
export const useRevokeInvitation = () => useRefreshingMutation(revokeInvitation, organizationKeys.invitations(), { alsoOnError: true });
