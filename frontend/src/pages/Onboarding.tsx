import { useMemo, useState, type FormEvent, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { ApiError } from "../api/client";
import { useAuth } from "../auth";
import { Checkboxes, ErrorBanner, Loading, PageHeader } from "../components/ui";
import { useSubmitOnboarding } from "../features/onboarding/api/submit-onboarding";
import { useProfile } from "../features/profile/api/get-profile";
import {
  FIELD_LABELS,
  MODALITIES,
  STEPS,
  TRAINING_USES,
  addSkills,
  browserTimeZone,
  canonicalTag,
  countryOptions,
  errorsByField,
  initialForm,
  languageName,
  languageSuggestions,
  missingFields,
  stepOf,
  timeZoneOptions,
  type OnboardingForm,
  type TrainingChoice,
} from "../features/onboarding/form";
import { count } from "../format";
import { currentLanguage } from "../i18n";

/** Each medium's icon; its name is the catalogue key `modality.<medium>` (namespace `account`). */
const MODALITY_ICONS: Record<(typeof MODALITIES)[number], string> = {
  image: "🖼",
  audio: "🎧",
  video: "🎬",
  text: "✍",
  motion: "🕺",
  sensor: "📈",
  model: "🧊",
};

/** The training choices; each one's words are the catalogue key `onboarding.choice.<value>` (namespace `account`). */
const CHOICES: readonly TrainingChoice[] = ["allowed", "constrained", "notAllowed"];

export function OnboardingPage() {
  const { t } = useTranslation("account");
  const { data, error, isPending: loading } = useProfile();
  const zone = useMemo(() => browserTimeZone(), []);
  // The form starts from the profile once it has loaded; from the first change on it is the person's.
  const [edited, setForm] = useState<OnboardingForm | null>(null);
  const form = edited ?? (data ? initialForm(data, zone) : null);

  return (
    <>
      <PageHeader
        title={t("onboarding.title")}
        subtitle={t("onboarding.subtitle")}
      />
      <ErrorBanner error={error} />
      {loading && <Loading />}
      {form && <OnboardingSteps form={form} setForm={setForm} zone={zone} />}
    </>
  );
}

function OnboardingSteps({ form, setForm, zone }: { form: OnboardingForm; setForm: (f: OnboardingForm) => void; zone: string }) {
  const { t } = useTranslation("account");
  const navigate = useNavigate();
  const { refresh } = useAuth();
  const [step, setStep] = useState(0);
  const onboarding = useSubmitOnboarding();
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const missing = missingFields(form);
  const serverErrors = failure ? errorsByField(failure.fields) : {};
  const last = step === STEPS.length - 1;
  const current = STEPS[step];

  function update(change: Partial<OnboardingForm>) {
    setForm({ ...form, ...change });
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!last) {
      setStep(step + 1);
      return;
    }
    setSending(true);
    setFailure(null);
    try {
      await onboarding.mutateAsync(form);
      await refresh(); // the session's onboarding_missing is empty now: the freelancer routes open
      void navigate("/tasks", { replace: true });
    } catch (err) {
      const failed = err instanceof ApiError ? err : new ApiError(0, "error", String(err));
      setFailure(failed);
      const first = Object.keys(failed.fields)[0];
      if (first) setStep(stepOf(first));
    } finally {
      setSending(false);
    }
  }

  return (
    <div className="onboarding">
      <form className="card form onboarding-form" aria-label={t("onboarding.form")} onSubmit={(event) => void submit(event)} noValidate>
        <ol className="onboarding-steps" aria-label={t("onboarding.steps")}>
          {STEPS.map((s, i) => {
            const open = s.fields.filter((f) => missing.includes(f)).length;
            return (
              <li key={s.id}>
                <button
                  type="button"
                  className={`onboarding-step${i === step ? " current" : ""}${open === 0 ? " done" : ""}`}
                  aria-current={i === step ? "step" : undefined}
                  onClick={() => setStep(i)}
                >
                  <span className="onboarding-step-number" aria-hidden="true">
                    {open === 0 ? "✓" : i + 1}
                  </span>
                  <span>{t(s.title)}</span>
                </button>
              </li>
            );
          })}
        </ol>
        {failure && Object.keys(failure.fields).length === 0 && <ErrorBanner error={failure} />}
        {failure && Object.keys(failure.fields).length > 0 && (
          <div className="banner banner-error" role="alert">
            {t("onboarding.checkAnswers", { message: failure.message })}
          </div>
        )}

        <h2>
          {t("onboarding.stepOf", { step: count(step + 1), total: count(STEPS.length), title: current ? t(current.title) : "" })}
        </h2>
        {step === 0 && (
          <>
            <label className="field">
              <span>{t("onboarding.displayName")}</span>
              <input
                value={form.display_name}
                maxLength={120}
                autoComplete="name"
                onChange={(e) => update({ display_name: e.target.value })}
                aria-describedby="name-help"
              />
              <small className="muted" id="name-help">
                {t("onboarding.displayNameHelp")}
              </small>
              <FieldErrors messages={serverErrors.display_name} />
            </label>
            <LanguagePicker languages={form.languages} onChange={(languages) => update({ languages })} errors={serverErrors.languages} />
          </>
        )}
        {step === 1 && (
          <>
            <SkillChips skills={form.skills} onChange={(skills) => update({ skills })} errors={serverErrors.skills} />
            <fieldset className="field">
              <legend>{t("onboarding.media")}</legend>
              <Checkboxes
                className="checks modality-checks"
                itemClassName="check modality-check"
                options={MODALITIES}
                value={form.modalities}
                onChange={(modalities) => update({ modalities })}
                label={(m) => (
                  <>
                    <span aria-hidden="true" className="modality-icon">
                      {MODALITY_ICONS[m]}
                    </span>
                    {t(`modality.${m}`)}
                  </>
                )}
              />
              <FieldErrors messages={serverErrors.modalities} />
            </fieldset>
          </>
        )}
        {step === 2 && <PlaceFields form={form} update={update} zone={zone} errors={serverErrors} />}
        {step === 3 && (
          <>
            <p className="muted">
              {t("onboarding.termsIntro")}
            </p>
            {TRAINING_USES.map((use) => (
              <fieldset className="field terms-use" key={use} aria-describedby={`use-${use}`}>
                <legend>{t(`onboarding.use.${use}.title`)}</legend>
                <p className="muted small" id={`use-${use}`}>
                  {t(`onboarding.use.${use}.plain`)}
                </p>
                <div className="checks">
                  {CHOICES.map((c) => (
                    <label key={c} className="check">
                      <input
                        type="radio"
                        name={`terms-${use}`}
                        value={c}
                        checked={form.training_terms[use] === c}
                        onChange={() => update({ training_terms: { ...form.training_terms, [use]: c } })}
                      />
                      {t(`onboarding.choice.${c}`)}
                    </label>
                  ))}
                </div>
                <FieldErrors messages={failure?.fieldMessages(`training_terms.${use}`)} />
              </fieldset>
            ))}
          </>
        )}

        <div className="form-actions">
          {step > 0 && (
            <button type="button" className="btn btn-ghost" onClick={() => setStep(step - 1)}>
              {t("onboarding.back")}
            </button>
          )}
          {!last && (
            <button type="submit" className="btn btn-primary">
              {t("onboarding.next")}
            </button>
          )}
          {last && (
            <button type="submit" className="btn btn-primary" disabled={sending}>
              {sending ? t("saving") : t("onboarding.submit")}
            </button>
          )}
        </div>
      </form>

      <aside className="card onboarding-missing" aria-labelledby="missing-title">
        <h2 id="missing-title">{t("onboarding.missing.title")}</h2>
        {missing.length === 0 ? (
          <p className="ok" role="status">
            {t("onboarding.missing.none")}
          </p>
        ) : (
          <ul data-testid="missing-list">
            {missing.map((field) => (
              <li key={field}>
                <button type="button" className="link-button" onClick={() => setStep(stepOf(field))}>
                  {t(FIELD_LABELS[field])}
                </button>
              </li>
            ))}
          </ul>
        )}
      </aside>
    </div>
  );
}

