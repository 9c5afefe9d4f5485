import { client, data } from "../../../api/client";
import { useCreateMutation } from "../../../api/query";
import type { components } from "../../../api/schema";
import { projectKeys } from "./keys";

export type ProjectInput = components["schemas"]["ProjectInputRequest"];

export function createProject(body: ProjectInput) {
  return data(client.POST("/api/v1/projects", { body }));
}

/** A new draft project: it goes into the cache for its page, and the lists are fetched again. */
export const useCreateProject = () => useCreateMutation(createProject, (project) => projectKeys.detail(project.id), projectKeys.lists());
