import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { workKeys } from "./keys";

/** Claim the next open slot of a project: the answer is the new contribution, to open in the workspace. */
export function claimTask(projectId: number) {
  return data(client.POST("/api/v1/projects/{project_id}/claim", { params: { path: { project_id: projectId } } }));
}

export function useClaimTask() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: claimTask,
    // Not awaited: the workspace opens at once, and these lists refresh meanwhile.
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: workKeys.contributions() });
      void queryClient.invalidateQueries({ queryKey: workKeys.marketplace() });
    },
  });
}