function FieldErrors({ messages }: { messages?: string[] }) {
  if (!messages || messages.length === 0) return null;
  return (
    <>
      {messages.map((m) => (
        <small className="error" key={m}>
          {m}
        </small>
      ))}
    </>
  );
}

/** The chip's remove button shows a cross; its name (aria-label) says what it removes. */
const REMOVE_MARK = "×";

function Chip({ label, onRemove, removeLabel }: { label: string; onRemove: () => void; removeLabel: string }) {
  return (
    <span className="pick-chip">
      {label}
      <button type="button" aria-label={removeLabel} onClick={onRemove}>
        {REMOVE_MARK}
      </button>
    </span>
  );
}

function LanguagePicker({ languages, onChange, errors }: { languages: string[]; onChange: (l: string[]) => void; errors?: string[] }) {
  const { t } = useTranslation("account");
  const language = currentLanguage();
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const suggestions = languageSuggestions(query, languages, language);

  function add(tag: string) {
    if (!languages.includes(tag)) onChange([...languages, tag]);
    setQuery("");
    setActive(0);
  }

  function onKey(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      setActive(Math.min(active + 1, Math.max(suggestions.length - 1, 0)));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive(Math.max(active - 1, 0));
    } else if (event.key === "Enter") {
      event.preventDefault(); // Enter picks a language; it does not move to the next step
      const pick = suggestions[active]?.tag ?? canonicalTag(query);
      if (pick) add(pick);
    } else if (event.key === "Backspace" && query === "" && languages.length > 0) {
      onChange(languages.slice(0, -1));
    }
  }

  return (
    <div className="field">
      <label htmlFor="language-input">{t("onboarding.languages.label")}</label>
      {languages.length > 0 && (
        <div className="pick-chips" aria-label={t("onboarding.languages.chosen")}>
          {languages.map((tag) => (
            <Chip key={tag} label={`${languageName(tag, language)} (${tag})`} removeLabel={t("onboarding.remove", { name: languageName(tag, language) })} onRemove={() => onChange(languages.filter((t) => t !== tag))} />
          ))}
        </div>
      )}
      <div className="combo">
        <input
          id="language-input"
          role="combobox"
          aria-expanded={suggestions.length > 0}
          aria-controls="language-options"
          aria-autocomplete="list"
          aria-activedescendant={suggestions.length > 0 ? `language-${suggestions[active]?.tag}` : undefined}
          value={query}
          autoComplete="off"
          placeholder={t("onboarding.languages.placeholder")}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={onKey}
        />
        {suggestions.length > 0 && (
          <ul className="combo-options" id="language-options" role="listbox" aria-label={t("onboarding.languages.options")}>
            {suggestions.map((s, i) => (
              <li
                key={s.tag}
                id={`language-${s.tag}`}
                role="option"
                aria-selected={i === active}
                className={i === active ? "active" : undefined}
                onMouseDown={(e) => {
                  e.preventDefault();
                  add(s.tag);
                }}
              >
                {s.name} <span className="muted small">{s.tag}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
      <small className="muted">{t("onboarding.languages.hint")}</small>
      <FieldErrors messages={errors} />
    </div>
  );
}

function SkillChips({ skills, onChange, errors }: { skills: string[]; onChange: (s: string[]) => void; errors?: string[] }) {
  const { t } = useTranslation("account");
  const [typed, setTyped] = useState("");
  function commit() {
    if (typed.trim()) onChange(addSkills(skills, typed));
    setTyped("");
  }
  return (
    <div className="field">
      <label htmlFor="skill-input">{t("onboarding.skills.label")}</label>
      {skills.length > 0 && (
        <div className="pick-chips" aria-label={t("onboarding.skills.chosen")}>
          {skills.map((s) => (
            <Chip key={s} label={s} removeLabel={t("onboarding.remove", { name: s })} onRemove={() => onChange(skills.filter((x) => x !== s))} />
          ))}
        </div>
      )}
      <div className="combo-row">
        <input
          id="skill-input"
          value={typed}
          placeholder={t("onboarding.skills.placeholder")}
          onChange={(e) => {
            if (e.target.value.includes(",")) {
              onChange(addSkills(skills, e.target.value));
              setTyped("");
            } else setTyped(e.target.value);
          }}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              commit();
            }
          }}
          onBlur={commit}
        />
        <button type="button" className="btn btn-ghost" onClick={commit}>
          {t("onboarding.skills.add")}
        </button>
      </div>
      <small className="muted">{t("onboarding.skills.hint")}</small>
      <FieldErrors messages={errors} />
    </div>
  );
}

function PlaceFields({
  form,
  update,
  zone,
  errors,
}: {
  form: OnboardingForm;
  update: (c: Partial<OnboardingForm>) => void;
  zone: string;
  errors: Partial<Record<string, string[]>>;
}) {
  const { t } = useTranslation("account");
  const language = currentLanguage();
  const countries = useMemo(() => countryOptions(language), [language]);
  const zones = useMemo(() => timeZoneOptions(zone), [zone]);
  return (
    <>
      <label className="field">
        <span>{t("onboarding.country.label")}</span>
        <select value={form.country} onChange={(e) => update({ country: e.target.value })} aria-describedby="country-help">
          <option value="">{t("onboarding.country.choose")}</option>
          {countries.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </select>
        <small className="muted" id="country-help">
          {t("onboarding.country.help")}
        </small>
        <FieldErrors messages={errors.country} />
      </label>
      <label className="field">
        <span>{t("onboarding.zone.label")}</span>
        <select value={form.time_zone} onChange={(e) => update({ time_zone: e.target.value })} aria-describedby="zone-help">
          <option value="">{t("onboarding.zone.choose")}</option>
          {zones.map((z) => (
            <option key={z} value={z}>
              {z.replace(/_/g, " ")}
            </option>
          ))}
        </select>
        <small className="muted" id="zone-help">
          {t("onboarding.zone.help", { zone })}
        </small>
        <FieldErrors messages={errors.time_zone} />
      </label>
    </>
  );
}
