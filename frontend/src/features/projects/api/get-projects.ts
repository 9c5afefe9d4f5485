import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import type { operations } from "../../../api/schema";
import { projectKeys } from "./keys";

export type ProjectStatus = NonNullable<NonNullable<operations["api_v1_projects_list"]["parameters"]["query"]>["status"]>;
export const PROJECT_STATUSES: readonly ProjectStatus[] = ["draft", "published", "paused", "closed"];

/** A status from the address bar, or null for all of them (an unknown one too). */
export function projectStatus(value: string | null): ProjectStatus | null {
  return PROJECT_STATUSES.find((s) => s === value) ?? null;
}

export type ProjectFilters = { page: number; status: ProjectStatus | null; pageSize?: number };

export function getProjects({ page, status, pageSize }: ProjectFilters, signal?: AbortSignal) {
  return data(client.GET("/api/v1/projects", { params: { query: { page, ...(pageSize ? { page_size: pageSize } : {}), ...(status ? { status } : {}) } }, signal }));
}

export const projectsQueryOptions = (filters: ProjectFilters) =>
  queryOptions({ queryKey: projectKeys.list(filters), queryFn: ({ signal }) => getProjects(filters, signal) });

export function useProjects(filters: ProjectFilters) {
  return useQuery({ ...projectsQueryOptions(filters), placeholderData: keepPreviousData });
}
