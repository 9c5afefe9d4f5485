import { queryOptions } from "@tanstack/react-query";
import { client, data } from "../../../api/client";

/** Who is signed in. The probe answers 200 whether or not someone is, so an anonymous page load logs no failed
 * request in the console (/me answers 401 without credentials, as API clients expect). Only the session is read. */
export function getSession(signal?: AbortSignal) {
  return data(client.GET("/api/v1/auth/session", { signal }));
}

export const sessionQueryOptions = () => queryOptions({ queryKey: ["session"] as const, queryFn: ({ signal }) => getSession(signal) });

/** Ask for the CSRF cookie (again after signing in: the session and its token change). */
export function getCsrfToken() {
  return data(client.GET("/api/v1/auth/csrf"));
}
