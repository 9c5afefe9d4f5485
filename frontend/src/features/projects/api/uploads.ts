/** Asset uploads go straight to storage: tickets first, then the files, then "complete" (upload.ts runs it). */
import { client, data } from "../../../api/client";
import type { components } from "../../../api/schema";

type S = components["schemas"];

export function requestUploads(projectId: number, body: S["UploadRequestRequest"]) {
  return data(client.POST("/api/v1/projects/{project_id}/uploads", { params: { path: { project_id: projectId } }, body }));
}

export function completeUploads(projectId: number, fileIds: number[]) {
  return data(client.POST("/api/v1/projects/{project_id}/uploads/complete", { params: { path: { project_id: projectId } }, body: { file_ids: fileIds } }));
}
