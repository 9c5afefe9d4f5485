import { useQuery } from "@tanstack/react-query";
import { client } from "../../../api/client";
import { apiQuery } from "../../../api/query";
import { projectKeys } from "./keys";

export const projectQueryOptions = (projectId: number) =>
  apiQuery(projectKeys.detail(projectId), (signal) => client.GET("/api/v1/projects/{project_id}", { params: { path: { project_id: projectId } }, signal }));

export const useProject = (projectId: number) => useQuery(projectQueryOptions(projectId));
