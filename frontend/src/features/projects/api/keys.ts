import type { ProjectFilters } from "./get-projects";

/** Query keys of the projects feature. Everything about one project sits under `detail(id)`, so invalidating that
 * prefix refreshes the project, its progress, items, activity and agreement together. */
export const projectKeys = {
  all: ["projects"] as const,
  lists: () => [...projectKeys.all, "list"] as const,
  list: (filters: ProjectFilters) => [...projectKeys.lists(), filters] as const,
  detail: (projectId: number) => [...projectKeys.all, projectId] as const,
  progress: (projectId: number) => [...projectKeys.detail(projectId), "progress"] as const,
  items: (projectId: number, page: number) => [...projectKeys.detail(projectId), "items", { page }] as const,
  activity: (projectId: number, page: number) => [...projectKeys.detail(projectId), "activity", { page }] as const,
  agreement: (projectId: number) => [...projectKeys.detail(projectId), "agreement"] as const,
};
