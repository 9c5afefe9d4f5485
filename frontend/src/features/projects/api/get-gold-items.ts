import { useQuery } from "@tanstack/react-query";
import { client } from "../../../api/client";
import { apiQuery } from "../../../api/query";
import { projectKeys } from "./keys";

/** The project's gold items with their known answers and how freelancers did on them. */
export const goldItemsQueryOptions = (projectId: number) =>
  apiQuery([...projectKeys.detail(projectId), "gold"], (signal) =>
    client.GET("/api/v1/projects/{project_id}/gold", { params: { path: { project_id: projectId } }, signal }),
  );

/** `enabled` false holds the request back (only admins list gold items on the exam panel). */
export function useGoldItems(projectId: number, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({ ...goldItemsQueryOptions(projectId), enabled });
}
