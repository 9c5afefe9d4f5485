import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import type { components } from "../../../api/schema";
import { projectKeys } from "./keys";

export type GoldItemInput = components["schemas"]["GoldItemInputRequest"];

/** An item with known answers, or an approved contribution whose answers become them. */
export function createGoldItem(projectId: number, body: GoldItemInput) {
  return data(client.POST("/api/v1/projects/{project_id}/gold", { params: { path: { project_id: projectId } }, body }));
}

export function useCreateGoldItem(projectId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: GoldItemInput) => createGoldItem(projectId, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: projectKeys.detail(projectId) }),
  });
}
