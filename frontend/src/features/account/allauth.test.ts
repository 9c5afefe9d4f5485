import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  AllauthError,
  getTotp,
  login,
  loginBody,
  logout,
  passwordStrength,
  pathForFlow,
  resetPassword,
  signup,
  toAuthResult,
  verifyEmail,
} from "./allauth";
import { deviceName } from "./AccountSettings";

beforeEach(() => {
  document.cookie = "csrftoken=tok123";
});

afterEach(() => {
  vi.unstubAllGlobals();
  document.cookie = "csrftoken=; expires=Thu, 01 Jan 1970 00:00:00 GMT";
});

/** fetch as the client calls it: a path, and an init with plain headers and a JSON body. */
type FetchStub = (url: string, init: { method: string; headers: Record<string, string>; body: string }) => Promise<Response>;

/** Answer each fetch with the next envelope (the HTTP status is the envelope's, as allauth sends it). */
function stubFetch(...bodies: unknown[]) {
  const queue = [...bodies];
  const fetch = vi.fn<FetchStub>().mockImplementation(() => {
    const body = queue.shift() as { status?: number } | undefined;
    return Promise.resolve(new Response(JSON.stringify(body ?? {}), { status: body?.status ?? 200, headers: { "Content-Type": "application/json" } }));
  });
  vi.stubGlobal("fetch", fetch);
  return fetch;
}

const USER = { id: 7, display: "ada", email: "ada@example.com", username: "ada", has_usable_password: true };

