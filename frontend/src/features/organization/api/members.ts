import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { apiQuery, usePageQuery } from "../../../api/query";
import type { StaffRole } from "../../../api/types";
import { organizationKeys } from "./keys";

export const membersQueryOptions = (page: number, pageSize: number) =>
  apiQuery(organizationKeys.memberPage(page, pageSize), (signal) =>
    client.GET("/api/v1/organization/members", { params: { query: { page, page_size: pageSize } }, signal }),
  );

export const useMembers = (page: number, pageSize: number) => usePageQuery(membersQueryOptions(page, pageSize));

export type MemberChange = { memberId: number } & ({ role: StaffRole } | { active: boolean });

/** A new role, or deactivating or reactivating a member. */
export function changeMember(change: MemberChange) {
  const path = { user_id: change.memberId };
  if ("role" in change) return data(client.PATCH("/api/v1/organization/members/{user_id}", { params: { path }, body: { role: change.role } }));
  return change.active
    ? data(client.POST("/api/v1/organization/members/{user_id}/reactivate", { params: { path } }))
    : data(client.POST("/api/v1/organization/members/{user_id}/deactivate", { params: { path } }));
}

/** The members are fetched again whether the change went through or not (a refusal may mean the list moved on). */
export function useChangeMember() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: changeMember, onSettled: () => queryClient.invalidateQueries({ queryKey: organizationKeys.members() }) });
}
