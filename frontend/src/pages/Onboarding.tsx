import { useMemo, useState, type FormEvent, type KeyboardEvent } from "react";
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
  type TrainingUse,
} from "../features/onboarding/form";

const MODALITY_LABELS: Record<(typeof MODALITIES)[number], { icon: string; label: string }> = {
  image: { icon: "🖼", label: "Images" },
  audio: { icon: "🎧", label: "Audio" },
  video: { icon: "🎬", label: "Video" },
  text: { icon: "✍", label: "Writing" },
  motion: { icon: "🕺", label: "Motion capture" },
  sensor: { icon: "📈", label: "Sensor data" },
  model: { icon: "🧊", label: "3D models" },
};

const USES: Record<TrainingUse, { title: string; plain: string }> = {
  ai_training: {
    title: "Training AI models",
    plain: "Teaching AI systems to recognise, sort or describe things, for example a model that tags photos or transcribes speech.",
  },
  ai_generative_training: {
    title: "Training generative AI",
    plain: "Teaching AI that makes new images, sounds, video or text. Such a model could learn to produce work that looks or sounds like yours.",
  },
  data_mining: {
    title: "Text and data mining",
    plain: "Analysing your work automatically and in bulk, for statistics or research, without training a model on it.",
  },
  ai_inference: {
    title: "Input to AI while it works",
    plain: "Handing your work to an AI system as an example or reference when it answers someone, without training it.",
  },
};

const CHOICES: { value: TrainingChoice; label: string }[] = [
  { value: "allowed", label: "Allowed" },
  { value: "constrained", label: "Only under the project's licence conditions" },
  { value: "notAllowed", label: "Not allowed" },
];

export function OnboardingPage() {
  const { data, error, isPending: loading } = useProfile();
  const zone = useMemo(() => browserTimeZone(), []);
  // The form starts from the profile once it has loaded; from the first change on it is the person's.
  const [edited, setForm] = useState<OnboardingForm | null>(null);
  const form = edited ?? (data ? initialForm(data, zone) : null);

  return (
    <>
      <PageHeader
        title="Welcome to Atelier"
        subtitle="Four short steps before the marketplace opens: they tell projects what you can do and how your work may be used."
      />
      <ErrorBanner error={error} />
      {loading && <Loading />}
      {form && <OnboardingSteps form={form} setForm={setForm} zone={zone} />}
    </>
  );
}

