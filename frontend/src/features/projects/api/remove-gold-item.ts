import { client, done } from "../../../api/client";
import { useRefreshingMutation } from "../../../api/query";
import { projectKeys } from "./keys";

/** The item goes back to the ordinary stream. */
export function removeGoldItem(projectId: number, itemId: number) {
  return done(client.DELETE("/api/v1/projects/{project_id}/gold/{item_id}", { params: { path: { project_id: projectId, item_id: itemId } } }));
}

export function useRemoveGoldItem(projectId: number) {
  return useRefreshingMutation((itemId: number) => removeGoldItem(projectId, itemId), projectKeys.detail(projectId));
}
