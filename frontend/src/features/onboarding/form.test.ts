import { describe, expect, it } from "vitest";
import { addSkills, canonicalTag, errorsByField, initialForm, languageSuggestions, missingFields, stepOf, timeZoneOptions, type OnboardingForm, type ProfileLike } from "./form";

const empty: ProfileLike = {
  display_name: "",
  languages: [],
  skills: [],
  modalities: [],
  country: "",
  time_zone: "",
  training_terms: { ai_training: "allowed", ai_generative_training: "allowed", data_mining: "allowed", ai_inference: "allowed" },
  onboarding: { missing: ["display_name", "languages", "skills", "modalities", "country", "time_zone", "training_terms"] },
};

describe("the onboarding form", () => {
  it("starts with nothing chosen for the training terms and the browser's time zone", () => {
    const form = initialForm(empty, "Europe/Lisbon");
    expect(form.training_terms).toEqual({});
    expect(form.time_zone).toBe("Europe/Lisbon");
    expect(missingFields(form)).toEqual(["display_name", "languages", "skills", "modalities", "country", "training_terms"]);
  });
  it("keeps terms already chosen", () => {
    const form = initialForm({ ...empty, onboarding: { missing: ["country"] } }, "UTC");
    expect(form.training_terms.ai_inference).toBe("allowed");
  });
  it("counts the terms only when every use is chosen", () => {
    const form: OnboardingForm = { ...initialForm(empty, "UTC"), display_name: "N", languages: ["en"], skills: ["ink"], modalities: ["image"], country: "PT" };
    expect(missingFields({ ...form, training_terms: { ai_training: "allowed" } })).toEqual(["training_terms"]);
    const all = { ai_training: "allowed", ai_generative_training: "notAllowed", data_mining: "constrained", ai_inference: "notAllowed" } as const;
    expect(missingFields({ ...form, training_terms: all })).toEqual([]);
  });
  it("adds skills from commas, without blanks or duplicates", () => {
    expect(addSkills(["Ink"], "ink, foley ,, sound  design")).toEqual(["Ink", "foley", "sound design"]);
  });
  it("suggests languages by name and takes typed tags in canonical case", () => {
    expect(languageSuggestions("portu", []).map((l) => l.tag)).toContain("pt");
    expect(languageSuggestions("portu", ["pt"]).map((l) => l.tag)).not.toContain("pt");
    expect(canonicalTag("pt-br")).toBe("pt-BR");
    expect(canonicalTag("english")).toBeNull();
  });
  it("maps server errors and fields to their step", () => {
    expect(errorsByField({ "training_terms.ai_training": ["Choose"], country: ["Bad"] })).toEqual({ training_terms: ["Choose"], country: ["Bad"] });
    expect(stepOf("training_terms.data_mining")).toBe(3);
    expect(stepOf("time_zone")).toBe(2);
  });
  it("always offers the browser's zone", () => {
    expect(timeZoneOptions("Etc/Unknown_Test")).toContain("Etc/Unknown_Test");
  });
});
