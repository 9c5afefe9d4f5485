/** The onboarding form's logic, without React: its fields and steps, what is still missing, and the lists it offers
 * (languages, countries, time zones) with names from the browser's Intl data. */
import { i18n } from "../../i18n";

export const TRAINING_USES = ["ai_training", "ai_generative_training", "data_mining", "ai_inference"] as const;
export type TrainingUse = (typeof TRAINING_USES)[number];
export const TRAINING_CHOICES = ["allowed", "constrained", "notAllowed"] as const;
export type TrainingChoice = (typeof TRAINING_CHOICES)[number];
export const MODALITIES = ["image", "audio", "video", "text", "motion", "sensor", "model"] as const;
export type Modality = (typeof MODALITIES)[number];

/** In the order the API names them (REQUIRED_FIELDS in annotations/domain/onboarding.py). */
export const REQUIRED_FIELDS = ["display_name", "languages", "skills", "modalities", "country", "time_zone", "training_terms"] as const;
export type FieldName = (typeof REQUIRED_FIELDS)[number];

export interface OnboardingForm {
  display_name: string;
  languages: string[];
  skills: string[];
  modalities: Modality[];
  country: string;
  time_zone: string;
  training_terms: Partial<Record<TrainingUse, TrainingChoice>>;
}

/** The catalogue key (namespace `account`) naming a missing field. */
export type FieldLabelKey = `onboarding.field.${FieldName | "onboarding"}`;

export const FIELD_LABELS: Record<FieldName | "onboarding", FieldLabelKey> = {
  display_name: "onboarding.field.display_name",
  languages: "onboarding.field.languages",
  skills: "onboarding.field.skills",
  modalities: "onboarding.field.modalities",
  country: "onboarding.field.country",
  time_zone: "onboarding.field.time_zone",
  training_terms: "onboarding.field.training_terms",
  onboarding: "onboarding.field.onboarding",
};

/** How the marketplace names a missing field, in the current language ("training_terms.ai_training" and the like
 * read as themselves). */
export function fieldLabel(name: string): string {
  const labels: Partial<Record<string, FieldLabelKey>> = FIELD_LABELS;
  const key = labels[name];
  return key ? i18n.t(key, { ns: "account" }) : name;
}

/** The form's steps; `title` is a catalogue key (namespace `account`). */
export const STEPS: { id: string; title: `onboarding.step.${"you" | "work" | "place" | "terms"}`; fields: FieldName[] }[] = [
  { id: "you", title: "onboarding.step.you", fields: ["display_name", "languages"] },
  { id: "work", title: "onboarding.step.work", fields: ["skills", "modalities"] },
  { id: "place", title: "onboarding.step.place", fields: ["country", "time_zone"] },
  { id: "terms", title: "onboarding.step.terms", fields: ["training_terms"] },
];

export function stepOf(field: string): number {
  const name = field.split(".")[0] ?? field;
  const index = STEPS.findIndex((s) => (s.fields as string[]).includes(name));
  return index < 0 ? 0 : index;
}

/** What the form still lacks, in the API's order: the same rule as the server's, so the list shrinks as one types. */
export function missingFields(form: OnboardingForm): FieldName[] {
  const present: Record<FieldName, boolean> = {
    display_name: form.display_name.trim() !== "",
    languages: form.languages.length > 0,
    skills: form.skills.some((s) => s.trim() !== ""),
    modalities: form.modalities.length > 0,
    country: form.country !== "",
    time_zone: form.time_zone !== "",
    training_terms: TRAINING_USES.every((u) => form.training_terms[u] !== undefined),
  };
  return REQUIRED_FIELDS.filter((f) => !present[f]);
}

/** What `initialForm` reads of a profile: the form's fields, with the training terms as the API has them. */
export interface ProfileLike extends Omit<OnboardingForm, "training_terms"> {
  training_terms: Record<string, string>;
  onboarding: { missing: string[] };
}

/** The form from what the profile already holds. The time zone defaults to the browser's; the training terms start
 * unchosen unless the person already chose every use (the profile shows defaults, and a default is not a choice). */
export function initialForm(profile: ProfileLike, browserTimeZone: string): OnboardingForm {
  const chosen = !profile.onboarding.missing.includes("training_terms");
  const terms: Partial<Record<TrainingUse, TrainingChoice>> = {};
  if (chosen) {
    for (const use of TRAINING_USES) {
      const choice = TRAINING_CHOICES.find((c) => c === profile.training_terms[use]);
      if (choice) terms[use] = choice;
    }
  }
  return {
    display_name: profile.display_name,
    languages: [...profile.languages],
    skills: [...profile.skills],
    modalities: [...profile.modalities],
    country: profile.country,
    time_zone: profile.time_zone || browserTimeZone,
    training_terms: terms,
  };
}

