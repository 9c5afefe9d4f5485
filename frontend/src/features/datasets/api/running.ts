import type { components } from "../../../api/schema";

type VersionState = components["schemas"]["DatasetVersionStateEnum"];

/** A version being built changes every moment: pages showing one poll at this pace until it is done. */
export const BUILD_POLL_MS = 1500;

export function isRunning(state: VersionState): boolean {
  return state === "queued" || state === "building";
}
