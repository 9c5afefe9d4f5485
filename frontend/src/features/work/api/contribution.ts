/**
 * The workspace's requests. The workspace runs its own save loop (versions, a three-way merge of a stale save, a
 * local copy of unsent edits), so these are typed request functions it calls, not cached queries.
 */
import { client, data } from "../../../api/client";
import type { components } from "../../../api/schema";

type S = components["schemas"];
const path = (contributionId: number) => ({ path: { contribution_id: contributionId } });

/** The contribution with its work, drafts, lease and project. */
export function getWorkContribution(contributionId: number) {
  return data(client.GET("/api/v1/contributions/{contribution_id}", { params: path(contributionId) }));
}

/** Save the work against the version it started from; a stale version answers 409. */
export function saveWork(contributionId: number, body: S["WorkInputRequest"]) {
  return data(client.PUT("/api/v1/contributions/{contribution_id}/work", { params: path(contributionId), body }));
}

/** Time on task: sent while there is input. */
export function pingActivity(contributionId: number) {
  return data(client.POST("/api/v1/contributions/{contribution_id}/activity", { params: path(contributionId) }));
}

export function submitContribution(contributionId: number, body: S["SubmitInputRequest"]) {
  return data(client.POST("/api/v1/contributions/{contribution_id}/submit", { params: path(contributionId), body }));
}

/** Give the task back: it goes to someone else. */
export function returnContribution(contributionId: number) {
  return data(client.POST("/api/v1/contributions/{contribution_id}/return", { params: path(contributionId) }));
}

export function disputeContribution(contributionId: number, reason: string) {
  return data(client.POST("/api/v1/contributions/{contribution_id}/dispute", { params: path(contributionId), body: { reason } }));
}

/** A ticket to put a draft's file straight into storage. */
export function requestDraftUpload(contributionId: number, body: S["DraftUploadInputRequest"]) {
  return data(client.POST("/api/v1/contributions/{contribution_id}/draft-uploads", { params: path(contributionId), body }));
}

/** A new draft (immutable); the same client_key again answers the saved one. */
export function createDraft(contributionId: number, body: S["DraftInputRequest"]) {
  return data(client.POST("/api/v1/contributions/{contribution_id}/drafts", { params: path(contributionId), body }));
}
