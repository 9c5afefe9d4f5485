import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { projectKeys } from "./keys";

/** Place a timed file on its item's clock (seconds, may be negative); refused (409 offset_fixed) once work on the
 * item has started. The answer is the media file as saved. */
export function setFileOffset(projectId: number, fileId: number, offsetSeconds: number) {
  return data(
    client.PATCH("/api/v1/projects/{project_id}/files/{file_id}", {
      params: { path: { project_id: projectId, file_id: fileId } },
      body: { offset_seconds: offsetSeconds },
    }),
  );
}

/** The project's items (and everything under the project) are fetched again after each offset saved. */
export function useSetFileOffset(projectId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ fileId, offsetSeconds }: { fileId: number; offsetSeconds: number }) => setFileOffset(projectId, fileId, offsetSeconds),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: projectKeys.detail(projectId) }),
  });
}
