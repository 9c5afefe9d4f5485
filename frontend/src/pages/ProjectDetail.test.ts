import { describe, expect, it } from "vitest";
import type { Activity } from "../api/types";
import { describeActivity } from "./ProjectDetail";

const event = (action: string, data: Record<string, unknown>): Activity => ({
  id: 1,
  action,
  actor: { id: 1, name: "Ada" },
  target_type: "project",
  target_id: "1",
  target_label: "Harbour",
  details: data,
  created_at: "2026-11-25T10:00:00Z",
});

describe("describeActivity", () => {
  it("names the fields a change touched", () => {
    expect(describeActivity(event("project.updated", { fields: ["brief", "estimated_minutes"] }))).toBe("changed brief, estimated minutes");
  });
  it("counts uploads and imports", () => {
    expect(describeActivity(event("project.assets_uploaded", { files: 1, bytes: 2048 }))).toBe("uploaded 1 file (2.0 KiB)");
    expect(describeActivity(event("project.assets_imported", { created: 3, skipped: 1, source: "prefix:imports/x/shoot/" }))).toBe(
      "imported 3 files from prefix:imports/x/shoot/, 1 skipped",
    );
  });
  it("names the gold item set or removed", () => {
    expect(describeActivity(event("gold.set", { item: "item-002", created: true }))).toBe("set the known answers of gold item item-002");
    expect(describeActivity(event("gold.removed", { item: "item-002" }))).toBe("returned to the ordinary stream gold item item-002");
  });
  it("falls back to the action name for what it does not know", () => {
    expect(describeActivity(event("project.publish", { from: "draft", to: "published" }))).toBe("published it");
    expect(describeActivity(event("project.archived", {}))).toBe("project.archived");
  });
});
