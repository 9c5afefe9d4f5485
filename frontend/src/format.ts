import type { Money } from "./api/types";
import { currentLanguage } from "./i18n";

/** A free-form value (an answer, a detail of an event) as text: strings, numbers and booleans as themselves, anything
 * else (nothing, a list, an object) as "". */
export function text(value: unknown): string {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? String(value) : "";
}

export function money(m: Money | null | undefined): string {
  if (!m) return "—";
  const value = Number(m.amount);
  try {
    return new Intl.NumberFormat(currentLanguage(), { style: "currency", currency: m.currency }).format(value);
  } catch {
    return `${m.amount} ${m.currency}`;
  }
}

/** The currency's ISO 4217 minor-unit exponent: 2 for USD, 0 for JPY, 3 for KWD (2 for a code Intl does not know). */
export function exponentOf(currency: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** An amount in minor units as Money: never divide by 100 (JPY has no minor unit, KWD has thousandths). */
export function fromMinor(amountMinor: number, currency: string): Money {
  const exp = exponentOf(currency);
  return { amount: (amountMinor / 10 ** exp).toFixed(exp), currency };
}

/** An amount in major units (a card's median pay, a computed rate) written to the currency's precision. */
export function major(value: number, currency: string): Money {
  return { amount: value.toFixed(exponentOf(currency)), currency };
}

export function perHour(m: Money | null | undefined): string {
  return m ? `${money(m)}/h` : "—";
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = value < 10 ? 1 : 0;
  const shown = new Intl.NumberFormat(currentLanguage(), { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return `${shown.format(value)} ${units[unit]}`;
}

export function date(iso: string | null | undefined): string {
  if (!iso) return "—";
  return new Date(iso).toLocaleDateString(currentLanguage(), { year: "numeric", month: "short", day: "numeric" });
}

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  return new Date(iso).toLocaleString(currentLanguage(), { dateStyle: "medium", timeStyle: "short" });
}

function inUnit(n: number, name: "hour" | "minute" | "second"): string {
  return new Intl.NumberFormat(currentLanguage(), { style: "unit", unit: name, unitDisplay: "short" }).format(n);
}

/** A duration in whole minutes, in the person's language: "45 min", "1 h 30 min" ("1 h, 30 min" where that is
 * the usage). */
export function minutes(n: number): string {
  if (n < 60) return inUnit(n, "minute");
  const h = Math.floor(n / 60);
  const m = n % 60;
  return m ? `${inUnit(h, "hour")} ${inUnit(m, "minute")}` : inUnit(h, "hour");
}

/** A count in the person's language ("12,345" in English, "12.345" in Spanish and Portuguese). */
export function count(n: number): string {
  return new Intl.NumberFormat(currentLanguage()).format(n);
}
