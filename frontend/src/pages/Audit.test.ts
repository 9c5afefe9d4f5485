import { describe, expect, it } from "vitest";
import type { AuditEvent } from "../api/types";
import { describeEvent, objectLink } from "./Audit";

const event = (over: Partial<AuditEvent>): AuditEvent => ({
  id: 1,
  action: "project.created",
  actor: { id: 2, name: "Ada" },
  target_type: "project",
  target_id: "7",
  target_label: "Storyboards",
  details: {},
  created_at: "2026-11-26T10:00:00Z",
  ...over,
});

describe("audit log", () => {
  it("says what happened, with the details that matter", () => {
    expect(describeEvent(event({ action: "project.publish" }))).toBe("published it");
    expect(describeEvent(event({ action: "project.updated", details: { fields: ["estimated_minutes"] } }))).toBe("changed estimated minutes");
    expect(describeEvent(event({ action: "contribution.bonus", target_type: "contribution", details: { amount_minor: 250, currency: "USD" } }))).toBe(
      "paid a bonus on ($2.50)",
    );
    expect(describeEvent(event({ action: "token.created", details: { scopes: ["export:read"] } }))).toBe("created the API token (export:read)");
    expect(describeEvent(event({ action: "something.new_thing" }))).toBe("something new thing");
  });

  it("links the object by its name while it exists", () => {
    expect(objectLink(event({}))).toEqual({ to: "/projects/7", label: "Storyboards" });
    expect(objectLink(event({ target_type: "contribution", target_id: "9", target_label: "Storyboards · item-001" }))).toEqual({
      to: "/review/9",
      label: "Storyboards · item-001",
    });
    expect(objectLink(event({ target_type: "dataset", target_label: null }))).toEqual({ to: null, label: "dataset #7" });
    expect(objectLink(event({ target_type: "payout", target_id: "3", target_label: null }))).toEqual({ to: null, label: "payout #3" });
  });
});
