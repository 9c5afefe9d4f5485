import { afterAll, describe, expect, it } from "vitest";
import { bytes, count, date, minutes, money, perHour, text } from "./format";
import { i18n, initialLanguage, ready, setLanguage, supported } from "./i18n";
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
    expect(minutes(90)).toBe("1 hr 30 min");
    expect(minutes(120)).toBe("2 hr");
  });
});

describe("format in the person's language", () => {
  afterAll(() => setLanguage("en", { remember: false }));

  it("writes numbers, money, dates and durations the Spanish way", async () => {
    await ready;
    await setLanguage("es", { remember: false });
    expect(money({ amount: "1234.50", currency: "EUR" })).toBe("1234,50\u00a0€");
    expect(count(12345)).toBe("12.345");
    expect(bytes(1536)).toBe("1,5 KiB");
    expect(minutes(90)).toBe("1 h 30 min");
    expect(date("2026-03-04T10:00:00Z")).toBe("4 mar 2026");
    expect(i18n.t("nav.tasks")).toBe("Tareas");
  });

  it("picks the closest supported language", () => {
    expect([supported("es-MX"), supported("pt"), supported("pt-PT"), supported("fr"), supported("EN-gb")]).toEqual(["es", "pt-BR", "pt-BR", null, "en"]);
    expect(initialLanguage(null, ["fr-FR", "pt-BR", "en"])).toBe("pt-BR");
    expect(initialLanguage("es", ["pt-BR"])).toBe("es");
    expect(initialLanguage(null, ["de"])).toBe("en");
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
