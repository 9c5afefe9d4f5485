import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router";
import type { ApiError } from "../api/client";
import type { Project } from "../api/types";
import { Checkboxes, Crumbs, ErrorBanner, FieldMessages, Loading, PageHeader } from "../components/ui";
import { usePlatform } from "../features/platform/api/get-platform";
import { useCreateProject } from "../features/projects/api/create-project";
import { useProject } from "../features/projects/api/get-project";
import { useUpdateProject } from "../features/projects/api/update-project";
import { count, dateTime, exponentOf, minutes } from "../format";
import { currentLanguage } from "../i18n";
import { FIELD_INFO, addField, addableTypes, defaultSpec, effectiveRate, moveField, type OutputSpec, type SpecField } from "../spec";
import { MODALITIES } from "../features/onboarding/form";

const STEPS = ["form.step.basics", "form.step.contribution", "form.step.pay", "form.step.review"] as const;
const STEP_OF_FIELD: Record<string, number> = { title: 0, brief: 0, instructions: 0, modalities: 0, examples: 0, output_spec: 1 };
const LICENCES = ["CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0", "LicenseRef-Atelier-Commercial"];
type Example = { title: string; body: string };
type Criterion = { key: string; label: string; max: number };

/** A rubric criterion's key from its label: "Use of light" -> "use_of_light". */
export function criterionKey(label: string): string {
  const key = label.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 40);
  return /^[a-z_]/.test(key) ? key : `c_${key}`;
}

/** An ISO instant as the value of a datetime-local input (local time, minutes), and back. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
export function fromLocalInput(value: string): string | undefined {
  return value ? new Date(value).toISOString() : undefined;
}

/** An amount in the currency's precision, without its symbol, in the app's language ("24.00" in English, "24,00" in
 * Spanish). */
