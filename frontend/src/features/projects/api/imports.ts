import { useQuery } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { apiQuery, useRefreshingMutation } from "../../../api/query";
import type { components } from "../../../api/schema";
import { projectKeys } from "./keys";

export type ImportInput = components["schemas"]["ImportInputRequest"];

/** Where imports read from (the bucket and its import root) and the limits. */
export const importInfoQueryOptions = (projectId: number) =>
  apiQuery([...projectKeys.detail(projectId), "imports"], (signal) =>
    client.GET("/api/v1/projects/{project_id}/imports", { params: { path: { project_id: projectId } }, signal }),
  );

export const useImportInfo = (projectId: number) => useQuery(importInfoQueryOptions(projectId));

export function importAssets(projectId: number, body: ImportInput) {
  return data(client.POST("/api/v1/projects/{project_id}/imports", { params: { path: { project_id: projectId } }, body }));
}

/** Register objects already in the bucket; the project page (items, progress, activity) is fetched again. */
export function useImportAssets(projectId: number) {
  return useRefreshingMutation((body: ImportInput) => importAssets(projectId, body), projectKeys.detail(projectId));
}
