import { client } from "../../../api/client";
import { apiQuery, usePageQuery } from "../../../api/query";
import type { operations } from "../../../api/schema";
import { projectKeys } from "./keys";

export type ProjectStatus = NonNullable<NonNullable<operations["api_v1_projects_list"]["parameters"]["query"]>["status"]>;
export const PROJECT_STATUSES: readonly ProjectStatus[] = ["draft", "published", "paused", "closed"];

/** A status from the address bar, or null for all of them (an unknown one too). */
export function projectStatus(value: string | null): ProjectStatus | null {
  return PROJECT_STATUSES.find((s) => s === value) ?? null;
}

export type ProjectFilters = { page: number; status: ProjectStatus | null; pageSize?: number };

function projectsQuery({ page, status, pageSize }: ProjectFilters) {
  return { page, ...(pageSize ? { page_size: pageSize } : {}), ...(status ? { status } : {}) };
}

export const projectsQueryOptions = (filters: ProjectFilters) =>
  apiQuery(projectKeys.list(filters), (signal) => client.GET("/api/v1/projects", { params: { query: projectsQuery(filters) }, signal }));

export const useProjects = (filters: ProjectFilters) => usePageQuery(projectsQueryOptions(filters));
