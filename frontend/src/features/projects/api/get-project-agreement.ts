import { queryOptions, useQuery } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { projectKeys } from "./keys";

export function getProjectAgreement(projectId: number, signal?: AbortSignal) {
  return data(client.GET("/api/v1/projects/{project_id}/agreement", { params: { path: { project_id: projectId } }, signal }));
}

export const projectAgreementQueryOptions = (projectId: number) =>
  queryOptions({ queryKey: projectKeys.agreement(projectId), queryFn: ({ signal }) => getProjectAgreement(projectId, signal) });

export function useProjectAgreement(projectId: number) {
  return useQuery(projectAgreementQueryOptions(projectId));
}
