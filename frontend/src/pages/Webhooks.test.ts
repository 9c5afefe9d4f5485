import { describe, expect, it } from "vitest";
import { lastTry } from "./Webhooks";

describe("webhook delivery log", () => {
  it("says what the last try did", () => {
    expect(lastTry({ state: "delivered", attempts: 1, last_status: 204, last_error: "", next_attempt_at: null })).toBe("HTTP 204");
    expect(lastTry({ state: "pending", attempts: 0, last_status: null, last_error: "", next_attempt_at: null })).toBe("queued");
    expect(lastTry({ state: "failed", attempts: 4, last_status: 500, last_error: "HTTP 500", next_attempt_at: null })).toBe("gave up after 4 tries: HTTP 500");
    expect(lastTry({ state: "pending", attempts: 1, last_status: null, last_error: "ConnectionError: refused", next_attempt_at: "2026-11-25T10:00:00Z" })).toMatch(
      /^ConnectionError: refused; next try /,
    );
  });
});
