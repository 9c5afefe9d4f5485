import { useState } from "react";
import { useTranslation } from "react-i18next";
import { LANGUAGES, setLanguage, supported, type Language } from "../i18n";

/** The language of the app: each language named in itself. A choice shows at once and is kept in this browser;
 * `onChosen` saves it on the account too (signed in), so mail and other devices follow. */
export function LanguageSwitch({ onChosen, className }: { onChosen?: (language: Language) => Promise<unknown>; className?: string }) {
  const { t, i18n } = useTranslation();
  const [busy, setBusy] = useState(false);
  const current = supported(i18n.resolvedLanguage) ?? "en";
  return (
    <label className={className ? `language-switch ${className}` : "language-switch"}>
      <span>{t("language.label")}</span>
      <select
        value={current}
        disabled={busy}
        onChange={(e) => {
          setBusy(true);
          void setLanguage(e.target.value)
            .then((chosen) => onChosen?.(chosen))
            .finally(() => setBusy(false));
        }}
      >
        {LANGUAGES.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.name}
          </option>
        ))}
      </select>
    </label>
  );
}
