import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import type { components } from "../../../api/schema";
import { projectKeys } from "./keys";

export type ImportInput = components["schemas"]["ImportInputRequest"];

/** Where imports read from (the bucket and its import root) and the limits. */
export function getImportInfo(projectId: number, signal?: AbortSignal) {
  return data(client.GET("/api/v1/projects/{project_id}/imports", { params: { path: { project_id: projectId } }, signal }));
}

export const importInfoQueryOptions = (projectId: number) =>
  queryOptions({ queryKey: [...projectKeys.detail(projectId), "imports"] as const, queryFn: ({ signal }) => getImportInfo(projectId, signal) });

export function useImportInfo(projectId: number) {
  return useQuery(importInfoQueryOptions(projectId));
}

export function importAssets(projectId: number, body: ImportInput) {
  return data(client.POST("/api/v1/projects/{project_id}/imports", { params: { path: { project_id: projectId } }, body }));
}

/** Register objects already in the bucket; the project page (items, progress, activity) is fetched again. */
export function useImportAssets(projectId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ImportInput) => importAssets(projectId, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: projectKeys.detail(projectId) }),
  });
}
