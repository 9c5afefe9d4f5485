import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { projectKeys } from "./keys";

export function getProjectItems(projectId: number, page: number, signal?: AbortSignal) {
  return data(client.GET("/api/v1/projects/{project_id}/items", { params: { path: { project_id: projectId }, query: { page } }, signal }));
}

export const projectItemsQueryOptions = (projectId: number, page: number) =>
  queryOptions({ queryKey: projectKeys.items(projectId, page), queryFn: ({ signal }) => getProjectItems(projectId, page, signal) });

export function useProjectItems(projectId: number, page: number) {
  return useQuery({ ...projectItemsQueryOptions(projectId, page), placeholderData: keepPreviousData });
}
