/**
 * The API client: openapi-fetch over the types generated from the OpenAPI schema (`npm run gen:api`), so a path, its
 * parameters, its body and its answer are checked by TypeScript. Its middleware keeps the rules every request
 * follows: the same-origin session, the CSRF header on writes, the one error shape thrown as an ApiError, and a
 * clear message when the server cannot be reached. Request functions live with their feature
 * (`features/<noun>/api/`); TanStack Query caches what they read (`queryClient.ts`).
 */
import createClient, { type Middleware } from "openapi-fetch";
import { currentLanguage, i18n } from "../i18n";
import type { paths } from "./schema";

export interface ErrorBody {
  error: { status: number; code: string; message: string; fields: Record<string, string[]> };
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: Record<string, string[]>;

  constructor(status: number, code: string, message: string, fields: Record<string, string[]> = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.fields = fields;
  }

  /** The messages for one field, or for any field under it ("pay" also collects "pay.amount"). */
  fieldMessages(name: string): string[] {
    return Object.entries(this.fields)
      .filter(([key]) => key === name || key.startsWith(`${name}.`))
      .flatMap(([, messages]) => messages);
  }
}

/** A caught error as an ApiError: the request functions throw one; anything else (a bug, a failed upload to storage)
 * becomes one with its message. */
export function asApiError(err: unknown): ApiError {
  return err instanceof ApiError ? err : new ApiError(0, "error", String(err));
}

export function readCookie(name: string, cookies: string = document.cookie): string | null {
  for (const part of cookies.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return null;
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    /* not JSON: fall through */
  }
  const err = errorOf(body);
  if (err) return new ApiError(response.status, err.code, err.message, err.fields);
  return new ApiError(response.status, "http_error", i18n.t("errors.status", { status: response.status }));
}

/** The one error shape's `error`, checked rather than assumed: a proxy's or a crashed server's body is not it. */
function errorOf(body: unknown): ErrorBody["error"] | null {
  if (typeof body !== "object" || body === null || !("error" in body)) return null;
  const err = body.error;
  if (typeof err !== "object" || err === null || !("code" in err) || typeof err.code !== "string") return null;
  const message = "message" in err && typeof err.message === "string" ? err.message : i18n.t("errors.status", { status: err.code });
  const fields: Record<string, string[]> = {};
  if ("fields" in err && typeof err.fields === "object" && err.fields !== null) {
    for (const [key, value] of Object.entries(err.fields)) {
      if (Array.isArray(value)) fields[key] = value.map(String);
    }
  }
  return { status: "status" in err && typeof err.status === "number" ? err.status : 0, code: err.code, message, fields };
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === "AbortError";
}

/** Every request: JSON, the CSRF token (from the csrftoken cookie) on unsafe methods, the error shape as an ApiError,
 * and a network failure as one too. A request cancelled through its signal stays an AbortError. */
export const apiMiddleware: Middleware = {
  onRequest({ request }) {
    request.headers.set("Accept", "application/json");
    // The server answers its messages in the language the page shows.
    request.headers.set("Accept-Language", currentLanguage());
    if (UNSAFE.has(request.method)) {
      const token = readCookie("csrftoken");
      if (token) request.headers.set("X-CSRFToken", token);
    }
    return request;
  },
  async onResponse({ response }) {
    if (!response.ok) throw await toApiError(response);
    return response;
  },
  onError({ error }) {
    if (error instanceof Error && (isAbort(error) || error instanceof ApiError)) return error;
    return new ApiError(0, "network_error", i18n.t("errors.network"));
  },
};

/** The one client of the app. `fetch` is looked up on each call, so tests can stub it. */
export const client = createClient<paths>({ credentials: "same-origin", fetch: (request: Request) => globalThis.fetch(request) });
client.use(apiMiddleware);

/** What a request answered, for requests whose answer has a body (errors were thrown by the middleware). */
export async function data<T>(request: Promise<{ data?: T; response: Response }>): Promise<T> {
  const { data, response } = await request;
  if (data === undefined) throw new ApiError(response.status, "empty_response", i18n.t("errors.emptyBody", { status: response.status }));
  return data;
}

/** Wait for a request whose answer has no body (204). */
export async function done(request: Promise<{ response: Response }>): Promise<void> {
  await request;
}
