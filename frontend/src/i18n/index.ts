/**
 * Translations: i18next with ICU messages (i18next-icu over intl-messageformat), so plurals, selects and numbers
 * follow each language's own rules ("{count, plural, one {# task} other {# tasks}}"). English is bundled and is the
 * fallback; Spanish and Brazilian Portuguese are loaded when chosen. The catalogues are JSON, one file per
 * namespace and language under `locales/`; English is the source of truth for keys, which TypeScript checks
 * (`i18next.d.ts`), and `catalogues.test.ts` fails when another language lacks a key or changes a placeholder.
 *
 * The language: the person's own (saved on their account, chosen on the account page or in the menu), else the one
 * chosen before signing in (kept in this browser), else the browser's first supported language, else English.
 */
import i18next, { type i18n as I18n } from "i18next";
import ICU from "i18next-icu";
import { initReactI18next } from "react-i18next";
import { en, NAMESPACES } from "./resources";

export const LANGUAGES = [
  { code: "en", name: "English" },
  { code: "es", name: "Español" },
  { code: "pt-BR", name: "Português (Brasil)" },
] as const;
export type Language = (typeof LANGUAGES)[number]["code"];

const STORED = "atelier.language";
const loaders = import.meta.glob<{ default: Record<string, string> }>("./locales/*/*.json");

/** The supported language closest to a BCP 47 tag: "es-MX" → "es", "pt" or "pt-PT" → "pt-BR", "fr" → null. */
export function supported(tag: string | null | undefined): Language | null {
  if (!tag) return null;
  const lower = tag.toLowerCase();
  const exact = LANGUAGES.find((l) => l.code.toLowerCase() === lower);
  if (exact) return exact.code;
  const base = lower.split("-")[0];
  return LANGUAGES.find((l) => l.code.toLowerCase().split("-")[0] === base)?.code ?? null;
}

/** The language to show before the account says otherwise: a choice made in this browser, else the browser's. */
export function initialLanguage(
  stored: string | null = safeStorage()?.getItem(STORED) ?? null,
  browser: readonly string[] = typeof navigator === "undefined" ? [] : navigator.languages,
): Language {
  return supported(stored) ?? browser.map(supported).find((l) => l !== null) ?? "en";
}

function safeStorage(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}

async function load(instance: I18n, language: Language): Promise<void> {
  if (language === "en" || instance.hasResourceBundle(language, "common")) return;
  await Promise.all(
    NAMESPACES.map(async (ns) => {
      const loader = loaders[`./locales/${language}/${ns}.json`];
      if (loader) instance.addResourceBundle(language, ns, (await loader()).default, true, true);
    }),
  );
}

export const i18n = i18next.createInstance();

export const ready: Promise<unknown> = (async () => {
  const language = initialLanguage();
  await i18n
    .use(ICU)
    .use(initReactI18next)
    .init({
      resources: { en },
      lng: "en",
      fallbackLng: "en",
      supportedLngs: LANGUAGES.map((l) => l.code),
      ns: [...NAMESPACES],
      defaultNS: "common",
      interpolation: { escapeValue: false }, // React escapes
      returnNull: false,
    });
  await setLanguage(language, { remember: false });
})();

/** Show the app in `language` (loading its catalogues first) and, with `remember`, keep the choice in this browser. */
export async function setLanguage(language: string, { remember = true } = {}): Promise<Language> {
  const chosen = supported(language) ?? "en";
  await load(i18n, chosen);
  await i18n.changeLanguage(chosen);
  if (typeof document !== "undefined") document.documentElement.lang = chosen;
  if (remember) safeStorage()?.setItem(STORED, chosen);
  return chosen;
}

/** The language the app shows now, for `Intl` and the `Accept-Language` of API requests. */
export function currentLanguage(): Language {
  return supported(i18n.resolvedLanguage ?? i18n.language) ?? "en";
}
