import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { projectKeys } from "./keys";

export const ACTIVITY_PAGE_SIZE = 10;

export function getProjectActivity(projectId: number, page: number, signal?: AbortSignal) {
  return data(
    client.GET("/api/v1/projects/{project_id}/activity", {
      params: { path: { project_id: projectId }, query: { page, page_size: ACTIVITY_PAGE_SIZE } },
      signal,
    }),
  );
}

export const projectActivityQueryOptions = (projectId: number, page: number) =>
  queryOptions({ queryKey: projectKeys.activity(projectId, page), queryFn: ({ signal }) => getProjectActivity(projectId, page, signal) });

export function useProjectActivity(projectId: number, page: number) {
  return useQuery({ ...projectActivityQueryOptions(projectId, page), placeholderData: keepPreviousData });
}
