import { client } from "../../../api/client";
import { apiQuery, usePageQuery } from "../../../api/query";
import { projectKeys } from "./keys";

export const projectItemsQueryOptions = (projectId: number, page: number) =>
  apiQuery(projectKeys.items(projectId, page), (signal) =>
    client.GET("/api/v1/projects/{project_id}/items", { params: { path: { project_id: projectId }, query: { page } }, signal }),
  );

export const useProjectItems = (projectId: number, page: number) => usePageQuery(projectItemsQueryOptions(projectId, page));
