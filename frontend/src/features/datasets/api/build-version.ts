import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client, done } from "../../../api/client";
import { useRefreshingMutation } from "../../../api/query";
import { datasetKeys } from "./keys";

/** Queue a new version (202); the versions are fetched again and poll while it builds. */
export function buildDatasetVersion(datasetId: number) {
  return done(client.POST("/api/v1/datasets/{dataset_id}/versions", { params: { path: { dataset_id: datasetId } } }));
}

export function cancelDatasetVersion(datasetId: number, number: number) {
  return done(client.POST("/api/v1/datasets/{dataset_id}/versions/{number}/cancel", { params: { path: { dataset_id: datasetId, number } } }));
}

export const useBuildDatasetVersion = (datasetId: number) => useRefreshingMutation(() => buildDatasetVersion(datasetId), datasetKeys.versions(datasetId));

export function useCancelDatasetVersion(datasetId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (number: number) => cancelDatasetVersion(datasetId, number),
    onSuccess: (_, number) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: datasetKeys.versions(datasetId) }),
        queryClient.invalidateQueries({ queryKey: datasetKeys.version(datasetId, number) }),
      ]),
  });
}
