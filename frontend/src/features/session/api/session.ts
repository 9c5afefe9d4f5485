import { client, data } from "../../../api/client";
import { apiQuery } from "../../../api/query";

/** Who is signed in. The probe answers 200 whether or not someone is, so an anonymous page load logs no failed
 * request in the console (/me answers 401 without credentials, as API clients expect). Only the session is read. */
export const sessionQueryOptions = () => apiQuery(["session"], (signal) => client.GET("/api/v1/auth/session", { signal }));

/** Ask for the CSRF cookie (again after signing in: the session and its token change). */
export function getCsrfToken() {
  return data(client.GET("/api/v1/auth/csrf"));
}

/** Save the language the person chose on their account: mail, notifications and their other devices follow it. */
export function saveLanguage(language: "en" | "es" | "pt-BR") {
  return data(client.PATCH("/api/v1/me", { body: { language } }));
}
