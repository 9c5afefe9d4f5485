/** The output spec as the builder edits it: the same data the API validates field by field. */
import { exponentOf } from "./format";

export type FieldType = "intent" | "process_notes" | "drafts" | "anchors" | "rating" | "choice" | "text" | "file";

export interface SpecField {
  key: string;
  type: FieldType;
  label: string;
  required: boolean;
  [option: string]: unknown;
}

export interface OutputSpec {
  version: 1;
  fields: SpecField[];
}

/** Each type's defaults, and the label a new field of it starts with: data saved in the spec (as are the labels of
 * `defaultSpec`), so it stays as written here. What the builder shows of a type (its name, its help) comes from the
 * projects catalogue, `fieldType.<type>.label` and `.help`. */
export const FIELD_INFO: Record<FieldType, { label: string; defaults: Record<string, unknown> }> = {
  intent: { label: "Intent statement", defaults: { min_length: 20 } },
  process_notes: { label: "Process notes", defaults: { min_count: 1 } },
  drafts: { label: "Draft iterations", defaults: { min: 1, max: 10 } },
  anchors: { label: "Anchors", defaults: { modality: "image", shapes: ["rectangle", "polygon"], min: 0, max: 20 } },
  rating: { label: "Rating scale", defaults: { min: 1, max: 5 } },
  choice: { label: "Choice", defaults: { options: ["option a", "option b"], multiple: false } },
  text: { label: "Free text", defaults: { min_length: 0, max_length: 2000 } },
  file: { label: "File output", defaults: { media_types: ["image/png"], max_count: 1 } },
};

/** A type the builder knows (the API may name others): its label and help are translated where shown. */
export function isFieldType(type: string): type is FieldType {
  return Object.hasOwn(FIELD_INFO, type);
}

export function defaultSpec(): OutputSpec {
  return {
    version: 1,
    fields: [
      { key: "intent", type: "intent", label: "What you meant to make", required: true, min_length: 20 },
      { key: "notes", type: "process_notes", label: "Process notes", required: true, min_count: 1 },
      { key: "drafts", type: "drafts", label: "Draft iterations", required: true, min: 1, max: 10 },
    ],
  };
}

/** A key for a new field: from its type, unique in the spec. */
export function newKey(spec: OutputSpec, type: FieldType): string {
  const base = type === "process_notes" ? "notes" : type;
  let key = base;
  let n = 2;
  const taken = new Set(spec.fields.map((f) => f.key));
  while (taken.has(key)) key = `${base}_${n++}`;
  return key;
}

export function addField(spec: OutputSpec, type: FieldType): OutputSpec {
  const info = FIELD_INFO[type];
  const field: SpecField = { key: newKey(spec, type), type, label: info.label, required: false, ...info.defaults };
  return { ...spec, fields: [...spec.fields, field] };
}

export function moveField(spec: OutputSpec, index: number, delta: -1 | 1): OutputSpec {
  const target = index + delta;
  if (target < 0 || target >= spec.fields.length) return spec;
  const fields = [...spec.fields];
  [fields[index], fields[target]] = [fields[target]!, fields[index]!];
  return { ...spec, fields };
}

/** Only one of each process field makes sense: the builder offers the types that can still be added. */
export function addableTypes(spec: OutputSpec): FieldType[] {
  const singles: FieldType[] = ["intent", "process_notes", "drafts"];
  return (Object.keys(FIELD_INFO) as FieldType[]).filter((t) => !singles.includes(t) || !spec.fields.some((f) => f.type === t));
}

/** Effective hourly rate, in the pay's currency, rounded to its minor unit (cents, whole yen, thousandths of a dinar). */
export function effectiveRate(amount: string, estimatedMinutes: number, currency: string): number | null {
  const pay = Number(amount);
  if (!Number.isFinite(pay) || pay <= 0 || !estimatedMinutes || estimatedMinutes <= 0) return null;
  const unit = 10 ** exponentOf(currency);
  return Math.round((pay * 60 * unit) / estimatedMinutes) / unit;
}
