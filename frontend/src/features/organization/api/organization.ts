import { useQuery } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { apiQuery, useReplacingMutation } from "../../../api/query";
import type { components } from "../../../api/schema";
import { organizationKeys } from "./keys";

export type OrganizationChange = components["schemas"]["PatchedOrganizationInputRequest"];

export const organizationQueryOptions = () =>
  apiQuery([...organizationKeys.organization(), "detail"], (signal) => client.GET("/api/v1/organization", { signal }));

export const useOrganization = () => useQuery(organizationQueryOptions());

export function updateOrganization(body: OrganizationChange) {
  return data(client.PATCH("/api/v1/organization", { body }));
}

/** The answer is the organization as saved: it replaces the cached one. */
export const useUpdateOrganization = () => useReplacingMutation(updateOrganization, organizationQueryOptions().queryKey);
