import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import type { Invitation } from "../api/types";
import { resendError, resendWait } from "./Members";
import { acceptProblem, linkProblem, passwordProblem } from "./AcceptInvitation";

const NOW = Date.parse("2026-12-03T12:00:00Z");

function invitation(resendAt: string | null): Invitation {
  return {
    id: 1,
    email: "ann@example.com",
    role: "reviewer",
    invited_by: null,
    created_at: "2026-12-03T11:59:30Z",
    last_sent_at: "2026-12-03T11:59:30Z",
    sent_count: 1,
    expires_at: "2026-12-10T11:59:30Z",
    expired: false,
    resend_available_at: resendAt,
  };
}

describe("resendWait", () => {
  it("says now, seconds, minutes, or never", () => {
    expect(resendWait("2026-12-03T11:59:00Z", NOW)).toBe("now");
    expect(resendWait("2026-12-03T12:00:30Z", NOW)).toBe("in 30 s");
    expect(resendWait("2026-12-03T12:05:00Z", NOW)).toBe("in 5 min");
    expect(resendWait(null, NOW)).toBeNull();
  });
});

describe("resendError", () => {
  it("tells when to retry after a 429", () => {
    const err = new ApiError(429, "throttled", "wait");
    expect(resendError(err, invitation("2026-12-03T12:00:30Z"), NOW)).toBe("Sent moments ago: you can resend it in 30 s.");
  });
  it("passes other errors through", () => {
    const err = new ApiError(409, "resend_limit", "Sent 5 times already.");
    expect(resendError(err, invitation(null), NOW)).toBe("Sent 5 times already.");
  });
});

describe("linkProblem", () => {
  it.each([
    ["invitation_used", 410, "accepted"],
    ["invitation_expired", 410, "expired"],
    ["invitation_revoked", 410, "withdrawn"],
    ["invitation_superseded", 410, "newer"],
    ["not_found", 404, "not valid"],
  ])("explains %s", (code, status, words) => {
    expect(linkProblem(new ApiError(status, code, "x")).title).toContain(words);
  });
  it("falls back to the server's message", () => {
    expect(linkProblem(new ApiError(500, "http_error", "The server answered 500.")).body).toBe("The server answered 500.");
  });
});

describe("acceptProblem", () => {
  it("names the address to sign in as", () => {
    expect(acceptProblem(new ApiError(403, "wrong_account", "x"), "ann@example.com")).toContain("ann@example.com");
    expect(acceptProblem(new ApiError(409, "freelancer_account", "x"), "a@b.c")).toContain("freelancer");
    expect(acceptProblem(new ApiError(409, "last_admin", "Server says."), "a@b.c")).toBe("Server says.");
  });
});

describe("passwordProblem", () => {
  it("checks length and the confirmation", () => {
    expect(passwordProblem("", "")).toBeNull();
    expect(passwordProblem("short", "")).toContain("10");
    expect(passwordProblem("ninechars", "")).toContain("10");
    expect(passwordProblem("long enough pass", "long enough")).toContain("differ");
    expect(passwordProblem("long enough pass", "long enough pass")).toBeNull();
  });
});
