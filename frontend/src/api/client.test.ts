import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, api, readCookie } from "./client";

afterEach(() => {
  vi.unstubAllGlobals();
  document.cookie = "csrftoken=; expires=Thu, 01 Jan 1970 00:00:00 GMT";
});

function stubFetch(status: number, body: unknown) {
  const fetch = vi.fn<(url: string, init: { headers: Record<string, string>; credentials: string }) => Promise<Response>>().mockImplementation(() =>
    Promise.resolve(new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } })),
  );
  vi.stubGlobal("fetch", fetch);
  return fetch;
}

describe("api", () => {
  it("sends the CSRF token on writes only", async () => {
    document.cookie = "csrftoken=abc123";
    const fetch = stubFetch(200, { ok: true });
    await api("POST", "/api/v1/tokens", { name: "x" });
    expect(fetch.mock.calls[0]![1].headers["X-CSRFToken"]).toBe("abc123");
    expect(fetch.mock.calls[0]![1].credentials).toBe("same-origin");
    await api("GET", "/api/v1/me");
    expect(fetch.mock.calls[1]![1].headers["X-CSRFToken"]).toBeUndefined();
  });

  it("turns the error shape into an ApiError with fields", async () => {
    stubFetch(400, { error: { status: 400, code: "invalid", message: "Some fields are invalid.", fields: { "pay.amount": ["Too many decimals."], title: ["Required."] } } });
    const err = await api("POST", "/api/v1/projects", {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    const apiErr = err as ApiError;
    expect([apiErr.status, apiErr.code, apiErr.message]).toEqual([400, "invalid", "Some fields are invalid."]);
    expect(apiErr.fieldMessages("pay")).toEqual(["Too many decimals."]);
    expect(apiErr.fieldMessages("title")).toEqual(["Required."]);
    expect(apiErr.fieldMessages("brief")).toEqual([]);
  });

  it("explains a body that is not the error shape", async () => {
    vi.stubGlobal("fetch", vi.fn().mockResolvedValue(new Response("<html>bad gateway</html>", { status: 502 })));
    const err = (await api("GET", "/api/v1/me").catch((e: unknown) => e)) as ApiError;
    expect([err.status, err.code, err.message]).toEqual([502, "http_error", "The server answered 502."]);
  });

  it("reports a network failure", async () => {
    vi.stubGlobal("fetch", vi.fn().mockRejectedValue(new TypeError("Failed to fetch")));
    const err = (await api("GET", "/api/v1/me").catch((e: unknown) => e)) as ApiError;
    expect(err.code).toBe("network_error");
  });

  it("returns nothing for 204", async () => {
    vi.stubGlobal("fetch", vi.fn().mockResolvedValue(new Response(null, { status: 204 })));
    expect(await api("DELETE", "/api/v1/tokens/1")).toBeUndefined();
  });
});

describe("readCookie", () => {
  it("finds a cookie among others and decodes it", () => {
    expect(readCookie("csrftoken", "a=1; csrftoken=x%20y; b=2")).toBe("x y");
    expect(readCookie("missing", "a=1")).toBeNull();
  });
});
