import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import type { components } from "../../../api/schema";
import { organizationKeys } from "./keys";

export type OrganizationChange = components["schemas"]["PatchedOrganizationInputRequest"];

export function getOrganization(signal?: AbortSignal) {
  return data(client.GET("/api/v1/organization", { signal }));
}

export const organizationQueryOptions = () =>
  queryOptions({ queryKey: [...organizationKeys.organization(), "detail"] as const, queryFn: ({ signal }) => getOrganization(signal) });

export function useOrganization() {
  return useQuery(organizationQueryOptions());
}

export function updateOrganization(body: OrganizationChange) {
  return data(client.PATCH("/api/v1/organization", { body }));
}

/** The answer is the organization as saved: it replaces the cached one. */
export function useUpdateOrganization() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: updateOrganization, onSuccess: (org) => queryClient.setQueryData(organizationQueryOptions().queryKey, org) });
}
