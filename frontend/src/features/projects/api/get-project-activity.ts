import { client } from "../../../api/client";
import { apiQuery, usePageQuery } from "../../../api/query";
import { projectKeys } from "./keys";

export const ACTIVITY_PAGE_SIZE = 10;

export const projectActivityQueryOptions = (projectId: number, page: number) =>
  apiQuery(projectKeys.activity(projectId, page), (signal) =>
    client.GET("/api/v1/projects/{project_id}/activity", { params: { path: { project_id: projectId }, query: { page, page_size: ACTIVITY_PAGE_SIZE } }, signal }),
  );

export const useProjectActivity = (projectId: number, page: number) => usePageQuery(projectActivityQueryOptions(projectId, page));
