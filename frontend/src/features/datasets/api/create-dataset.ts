import { client, data } from "../../../api/client";
import { useCreateMutation } from "../../../api/query";
import type { components } from "../../../api/schema";
import { datasetKeys } from "./keys";

export type DatasetInput = components["schemas"]["DatasetInputRequest"];

export function createDataset(body: DatasetInput) {
  return data(client.POST("/api/v1/datasets", { body }));
}

export const useCreateDataset = () => useCreateMutation(createDataset, (made) => datasetKeys.detail(made.id), [...datasetKeys.all, "list"]);
