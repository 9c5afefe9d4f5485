import { queryOptions, useQuery } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { projectKeys } from "./keys";

/** The project's gold items with their known answers and how freelancers did on them. */
export function getGoldItems(projectId: number, signal?: AbortSignal) {
  return data(client.GET("/api/v1/projects/{project_id}/gold", { params: { path: { project_id: projectId } }, signal }));
}

export const goldItemsQueryOptions = (projectId: number) =>
  queryOptions({ queryKey: [...projectKeys.detail(projectId), "gold"] as const, queryFn: ({ signal }) => getGoldItems(projectId, signal) });

/** `enabled` false holds the request back (only admins list gold items on the exam panel). */
export function useGoldItems(projectId: number, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({ ...goldItemsQueryOptions(projectId), enabled });
}
