import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { client, data, done } from "../../../api/client";
import type { components } from "../../../api/schema";
import { organizationKeys } from "./keys";

export type InvitationInput = components["schemas"]["InvitationInputRequest"];

export function getInvitations(page: number, pageSize: number, signal?: AbortSignal) {
  return data(client.GET("/api/v1/organization/invitations", { params: { query: { page, page_size: pageSize } }, signal }));
}

export const invitationsQueryOptions = (page: number, pageSize: number) =>
  queryOptions({ queryKey: organizationKeys.invitationPage(page, pageSize), queryFn: ({ signal }) => getInvitations(page, pageSize, signal) });

export function useInvitations(page: number, pageSize: number) {
  return useQuery({ ...invitationsQueryOptions(page, pageSize), placeholderData: keepPreviousData });
}

export function createInvitation(body: InvitationInput) {
  return data(client.POST("/api/v1/organization/invitations", { body }));
}

export function resendInvitation(invitationId: number) {
  return data(client.POST("/api/v1/organization/invitations/{invitation_id}/resend", { params: { path: { invitation_id: invitationId } } }));
}

export function revokeInvitation(invitationId: number) {
  return done(client.POST("/api/v1/organization/invitations/{invitation_id}/revoke", { params: { path: { invitation_id: invitationId } } }));
}

function useInvitationMutation<V, R>(mutationFn: (variables: V) => Promise<R>, { refreshOnError = false } = {}) {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: organizationKeys.invitations() });
  return useMutation({ mutationFn, onSuccess: refresh, ...(refreshOnError ? { onError: refresh } : {}) });
}

export const useCreateInvitation = () => useInvitationMutation(createInvitation);
export const useResendInvitation = () => useInvitationMutation(resendInvitation);
/** The list is fetched again even when the revocation is refused (it may have been accepted meanwhile). */
export const useRevokeInvitation = () => useInvitationMutation(revokeInvitation, { refreshOnError: true });
