import { describe, expect, it } from "vitest";
import { bytes, minutes, money, perHour, text } from "./format";
import { criterionKey } from "./pages/NewProject";
import { addField, addableTypes, defaultSpec, effectiveRate, moveField, newKey } from "./spec";

describe("format", () => {
  it("shows free-form values as text, never as [object Object]", () => {
    expect([text("a"), text(3), text(false), text(null), text(undefined), text({ a: 1 }), text(["x"])]).toEqual(["a", "3", "false", "", "", "", ""]);
  });

  it("formats money by currency", () => {
    expect(money({ amount: "6.00", currency: "USD" })).toBe("$6.00");
    expect(money({ amount: "12.50", currency: "EUR" })).toBe("€12.50");
    expect(perHour({ amount: "24.00", currency: "USD" })).toBe("$24.00/h");
    expect(money(null)).toBe("—");
  });
  it("formats sizes and durations", () => {
    expect(bytes(512)).toBe("512 B");
    expect(bytes(1536)).toBe("1.5 KiB");
    expect(bytes(50 * 1024 * 1024)).toBe("50 MiB");
    expect(minutes(15)).toBe("15 min");
    expect(minutes(90)).toBe("1 h 30 min");
    expect(minutes(120)).toBe("2 h");
  });
});

describe("output spec builder", () => {
  it("starts with the process fields and offers no second intent", () => {
    const spec = defaultSpec();
    expect(spec.fields.map((f) => f.type)).toEqual(["intent", "process_notes", "drafts"]);
    expect(addableTypes(spec)).not.toContain("intent");
    expect(addableTypes(spec)).toContain("rating");
  });
  it("gives new fields unique keys and their defaults", () => {
    let spec = addField(defaultSpec(), "rating");
    spec = addField(spec, "rating");
    expect(spec.fields.slice(-2).map((f) => f.key)).toEqual(["rating", "rating_2"]);
    expect(spec.fields.at(-1)).toMatchObject({ type: "rating", min: 1, max: 5, required: false });
    expect(newKey(spec, "process_notes")).toBe("notes_2");
  });
  it("moves fields within bounds", () => {
    const spec = defaultSpec();
    expect(moveField(spec, 0, 1).fields.map((f) => f.key)).toEqual(["notes", "intent", "drafts"]);
    expect(moveField(spec, 0, -1)).toBe(spec);
  });
  it("computes the effective hourly rate", () => {
    expect(effectiveRate("6.00", 15, "USD")).toBe(24);
    expect(effectiveRate("1.00", 7, "USD")).toBe(8.57);
    expect(effectiveRate("x", 15, "USD")).toBeNull();
    expect(effectiveRate("5", 0, "USD")).toBeNull();
  });
});


describe("criterionKey", () => {
  it("makes a key from a rubric label", () => {
    expect(criterionKey("Use of light")).toBe("use_of_light");
    expect(criterionKey("3D feel!")).toBe("c_3d_feel");
  });
});
