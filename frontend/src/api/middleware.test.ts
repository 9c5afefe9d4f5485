import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, client, data, done } from "./client";

afterEach(() => {
  vi.unstubAllGlobals();
  document.cookie = "csrftoken=; expires=Thu, 01 Jan 1970 00:00:00 GMT";
});

/** Stub fetch as openapi-fetch calls it (one Request) with one answer. */
function stubFetch(status: number, body: unknown) {
  const fetch = vi.fn<(request: Request) => Promise<Response>>(() =>
    Promise.resolve(new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } })),
  );
  vi.stubGlobal("fetch", fetch);
  return fetch;
}

function sent(fetch: ReturnType<typeof stubFetch>, call = 0): Request {
  const request = fetch.mock.calls[call]?.[0];
  if (!request) throw new Error(`fetch was not called ${call + 1} times`);
  return request;
}

const TOKEN = { id: 1, name: "ci", prefix: "abc", scopes: [], created_at: "2026-12-01T00:00:00Z", expires_at: null, last_used_at: null, token: "atl_abc_x" };

describe("the API client's middleware", () => {
  it("sends the CSRF token from the cookie on writes only, with the session", async () => {
    document.cookie = "csrftoken=abc123";
    const fetch = stubFetch(201, TOKEN);
    await data(client.POST("/api/v1/tokens", { body: { name: "ci", scopes: ["projects:read"] } }));
    expect(sent(fetch).method).toBe("POST");
    expect(sent(fetch).headers.get("X-CSRFToken")).toBe("abc123");
    expect(sent(fetch).headers.get("Content-Type")).toBe("application/json");
    expect(sent(fetch).credentials).toBe("same-origin");
    expect(await sent(fetch).json()).toEqual({ name: "ci", scopes: ["projects:read"] });

    await client.GET("/api/v1/tokens");
    expect(sent(fetch, 1).headers.get("X-CSRFToken")).toBeNull();
    expect(sent(fetch, 1).headers.get("Accept")).toBe("application/json");
  });

  it("sends no CSRF header when there is no cookie", async () => {
    const fetch = stubFetch(204, undefined);
    await done(client.DELETE("/api/v1/tokens/{token_id}", { params: { path: { token_id: 4 } } }));
    expect(sent(fetch).url).toMatch(/\/api\/v1\/tokens\/4$/);
    expect(sent(fetch).headers.get("X-CSRFToken")).toBeNull();
  });

  it("throws the error shape as an ApiError with its fields", async () => {
    stubFetch(400, { error: { status: 400, code: "invalid", message: "Some fields are invalid.", fields: { "pay.amount": ["Too many decimals."], name: ["Required."] } } });
    const err = await client.POST("/api/v1/tokens", { body: { name: "", scopes: [] } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    if (!(err instanceof ApiError)) return;
    expect([err.status, err.code, err.message]).toEqual([400, "invalid", "Some fields are invalid."]);
    expect(err.fieldMessages("pay")).toEqual(["Too many decimals."]);
    expect(err.fieldMessages("name")).toEqual(["Required."]);
  });

  it("explains an answer that is not the error shape", async () => {
    vi.stubGlobal("fetch", vi.fn().mockResolvedValue(new Response("<html>bad gateway</html>", { status: 502 })));
    const err = await client.GET("/api/v1/tokens").catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 502, code: "http_error", message: "The server answered 502." });
  });

  it("reports a network failure as an ApiError", async () => {
    vi.stubGlobal("fetch", vi.fn().mockRejectedValue(new TypeError("Failed to fetch")));
    const err = await client.GET("/api/v1/tokens").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 0, code: "network_error", message: "Cannot reach the server. Check your connection and try again." });
  });

  it("leaves a cancelled request an AbortError, not a network failure", async () => {
    vi.stubGlobal("fetch", vi.fn().mockRejectedValue(new DOMException("The operation was aborted.", "AbortError")));
    const err = await client.GET("/api/v1/tokens").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DOMException);
    expect(err).toMatchObject({ name: "AbortError" });
  });
});
