import { useQuery } from "@tanstack/react-query";
import { client } from "../../../api/client";
import { apiQuery } from "../../../api/query";
import { projectKeys } from "./keys";

export const projectAgreementQueryOptions = (projectId: number) =>
  apiQuery(projectKeys.agreement(projectId), (signal) =>
    client.GET("/api/v1/projects/{project_id}/agreement", { params: { path: { project_id: projectId } }, signal }),
  );

export const useProjectAgreement = (projectId: number) => useQuery(projectAgreementQueryOptions(projectId));
