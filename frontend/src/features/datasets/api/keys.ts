/** Everything about one dataset sits under `detail(id)`; a version's own queries under `version(id, number)`. */
export const datasetKeys = {
  all: ["datasets"] as const,
  list: (page: number) => [...datasetKeys.all, "list", { page }] as const,
  detail: (datasetId: number) => [...datasetKeys.all, datasetId] as const,
  versions: (datasetId: number) => [...datasetKeys.detail(datasetId), "versions"] as const,
  version: (datasetId: number, number: number) => [...datasetKeys.detail(datasetId), "version", number] as const,
  files: (datasetId: number, number: number) => [...datasetKeys.version(datasetId, number), "files"] as const,
};