describe("the flows", () => {
  it("a login that signs in answers authenticated, and sends the CSRF header", async () => {
    document.cookie = "csrftoken=tok123";
    const fetch = stubFetch({ status: 200, data: { user: USER, methods: [] }, meta: { is_authenticated: true } });
    const result = await login("ada", "pw");
    expect(result).toMatchObject({ status: 200, authenticated: true, pending: null, user: USER });
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe("/_allauth/browser/v1/auth/login");
    expect(init.headers["X-CSRFToken"]).toBe("tok123");
    expect(JSON.parse(init.body)).toEqual({ username: "ada", password: "pw" });
  });

  it("takes the CSRF cookie first when the browser has none", async () => {
    document.cookie = "csrftoken=; expires=Thu, 01 Jan 1970 00:00:00 GMT";
    const fetch = vi.fn<FetchStub>().mockImplementation((url) => {
      if (url === "/api/v1/auth/csrf") {
        document.cookie = "csrftoken=fresh";
        return Promise.resolve(new Response(JSON.stringify({ csrf_token: "fresh" }), { status: 200 }));
      }
      return Promise.resolve(new Response(JSON.stringify({ status: 200, data: { user: USER }, meta: { is_authenticated: true } }), { status: 200 }));
    });
    vi.stubGlobal("fetch", fetch);
    await login("ada", "pw");
    expect(fetch.mock.calls.map((c) => c[0])).toEqual(["/api/v1/auth/csrf", "/_allauth/browser/v1/auth/login"]);
    expect(fetch.mock.calls[1]![1].headers["X-CSRFToken"]).toBe("fresh");
  });

  it("an address in the one field is an email login", () => {
    expect(loginBody(" ada@example.com ", "pw")).toEqual({ email: "ada@example.com", password: "pw" });
    expect(loginBody("ada", "pw")).toEqual({ username: "ada", password: "pw" });
  });

  it("a 401 with a pending 2FA step is the next step, with the kinds of code", async () => {
    stubFetch({
      status: 401,
      data: { flows: [{ id: "login" }, { id: "mfa_authenticate", is_pending: true, types: ["totp", "recovery_codes"] }] },
      meta: { is_authenticated: false },
    });
    const result = await login("ada", "pw");
    expect(result.authenticated).toBe(false);
    expect(result.pending).toEqual({ id: "mfa_authenticate", is_pending: true, types: ["totp", "recovery_codes"] });
    expect(pathForFlow(result.pending!)).toBe("/login/2fa");
  });

  it("sign-up ends in the pending email verification", async () => {
    stubFetch({ status: 401, data: { flows: [{ id: "signup" }, { id: "verify_email", is_pending: true }] }, meta: { is_authenticated: false } });
    const result = await signup({ email: "new@example.com", password: "a long phrase", accept_terms: true, terms_version: "2026-12" });
    expect(pathForFlow(result.pending!)).toBe("/verify-email");
  });

  it("input errors are an AllauthError with the message next to its field", async () => {
    stubFetch({
      status: 400,
      errors: [
        { message: "The username and/or password you specified are not correct.", code: "email_password_mismatch", param: "password" },
        { message: "Something else.", code: "other" },
      ],
    });
    const err = (await login("ada", "nope").catch((e: unknown) => e)) as AllauthError;
    expect(err).toBeInstanceOf(AllauthError);
    expect(err.status).toBe(400);
    expect(err.forField("password")).toEqual(["The username and/or password you specified are not correct."]);
    expect(err.forField("username")).toEqual([]);
    expect(err.general(["password"])).toEqual(["Something else."]);
  });

  it("a wrong code stays a field error; a lapsed flow is a 409", async () => {
    stubFetch({ status: 400, errors: [{ message: "Incorrect code.", code: "incorrect_code", param: "key" }] }, { status: 409 });
    const wrong = (await verifyEmail("ABCD").catch((e: unknown) => e)) as AllauthError;
    expect(wrong.forField("key")).toEqual(["Incorrect code."]);
    const lapsed = (await verifyEmail("ABCD").catch((e: unknown) => e)) as AllauthError;
    expect(lapsed.status).toBe(409);
    expect(lapsed.general()).toEqual(["That step is no longer open: start again."]);
  });

  it("429 is a rate limit with a clear message", async () => {
    stubFetch({ status: 429 });
    const err = (await login("ada", "pw").catch((e: unknown) => e)) as AllauthError;
    expect(err.rateLimited).toBe(true);
    expect(err.message).toMatch(/Too many attempts/);
  });

  it("a signed-in 401 asking for reauthentication is an error, not a logout", () => {
    const envelope = { status: 401, data: { flows: [{ id: "reauthenticate" }, { id: "mfa_reauthenticate" }] }, meta: { is_authenticated: true } };
    let caught: unknown;
    try {
      toAuthResult(envelope);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(AllauthError);
    expect((caught as AllauthError).reauthenticationRequired).toBe(true);
  });

  it("logging out answers 401 and that is success", async () => {
    const fetch = stubFetch({ status: 401, data: { flows: [{ id: "login" }] }, meta: { is_authenticated: false } });
    const result = await logout();
    expect(result.authenticated).toBe(false);
    expect(fetch.mock.calls[0]![1].method).toBe("DELETE");
  });

  it("a reset without login answers 401: done, log in next", async () => {
    stubFetch({ status: 401, data: { flows: [{ id: "login" }] }, meta: { is_authenticated: false } });
    const result = await resetPassword("key-1", "new pass phrase");
    expect(result).toMatchObject({ authenticated: false, pending: null });
  });

  it("410 (session gone) is an error that says so", async () => {
    stubFetch({ status: 410 });
    const err = (await login("ada", "pw").catch((e: unknown) => e)) as AllauthError;
    expect(err.status).toBe(410);
    expect(err.message).toMatch(/session has ended/);
  });

  it("an unreachable server is an error, not a crash", async () => {
    vi.stubGlobal("fetch", vi.fn().mockRejectedValue(new TypeError("Failed to fetch")));
    document.cookie = "csrftoken=x";
    const err = (await login("ada", "pw").catch((e: unknown) => e)) as AllauthError;
    expect(err.status).toBe(0);
    expect(err.message).toMatch(/Cannot reach the server/);
  });
});

describe("two-factor setup", () => {
  it("a 404 for TOTP carries the secret and URI to set one up with", async () => {
    stubFetch({ status: 404, meta: { secret: "JBSWY3DPEHPK3PXP", totp_url: "otpauth://totp/ada?secret=JBSWY3DPEHPK3PXP&issuer=Atelier" } });
    expect(await getTotp()).toEqual({ setup: { secret: "JBSWY3DPEHPK3PXP", totp_url: "otpauth://totp/ada?secret=JBSWY3DPEHPK3PXP&issuer=Atelier" } });
  });

  it("a 200 is the active authenticator", async () => {
    stubFetch({ status: 200, data: { type: "totp", created_at: 1, last_used_at: null } });
    expect(await getTotp()).toEqual({ active: { type: "totp", created_at: 1, last_used_at: null } });
  });
});

describe("helpers", () => {
  it("rates passwords for the hint", () => {
    expect(passwordStrength("").score).toBe(0);
    expect(passwordStrength("short").score).toBe(0);
    expect(passwordStrength("abcdefghi").score).toBe(0); // the server asks for 10
    expect(passwordStrength("abcdefghij").score).toBe(1);
    expect(passwordStrength("Correct horse battery 9!").score).toBe(4);
  });

  it("names devices from user agents", () => {
    expect(deviceName("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36")).toBe("Chrome on Linux");
    expect(deviceName("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1")).toBe("Safari on iOS");
    expect(deviceName("")).toBe("Unknown device");
  });
});