/** Skills typed into the chip field: split on commas, trimmed, duplicates (any case) dropped. */
export function addSkills(skills: string[], typed: string): string[] {
  const out = [...skills];
  for (const raw of typed.split(",")) {
    const skill = raw.trim().replace(/\s+/g, " ");
    if (skill && !out.some((s) => s.toLowerCase() === skill.toLowerCase())) out.push(skill.slice(0, 60));
  }
  return out;
}

/** Languages people most often work in here, as BCP 47 tags; anything else can be typed as a tag. */
export const COMMON_LANGUAGES = [
  "en", "es", "pt", "pt-BR", "fr", "de", "it", "nl", "pl", "sv", "da", "no", "fi", "cs", "ro", "hu", "el", "tr", "ru",
  "uk", "ar", "he", "fa", "hi", "bn", "ur", "ta", "te", "mr", "id", "ms", "tl", "vi", "th", "zh-Hans", "zh-Hant",
  "ja", "ko", "sw", "yo", "ha", "am", "zu", "ca", "eu", "gl", "ga", "cy", "is", "et", "lv", "lt", "sk", "sl", "hr",
  "sr", "bg", "mk", "sq", "hy", "ka", "az", "kk", "uz", "ne", "si", "km", "my", "lo", "mn", "af", "es-419", "fr-CA",
  "en-GB", "en-US",
];

const TAG = /^[a-z]{2,3}(-[a-z]{4})?(-([a-z]{2}|[0-9]{3}))?$/i;

/** A tag in canonical case (pt-br -> pt-BR, zh-hant -> zh-Hant), or null if it does not look like one. */
export function canonicalTag(typed: string): string | null {
  const value = typed.trim().replace(/_/g, "-");
  if (!TAG.test(value)) return null;
  try {
    return Intl.getCanonicalLocales(value)[0] ?? null;
  } catch {
    return null;
  }
}

export function languageName(tag: string, locale = "en"): string {
  try {
    return new Intl.DisplayNames([locale], { type: "language" }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** Type-ahead: common languages whose name or tag starts with (or whose name contains) what was typed, minus the
 * chosen ones; a well-formed tag typed in full is offered too. */
export function languageSuggestions(query: string, chosen: string[], locale = "en", limit = 8): { tag: string; name: string }[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const all = COMMON_LANGUAGES.filter((t) => !chosen.includes(t)).map((tag) => ({ tag, name: languageName(tag, locale) }));
  const starts = all.filter((l) => l.name.toLowerCase().startsWith(q) || l.tag.toLowerCase() === q);
  const contains = all.filter((l) => !starts.includes(l) && l.name.toLowerCase().includes(q));
  const found = [...starts, ...contains];
  const typed = canonicalTag(q);
  if (typed && !chosen.includes(typed) && !found.some((l) => l.tag === typed)) {
    const name = languageName(typed, locale);
    if (name !== typed) found.push({ tag: typed, name });
  }
  return found.slice(0, limit);
}

/** ISO 3166-1 alpha-2 (the list the server checks against). */
export const COUNTRY_CODES = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW".split(" ");

export function countryOptions(locale = "en"): { code: string; name: string }[] {
  let names: Intl.DisplayNames | null = null;
  try {
    names = new Intl.DisplayNames([locale], { type: "region" });
  } catch {
    names = null;
  }
  return COUNTRY_CODES.map((code) => ({ code, name: names?.of(code) ?? code })).sort((a, b) => a.name.localeCompare(b.name, locale));
}

/** IANA names the browser knows, with the browser's own zone in the list even where the engine leaves it out. */
export function timeZoneOptions(browserTimeZone: string): string[] {
  const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  const all = new Set([...zones, "UTC"]);
  if (browserTimeZone) all.add(browserTimeZone);
  return [...all].sort();
}

export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

/** Field errors from the server under each form field ("training_terms.ai_training" goes under training_terms). */
export function errorsByField(fields: Record<string, string[]>): Partial<Record<string, string[]>> {
  const out: Partial<Record<string, string[]>> = {};
  for (const [key, messages] of Object.entries(fields)) {
    const name = key.split(".")[0] ?? key;
    out[name] = [...(out[name] ?? []), ...messages];
  }
  return out;
}
