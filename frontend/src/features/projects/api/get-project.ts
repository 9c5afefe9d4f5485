import { queryOptions, useQuery } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { projectKeys } from "./keys";

export function getProject(projectId: number, signal?: AbortSignal) {
  return data(client.GET("/api/v1/projects/{project_id}", { params: { path: { project_id: projectId } }, signal }));
}

export const projectQueryOptions = (projectId: number) =>
  queryOptions({ queryKey: projectKeys.detail(projectId), queryFn: ({ signal }) => getProject(projectId, signal) });

export function useProject(projectId: number) {
  return useQuery(projectQueryOptions(projectId));
}