function amountText(value: number, currency: string): string {
  const digits = exponentOf(currency);
  return new Intl.NumberFormat(currentLanguage(), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

type LimitLabel = `spec.limit.${"minCharacters" | "minNotes" | "min" | "max" | "maxCharacters" | "maxFiles"}`;

/** The numbers each kind of field is limited by, as the form labels them. */
const LIMITS: Partial<Record<SpecField["type"], [string, LimitLabel][]>> = {
  intent: [["min_length", "spec.limit.minCharacters"]],
  process_notes: [["min_count", "spec.limit.minNotes"]],
  drafts: [["min", "spec.limit.min"], ["max", "spec.limit.max"]],
  rating: [["min", "spec.limit.min"], ["max", "spec.limit.max"]],
  anchors: [["min", "spec.limit.min"], ["max", "spec.limit.max"]],
  text: [["min_length", "spec.limit.minCharacters"], ["max_length", "spec.limit.maxCharacters"]],
  file: [["max_count", "spec.limit.maxFiles"]],
};

function FieldOptions({ field, onChange }: { field: SpecField; onChange: (f: SpecField) => void }) {
  const { t } = useTranslation("projects");
  return (
    <>
      {field.type === "anchors" && (
        <label className="field small-field">
          <span>{t("spec.on")}</span>
          <select value={String(field.modality)} onChange={(e) => {
            const { shapes: _drop, ...rest } = field;
            void _drop;
            onChange(e.target.value === "image" ? { ...rest, modality: "image", shapes: ["rectangle", "polygon"] } : { ...rest, modality: e.target.value });
          }}>
            {MODALITIES.map((m) => <option key={m} value={m}>{t(`modality.${m}`)}</option>)}
          </select>
        </label>
      )}
      {field.type === "choice" && (
        <>
          <label className="field grow">
            <span>{t("spec.options")}</span>
            <textarea rows={3} value={(field.options as string[]).join("\n")} onChange={(e) => onChange({ ...field, options: e.target.value.split("\n") })} />
          </label>
          <label className="check">
            <input type="checkbox" checked={Boolean(field.multiple)} onChange={(e) => onChange({ ...field, multiple: e.target.checked })} />
            {t("spec.several")}
          </label>
        </>
      )}
      {field.type === "file" && (
        <label className="field grow">
          <span>{t("spec.mediaTypes")}</span>
          <input value={(field.media_types as string[]).join(", ")} onChange={(e) => onChange({ ...field, media_types: e.target.value.split(",").map((s) => s.trim()).filter(Boolean) })} />
        </label>
      )}
      {(LIMITS[field.type] ?? []).map(([name, label]) => (
        <label className="field small-field" key={name}>
          <span>{t(label)}</span>
          <input type="number" value={Number(field[name] ?? 0)} onChange={(e) => onChange({ ...field, [name]: Number(e.target.value) })} />
        </label>
      ))}
    </>
  );
}

export function SpecBuilder({ spec, onChange, error }: { spec: OutputSpec; onChange: (s: OutputSpec) => void; error: ApiError | null }) {
  const { t } = useTranslation("projects");
  const [adding, setAdding] = useState<string>("");
  return (
    <div className="spec-builder">
      {spec.fields.map((field, index) => (
        <div className="spec-field" key={index}>
          <div className="spec-field-head">
            <span className="chip">{t(`fieldType.${field.type}.label`)}</span>
            <input aria-label={t("spec.label")} className="spec-label" value={field.label} onChange={(e) => onChange({ ...spec, fields: spec.fields.map((f, i) => (i === index ? { ...f, label: e.target.value } : f)) })} />
            <label className="check">
              <input type="checkbox" checked={field.required} onChange={(e) => onChange({ ...spec, fields: spec.fields.map((f, i) => (i === index ? { ...f, required: e.target.checked } : f)) })} />
              {t("spec.required")}
            </label>
            <button type="button" className="btn btn-ghost" aria-label={t("spec.moveUp")} onClick={() => onChange(moveField(spec, index, -1))}>↑</button>
            <button type="button" className="btn btn-ghost" aria-label={t("spec.moveDown")} onClick={() => onChange(moveField(spec, index, 1))}>↓</button>
            <button type="button" className="btn btn-danger-ghost" aria-label={t("spec.remove")} onClick={() => onChange({ ...spec, fields: spec.fields.filter((_, i) => i !== index) })}>✕</button>
          </div>
          <p className="muted small">{t(`fieldType.${field.type}.help`)} {t("spec.key")} <code>{field.key}</code></p>
          <div className="row">
            <FieldOptions field={field} onChange={(f) => onChange({ ...spec, fields: spec.fields.map((x, i) => (i === index ? f : x)) })} />
          </div>
          {error?.fieldMessages(`output_spec.fields.${index}`).map((m) => <small className="error" key={m}>{m}</small>)}
        </div>
      ))}
      <div className="row">
        <select value={adding} onChange={(e) => setAdding(e.target.value)} aria-label={t("spec.typeToAdd")}>
          <option value="">{t("spec.addPrompt")}</option>
          {addableTypes(spec).map((type) => <option key={type} value={type}>{t(`fieldType.${type}.label`)}</option>)}
        </select>
        <button type="button" className="btn" disabled={!adding} onClick={() => { onChange(addField(spec, adding as keyof typeof FIELD_INFO)); setAdding(""); }}>
          {t("spec.add")}
        </button>
      </div>
    </div>
  );
}

export function NewProjectPage() {
  return <ProjectForm />;
}

export function EditProjectPage() {
  const { id } = useParams();
  const project = useProject(Number(id));
  if (project.error) return <ErrorBanner error={project.error} />;
  // The form starts from the project as loaded on this visit, not a cached copy.
  if (!project.data || !project.isFetchedAfterMount) return <Loading />;
  return <ProjectForm initial={project.data} />;
}

function ProjectForm({ initial }: { initial?: Project }) {
  const { t } = useTranslation("projects");
  const navigate = useNavigate();
  const platform = usePlatform();
  const createProject = useCreateProject();
  const updateProject = useUpdateProject(initial?.id ?? 0);
  const termsFixed = initial !== undefined && initial.status !== "draft";
  const q = (initial?.qualifications ?? {}) as { skills?: string[]; min_reputation?: number };
  const [step, setStep] = useState(0);
  const [title, setTitle] = useState(initial?.title ?? "");
  const [brief, setBrief] = useState(initial?.brief ?? "");
  const [instructions, setInstructions] = useState(initial?.instructions ?? "");
  const [examples, setExamples] = useState<Example[]>((initial?.examples as Example[] | undefined) ?? []);
  const [modalities, setModalities] = useState<Project["modalities"]>(initial?.modalities ?? ["image"]);
  const [spec, setSpec] = useState<OutputSpec>((initial?.output_spec as OutputSpec | undefined) ?? defaultSpec());
  const [amount, setAmount] = useState(initial?.pay?.amount ?? "6.00");
  const [currency, setCurrency] = useState(initial?.pay?.currency ?? "USD");
  const [estimate, setEstimate] = useState(initial?.estimated_minutes ?? 15);
  const [replicas, setReplicas] = useState(initial?.replicas_per_item ?? 1);
  const [skills, setSkills] = useState((q.skills ?? []).join(", "));
  const [minReputation, setMinReputation] = useState(q.min_reputation ?? 0);
  const [deadline, setDeadline] = useState(toLocalInput(initial?.deadline));
  const [agreement, setAgreement] = useState(initial?.agreement_version ?? "");
  const [licence, setLicence] = useState(initial?.licence ?? "CC-BY-4.0");
  const [generative, setGenerative] = useState(initial?.generative_tools_allowed ?? false);
  const [reviewHours, setReviewHours] = useState(initial?.review_period_hours ?? 72);
  const [rubric, setRubric] = useState<Criterion[]>((initial?.rubric as Criterion[] | undefined) ?? []);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const rate = effectiveRate(amount, estimate, currency);
  const minimum = platform.data?.minimum_hourly_rates.find((r) => r.currency === currency);
  const belowMinimum = rate !== null && minimum !== undefined && rate < Number(minimum.amount);
  const rateText = rate === null ? "—" : t("form.perHour", { amount: amountText(rate, currency), currency });

  async function save() {
    setBusy(true);
    setError(null);
    const basics = {
      title,
      brief,
      instructions,
      examples,
      rubric: rubric.map((r) => ({ ...r, key: r.key || criterionKey(r.label) })),
      ...(deadline ? { deadline: fromLocalInput(deadline) } : {}),
    };
    const terms = {
      modalities,
      output_spec: spec,
      pay: { amount, currency },
      estimated_minutes: estimate,
      replicas_per_item: replicas,
      qualifications: { skills: skills.split(",").map((s) => s.trim()).filter(Boolean), modalities, min_reputation: minReputation },
      ...(agreement.trim() ? { agreement_version: agreement.trim() } : {}),
      licence,
      generative_tools_allowed: generative,
      review_period_hours: reviewHours,
    };
    try {
      // Either way the saved project goes into the cache for its page, and the lists are fetched again.
      const project = initial
        ? await updateProject.mutateAsync(termsFixed ? basics : { ...basics, ...terms })
        : await createProject.mutateAsync({ ...basics, ...terms });
      void navigate(`/projects/${project.id}`);
    } catch (err) {
      const apiError = err as ApiError;
      setError(apiError);
      const first = Object.keys(apiError.fields)[0]?.split(".")[0];
      if (first !== undefined) setStep(STEP_OF_FIELD[first] ?? 2);
    } finally {
      setBusy(false);
    }
  }

  // The spec's own messages are many (one per field and option): the first few, under the builder.
  const specMessages = error?.fieldMessages("output_spec").slice(0, 3).map((m) => <small className="error" key={m}>{m}</small>);
  return (
    <>
      <Crumbs
        links={[{ to: "/projects", label: t("list.title") }, ...(initial ? [{ to: `/projects/${initial.id}`, label: initial.title }] : [])]}
        current={initial ? t("form.crumbEdit") : t("list.new")}
      />
      <PageHeader
        title={initial ? t("form.editTitle", { title: initial.title }) : t("list.new")}
        subtitle={initial ? t("form.status", { status: t(`status.${initial.status}`) }) : t("form.subtitle")}
      />
      {termsFixed && (
        <div className="banner banner-warn" role="note">
          {t("form.termsFixed", { status: t(`status.${initial.status}`) })}
        </div>
      )}
      <ol className="steps">
        {STEPS.map((s, i) => (
          <li key={s} className={i === step ? "step-active" : i < step ? "step-done" : ""}>
            <button type="button" className="linkish" onClick={() => setStep(i)}>{i + 1}. {t(s)}</button>
          </li>
        ))}
      </ol>
      <div className="card form">
        {step === 0 && (
          <>
            <label className="field">
              <span>{t("form.title")}</span>
              <input value={title} onChange={(e) => setTitle(e.target.value)} placeholder={t("form.titlePlaceholder")} />
              <FieldMessages error={error} name="title" />
            </label>
            <fieldset className="field">
              <legend>{t("form.media")}</legend>
              <Checkboxes options={MODALITIES} value={modalities} onChange={setModalities} label={(m) => t(`modality.${m}`)} />
              <FieldMessages error={error} name="modalities" />
            </fieldset>
            <label className="field">
              <span>{t("form.brief")}</span>
              <textarea rows={6} value={brief} onChange={(e) => setBrief(e.target.value)} placeholder={t("form.briefPlaceholder")} />
            </label>
            <label className="field">
              <span>{t("form.instructions")}</span>
              <textarea rows={4} value={instructions} onChange={(e) => setInstructions(e.target.value)} placeholder={t("form.instructionsPlaceholder")} />
            </label>
            <fieldset className="field">
              <legend>{t("form.examples")}</legend>
              {examples.length === 0 && <p className="muted small">{t("form.examplesHelp")}</p>}
              {examples.map((ex, i) => (
                <div className="example-edit" key={i}>
                  <input aria-label={t("form.exampleTitle", { n: i + 1 })} value={ex.title} placeholder={t("form.exampleTitlePlaceholder")} onChange={(e) => setExamples(examples.map((x, j) => (j === i ? { ...x, title: e.target.value } : x)))} />
                  <textarea aria-label={t("form.exampleBody", { n: i + 1 })} rows={3} value={ex.body} placeholder={t("form.exampleBodyPlaceholder")} onChange={(e) => setExamples(examples.map((x, j) => (j === i ? { ...x, body: e.target.value } : x)))} />
                  <button type="button" className="btn btn-danger-ghost" aria-label={t("form.exampleRemove", { n: i + 1 })} onClick={() => setExamples(examples.filter((_, j) => j !== i))}>✕</button>
                </div>
              ))}
              <div>
                <button type="button" className="btn" disabled={examples.length >= 20} onClick={() => setExamples([...examples, { title: "", body: "" }])}>{t("form.exampleAdd")}</button>
              </div>
              <FieldMessages error={error} name="examples" />
            </fieldset>
          </>
        )}
        {step === 1 && (
          <>
            <p className="muted">{t("form.specHelp")}</p>
            <fieldset className="plain" disabled={termsFixed}>
              <SpecBuilder spec={spec} onChange={setSpec} error={error} />
            </fieldset>
            <fieldset className="field">
              <legend>{t("form.rubric")}</legend>
              {rubric.map((r, i) => (
                <div className="row" key={i}>
                  <input aria-label={t("form.criterion", { n: i + 1 })} className="grow" value={r.label} placeholder={t("form.criterionPlaceholder")} onChange={(e) => setRubric(rubric.map((x, j) => (j === i ? { ...x, label: e.target.value, key: criterionKey(e.target.value) } : x)))} />
                  <label className="field small-field">
                    <span>{t("form.criterionMax")}</span>
                    <input type="number" min={1} max={10} value={r.max} onChange={(e) => setRubric(rubric.map((x, j) => (j === i ? { ...x, max: Number(e.target.value) } : x)))} />
                  </label>
                  <button type="button" className="btn btn-danger-ghost" aria-label={t("form.criterionRemove", { n: i + 1 })} onClick={() => setRubric(rubric.filter((_, j) => j !== i))}>✕</button>
                </div>
              ))}
              <div>
                <button type="button" className="btn" disabled={rubric.length >= 10} onClick={() => setRubric([...rubric, { key: "", label: "", max: 5 }])}>{t("form.criterionAdd")}</button>
              </div>
              <FieldMessages error={error} name="rubric" />
            </fieldset>
            {specMessages}
          </>
        )}
        {step === 2 && (
          <>
            <label className="field narrow-field">
              <span>{t("form.deadline")}</span>
              <input type="datetime-local" value={deadline} onChange={(e) => setDeadline(e.target.value)} />
              <FieldMessages error={error} name="deadline" />
            </label>
            <fieldset className="plain" disabled={termsFixed}>
            <div className="row">
              <label className="field">
                <span>{t("detail.fact.pay")}</span>
                <input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
              </label>
              <label className="field">
                <span>{t("form.currency")}</span>
                <select value={currency} onChange={(e) => setCurrency(e.target.value)}>
                  {(platform.data?.minimum_hourly_rates ?? [{ amount: "15.00", currency: "USD" }]).map((r) => (
                    <option key={r.currency} value={r.currency}>{r.currency}</option>
                  ))}
                </select>
              </label>
              <label className="field">
                <span>{t("form.estimate")}</span>
                <input type="number" min={1} value={estimate} onChange={(e) => setEstimate(Number(e.target.value))} />
                <FieldMessages error={error} name="estimated_minutes" />
              </label>
            </div>
            <FieldMessages error={error} name="pay" />
            <div className={`rate-box ${belowMinimum ? "rate-box-below" : ""}`} data-testid="rate-box">
              <Trans t={t} i18nKey="form.rate" values={{ rate: rateText }} components={{ b: <strong /> }} />
              {minimum && <> · {t("form.rateMinimum", { rate: t("form.perHour", { amount: amountText(Number(minimum.amount), currency), currency }) })}</>}
              {belowMinimum && <div>{t("form.rateBelow")}</div>}
            </div>
            <div className="row">
              <label className="field">
                <span>{t("detail.fact.replicas")}</span>
                <input type="number" min={1} max={20} value={replicas} onChange={(e) => setReplicas(Number(e.target.value))} />
                <FieldMessages error={error} name="replicas_per_item" />
              </label>
              <label className="field grow">
                <span>{t("form.skills")}</span>
                <input value={skills} onChange={(e) => setSkills(e.target.value)} />
              </label>
              <label className="field">
                <span>{t("form.minReputation")}</span>
                <input type="number" step="0.05" min={0} max={1} value={minReputation} onChange={(e) => setMinReputation(Number(e.target.value))} />
              </label>
            </div>
            <FieldMessages error={error} name="qualifications" />
              <label className="field narrow-field">
                <span>{t("form.reviewHours")}</span>
                <input type="number" min={1} max={1440} value={reviewHours} onChange={(e) => setReviewHours(Number(e.target.value))} />
                <FieldMessages error={error} name="review_period_hours" />
              </label>
            <div className="row">
              <label className="field">
                <span>{t("form.agreement")}</span>
                <input value={agreement} placeholder={t("form.agreementPlaceholder")} onChange={(e) => setAgreement(e.target.value)} />
              </label>
              <label className="field">
                <span>{t("form.licence")}</span>
                <select value={licence} onChange={(e) => setLicence(e.target.value)}>
                  {LICENCES.map((l) => <option key={l}>{l}</option>)}
                </select>
              </label>
              <label className="check">
                <input type="checkbox" checked={generative} onChange={(e) => setGenerative(e.target.checked)} />
                {t("form.generative")}
              </label>
            </div>
            </fieldset>
          </>
        )}
        {step === 3 && (
          <dl className="facts review">
            <div><dt>{t("form.title")}</dt><dd>{title || "—"}</dd></div>
            <div><dt>{t("form.review.media")}</dt><dd>{modalities.map((m) => t(`modality.${m}`)).join(", ") || "—"}</dd></div>
            <div><dt>{t("form.review.holds")}</dt><dd>{spec.fields.map((f) => f.label).join(" · ")}</dd></div>
            <div><dt>{t("form.review.pay")}</dt><dd>{t("form.review.payValue", { amount: Number.isFinite(Number(amount)) && amount.trim() !== "" ? amountText(Number(amount), currency) : amount, currency, minutes: minutes(estimate) })}</dd></div>
            <div><dt>{t("detail.fact.rate")}</dt><dd className={belowMinimum ? "below" : "rate"}>{rateText}</dd></div>
            <div><dt>{t("detail.fact.replicas")}</dt><dd>{count(replicas)}</dd></div>
            <div><dt>{t("detail.fact.licence")}</dt><dd>{licence}</dd></div>
            <div><dt>{t("detail.fact.deadline")}</dt><dd>{deadline ? dateTime(fromLocalInput(deadline)) : t("detail.fact.noDeadline")}</dd></div>
            <div><dt>{t("form.review.examples")}</dt><dd>{count(examples.length)}</dd></div>
          </dl>
        )}
        {error && Object.keys(error.fields).length === 0 && <ErrorBanner error={error} />}
        {error && Object.keys(error.fields).length > 0 && <div className="banner banner-error" role="alert">{t("form.seeFields", { message: error.message })}</div>}
        <div className="form-actions">
          {step > 0 && <button type="button" className="btn" onClick={() => setStep(step - 1)}>{t("form.back")}</button>}
          {step < STEPS.length - 1 && <button type="button" className="btn btn-primary" onClick={() => setStep(step + 1)}>{t("form.next")}</button>}
          {step === STEPS.length - 1 && (
            <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void save()}>
              {busy ? t("form.saving") : initial ? t("form.save") : t("form.create")}
            </button>
          )}
        </div>
      </div>
    </>
  );
}