function OnboardingSteps({ form, setForm, zone }: { form: OnboardingForm; setForm: (f: OnboardingForm) => void; zone: string }) {
  const navigate = useNavigate();
  const { refresh } = useAuth();
  const [step, setStep] = useState(0);
  const onboarding = useSubmitOnboarding();
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const missing = missingFields(form);
  const serverErrors = failure ? errorsByField(failure.fields) : {};
  const last = step === STEPS.length - 1;

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
      <form className="card form onboarding-form" aria-label="Your profile" onSubmit={(event) => void submit(event)} noValidate>
        <ol className="onboarding-steps" aria-label="Steps">
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
                  <span>{s.title}</span>
                </button>
              </li>
            );
          })}
        </ol>
        {failure && Object.keys(failure.fields).length === 0 && <ErrorBanner error={failure} />}
        {failure && Object.keys(failure.fields).length > 0 && (
          <div className="banner banner-error" role="alert">
            Please check the highlighted answers: {failure.message}
          </div>
        )}

        <h2>
          Step {step + 1} of {STEPS.length}: {STEPS[step]?.title}
        </h2>
        {step === 0 && (
          <>
            <label className="field">
              <span>Display name</span>
              <input
                value={form.display_name}
                maxLength={120}
                autoComplete="name"
                onChange={(e) => update({ display_name: e.target.value })}
                aria-describedby="name-help"
              />
              <small className="muted" id="name-help">
                Reviewers and clients see this name, never your email.
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
              <legend>Media you work in</legend>
              <Checkboxes
                className="checks modality-checks"
                itemClassName="check modality-check"
                options={MODALITIES}
                value={form.modalities}
                onChange={(modalities) => update({ modalities })}
                label={(m) => (
                  <>
                    <span aria-hidden="true" className="modality-icon">
                      {MODALITY_LABELS[m].icon}
                    </span>
                    {MODALITY_LABELS[m].label}
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
              Choose for each use. Your choices are signed into the provenance record of every piece of work you deliver, so whoever trains on a dataset can check them. You can change
              them later on your profile, for work approved from then on.
            </p>
            {TRAINING_USES.map((use) => (
              <fieldset className="field terms-use" key={use} aria-describedby={`use-${use}`}>
                <legend>{USES[use].title}</legend>
                <p className="muted small" id={`use-${use}`}>
                  {USES[use].plain}
                </p>
                <div className="checks">
                  {CHOICES.map((c) => (
                    <label key={c.value} className="check">
                      <input
                        type="radio"
                        name={`terms-${use}`}
                        value={c.value}
                        checked={form.training_terms[use] === c.value}
                        onChange={() => update({ training_terms: { ...form.training_terms, [use]: c.value } })}
                      />
                      {c.label}
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
              Back
            </button>
          )}
          {!last && (
            <button type="submit" className="btn btn-primary">
              Next
            </button>
          )}
          {last && (
            <button type="submit" className="btn btn-primary" disabled={sending}>
              {sending ? "Saving…" : "Open the marketplace"}
            </button>
          )}
        </div>
      </form>

      <aside className="card onboarding-missing" aria-labelledby="missing-title">
        <h2 id="missing-title">What's still missing</h2>
        {missing.length === 0 ? (
          <p className="ok" role="status">
            Nothing: you are ready to open the marketplace.
          </p>
        ) : (
          <ul data-testid="missing-list">
            {missing.map((field) => (
              <li key={field}>
                <button type="button" className="link-button" onClick={() => setStep(stepOf(field))}>
                  {FIELD_LABELS[field]}
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

function Chip({ label, onRemove, removeLabel }: { label: string; onRemove: () => void; removeLabel: string }) {
  return (
    <span className="pick-chip">
      {label}
      <button type="button" aria-label={removeLabel} onClick={onRemove}>
        ×
      </button>
    </span>
  );
}

function LanguagePicker({ languages, onChange, errors }: { languages: string[]; onChange: (l: string[]) => void; errors?: string[] }) {
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const suggestions = languageSuggestions(query, languages);

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
      <label htmlFor="language-input">Languages you work in</label>
      {languages.length > 0 && (
        <div className="pick-chips" aria-label="Chosen languages">
          {languages.map((tag) => (
            <Chip key={tag} label={`${languageName(tag)} (${tag})`} removeLabel={`Remove ${languageName(tag)}`} onRemove={() => onChange(languages.filter((t) => t !== tag))} />
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
          placeholder="Start typing: Portuguese, Swahili, ja…"
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={onKey}
        />
        {suggestions.length > 0 && (
          <ul className="combo-options" id="language-options" role="listbox" aria-label="Languages">
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
      <small className="muted">Stored as standard language tags (BCP 47), e.g. pt-BR for Brazilian Portuguese.</small>
      <FieldErrors messages={errors} />
    </div>
  );
}

function SkillChips({ skills, onChange, errors }: { skills: string[]; onChange: (s: string[]) => void; errors?: string[] }) {
  const [typed, setTyped] = useState("");
  function commit() {
    if (typed.trim()) onChange(addSkills(skills, typed));
    setTyped("");
  }
  return (
    <div className="field">
      <label htmlFor="skill-input">Skills</label>
      {skills.length > 0 && (
        <div className="pick-chips" aria-label="Your skills">
          {skills.map((s) => (
            <Chip key={s} label={s} removeLabel={`Remove ${s}`} onRemove={() => onChange(skills.filter((x) => x !== s))} />
          ))}
        </div>
      )}
      <div className="combo-row">
        <input
          id="skill-input"
          value={typed}
          placeholder="illustration, foley, copywriting…"
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
          Add skill
        </button>
      </div>
      <small className="muted">Press Enter or a comma after each skill. Projects ask for skills by name.</small>
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
  const countries = useMemo(() => countryOptions(), []);
  const zones = useMemo(() => timeZoneOptions(zone), [zone]);
  return (
    <>
      <label className="field">
        <span>Country</span>
        <select value={form.country} onChange={(e) => update({ country: e.target.value })} aria-describedby="country-help">
          <option value="">Choose your country…</option>
          {countries.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </select>
        <small className="muted" id="country-help">
          Where you live and work: it decides how you can be paid and which projects' rules apply to you.
        </small>
        <FieldErrors messages={errors.country} />
      </label>
      <label className="field">
        <span>Time zone</span>
        <select value={form.time_zone} onChange={(e) => update({ time_zone: e.target.value })} aria-describedby="zone-help">
          <option value="">Choose your time zone…</option>
          {zones.map((z) => (
            <option key={z} value={z}>
              {z.replace(/_/g, " ")}
            </option>
          ))}
        </select>
        <small className="muted" id="zone-help">
          Deadlines and leases are shown in this zone. We suggested your browser's ({zone}).
        </small>
        <FieldErrors messages={errors.time_zone} />
      </label>
    </>
  );
}
