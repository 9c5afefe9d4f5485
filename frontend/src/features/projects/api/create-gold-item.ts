import { client, data } from "../../../api/client";
import { useRefreshingMutation } from "../../../api/query";
import type { components } from "../../../api/schema";
import { projectKeys } from "./keys";

export type GoldItemInput = components["schemas"]["GoldItemInputRequest"];

/** An item with known answers, or an approved contribution whose answers become them. */
export function createGoldItem(projectId: number, body: GoldItemInput) {
  return data(client.POST("/api/v1/projects/{project_id}/gold", { params: { path: { project_id: projectId } }, body }));
}

export function useCreateGoldItem(projectId: number) {
  return useRefreshingMutation((body: GoldItemInput) => createGoldItem(projectId, body), projectKeys.detail(projectId));
}
