import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import type { components } from "../../../api/schema";
import { datasetKeys } from "./keys";

export type DatasetInput = components["schemas"]["DatasetInputRequest"];

export function createDataset(body: DatasetInput) {
  return data(client.POST("/api/v1/datasets", { body }));
}

export function useCreateDataset() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createDataset,
    onSuccess: async (made) => {
      queryClient.setQueryData(datasetKeys.detail(made.id), made);
      await queryClient.invalidateQueries({ queryKey: [...datasetKeys.all, "list"] });
    },
  });
}
