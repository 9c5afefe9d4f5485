import { useState } from "react";
import { useNavigate, useParams } from "react-router";
import type { ApiError } from "../api/client";
import type { Project } from "../api/types";
import { Checkboxes, Crumbs, ErrorBanner, Loading, PageHeader } from "../components/ui";
import { usePlatform } from "../features/platform/api/get-platform";
import { useCreateProject } from "../features/projects/api/create-project";
import { useProject } from "../features/projects/api/get-project";
import { useUpdateProject } from "../features/projects/api/update-project";
import { exponentOf } from "../format";
import { FIELD_INFO, addField, addableTypes, defaultSpec, effectiveRate, moveField, type OutputSpec, type SpecField } from "../spec";
import { MODALITIES } from "../features/onboarding/form";

const STEPS = ["Basics", "Contribution", "Pay and rules", "Review"] as const;
const STEP_OF_FIELD: Record<string, number> = { title: 0, brief: 0, instructions: 0, modalities: 0, examples: 0, output_spec: 1 };
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

/** The numbers each kind of field is limited by, as the form labels them. */
const LIMITS: Partial<Record<SpecField["type"], [string, string][]>> = {
  intent: [["min_length", "Min. characters"]],
  process_notes: [["min_count", "Min. notes"]],
  drafts: [["min", "Min."], ["max", "Max."]],
  rating: [["min", "Min."], ["max", "Max."]],
  anchors: [["min", "Min."], ["max", "Max."]],
  text: [["min_length", "Min. characters"], ["max_length", "Max. characters"]],
  file: [["max_count", "Max. files"]],
};

function FieldOptions({ field, onChange }: { field: SpecField; onChange: (f: SpecField) => void }) {
  return (
    <>
      {field.type === "anchors" && (
        <label className="field small-field">
          <span>On</span>
          <select value={String(field.modality)} onChange={(e) => {
            const { shapes: _drop, ...rest } = field;
            void _drop;
            onChange(e.target.value === "image" ? { ...rest, modality: "image", shapes: ["rectangle", "polygon"] } : { ...rest, modality: e.target.value });
          }}>
            {MODALITIES.map((m) => <option key={m} value={m}>{m}</option>)}
          </select>
        </label>
      )}
      {field.type === "choice" && (
        <>
          <label className="field grow">
            <span>Options (one per line)</span>
            <textarea rows={3} value={(field.options as string[]).join("\n")} onChange={(e) => onChange({ ...field, options: e.target.value.split("\n") })} />
          </label>
          <label className="check">
            <input type="checkbox" checked={Boolean(field.multiple)} onChange={(e) => onChange({ ...field, multiple: e.target.checked })} />
            several
          </label>
        </>
      )}
      {field.type === "file" && (
        <label className="field grow">
          <span>Media types (comma separated)</span>
          <input value={(field.media_types as string[]).join(", ")} onChange={(e) => onChange({ ...field, media_types: e.target.value.split(",").map((s) => s.trim()).filter(Boolean) })} />
        </label>
      )}
      {(LIMITS[field.type] ?? []).map(([name, label]) => (
        <label className="field small-field" key={name}>
          <span>{label}</span>
          <input type="number" value={Number(field[name] ?? 0)} onChange={(e) => onChange({ ...field, [name]: Number(e.target.value) })} />
        </label>
      ))}
    </>
  );
}

export function SpecBuilder({ spec, onChange, error }: { spec: OutputSpec; onChange: (s: OutputSpec) => void; error: ApiError | null }) {
  const [adding, setAdding] = useState<string>("");
  return (
    <div className="spec-builder">
      {spec.fields.map((field, index) => (
        <div className="spec-field" key={index}>
          <div className="spec-field-head">
            <span className="chip">{FIELD_INFO[field.type].label}</span>
            <input aria-label="Label" className="spec-label" value={field.label} onChange={(e) => onChange({ ...spec, fields: spec.fields.map((f, i) => (i === index ? { ...f, label: e.target.value } : f)) })} />
            <label className="check">
              <input type="checkbox" checked={field.required} onChange={(e) => onChange({ ...spec, fields: spec.fields.map((f, i) => (i === index ? { ...f, required: e.target.checked } : f)) })} />
              required
            </label>
            <button type="button" className="btn btn-ghost" aria-label="Move up" onClick={() => onChange(moveField(spec, index, -1))}>↑</button>
            <button type="button" className="btn btn-ghost" aria-label="Move down" onClick={() => onChange(moveField(spec, index, 1))}>↓</button>
            <button type="button" className="btn btn-danger-ghost" aria-label="Remove" onClick={() => onChange({ ...spec, fields: spec.fields.filter((_, i) => i !== index) })}>✕</button>
          </div>
          <p className="muted small">{FIELD_INFO[field.type].help} Key: <code>{field.key}</code></p>
          <div className="row">
            <FieldOptions field={field} onChange={(f) => onChange({ ...spec, fields: spec.fields.map((x, i) => (i === index ? f : x)) })} />
          </div>
          {error?.fieldMessages(`output_spec.fields.${index}`).map((m) => <small className="error" key={m}>{m}</small>)}
        </div>
      ))}
      <div className="row">
        <select value={adding} onChange={(e) => setAdding(e.target.value)} aria-label="Field type to add">
          <option value="">Add a field…</option>
          {addableTypes(spec).map((t) => <option key={t} value={t}>{FIELD_INFO[t].label}</option>)}
        </select>
        <button type="button" className="btn" disabled={!adding} onClick={() => { onChange(addField(spec, adding as keyof typeof FIELD_INFO)); setAdding(""); }}>
          Add field
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

  const messages = (name: string) => error?.fieldMessages(name).map((m) => <small className="error" key={m}>{m}</small>);
  return (
    <>
      <Crumbs
        links={[{ to: "/projects", label: "Projects" }, ...(initial ? [{ to: `/projects/${initial.id}`, label: initial.title }] : [])]}
        current={initial ? "Edit" : "New project"}
      />
      <PageHeader
        title={initial ? `Edit ${initial.title}` : "New project"}
        subtitle={initial ? `Status: ${initial.status}` : "Saved as a draft: publish it once assets are in."}
      />
      {termsFixed && (
        <div className="banner banner-warn" role="note">
          This project is {initial?.status}: its pay, contribution spec and work rules are fixed, because freelancers were
          shown them. You can still change the title, brief, instructions, examples and deadline.
        </div>
      )}
      <ol className="steps">
        {STEPS.map((s, i) => (
          <li key={s} className={i === step ? "step-active" : i < step ? "step-done" : ""}>
            <button type="button" className="linkish" onClick={() => setStep(i)}>{i + 1}. {s}</button>
          </li>
        ))}
      </ol>
      <div className="card form">
        {step === 0 && (
          <>
            <label className="field">
              <span>Title</span>
              <input value={title} onChange={(e) => setTitle(e.target.value)} placeholder="e.g. Storyboard thumbnails for a short film" />
              {messages("title")}
            </label>
            <fieldset className="field">
              <legend>Media in this project</legend>
              <Checkboxes options={MODALITIES} value={modalities} onChange={setModalities} />
              {messages("modalities")}
            </fieldset>
            <label className="field">
              <span>Brief (Markdown)</span>
              <textarea rows={6} value={brief} onChange={(e) => setBrief(e.target.value)} placeholder="What you need, and why." />
            </label>
            <label className="field">
              <span>Instructions (Markdown)</span>
              <textarea rows={4} value={instructions} onChange={(e) => setInstructions(e.target.value)} placeholder="How to work: what to record, what to avoid." />
            </label>
            <fieldset className="field">
              <legend>Example contributions</legend>
              {examples.length === 0 && <p className="muted small">Show freelancers what a good contribution looks like: its intent, a process note, how the drafts moved.</p>}
              {examples.map((ex, i) => (
                <div className="example-edit" key={i}>
                  <input aria-label={`Example ${i + 1} title`} value={ex.title} placeholder="Title" onChange={(e) => setExamples(examples.map((x, j) => (j === i ? { ...x, title: e.target.value } : x)))} />
                  <textarea aria-label={`Example ${i + 1} body`} rows={3} value={ex.body} placeholder="What the contribution said and showed (Markdown)" onChange={(e) => setExamples(examples.map((x, j) => (j === i ? { ...x, body: e.target.value } : x)))} />
                  <button type="button" className="btn btn-danger-ghost" aria-label={`Remove example ${i + 1}`} onClick={() => setExamples(examples.filter((_, j) => j !== i))}>✕</button>
                </div>
              ))}
              <div>
                <button type="button" className="btn" disabled={examples.length >= 20} onClick={() => setExamples([...examples, { title: "", body: "" }])}>Add example</button>
              </div>
              {messages("examples")}
            </fieldset>
          </>
        )}
        {step === 1 && (
          <>
            <p className="muted">Every contribution is checked against this, field by field. The process fields are the point: keep intent, notes and drafts.</p>
            <fieldset className="plain" disabled={termsFixed}>
              <SpecBuilder spec={spec} onChange={setSpec} error={error} />
            </fieldset>
            <fieldset className="field">
              <legend>Review rubric (scores a reviewer gives each submission)</legend>
              {rubric.map((r, i) => (
                <div className="row" key={i}>
                  <input aria-label={`Criterion ${i + 1}`} className="grow" value={r.label} placeholder="e.g. Use of light" onChange={(e) => setRubric(rubric.map((x, j) => (j === i ? { ...x, label: e.target.value, key: criterionKey(e.target.value) } : x)))} />
                  <label className="field small-field">
                    <span>Max</span>
                    <input type="number" min={1} max={10} value={r.max} onChange={(e) => setRubric(rubric.map((x, j) => (j === i ? { ...x, max: Number(e.target.value) } : x)))} />
                  </label>
                  <button type="button" className="btn btn-danger-ghost" aria-label={`Remove criterion ${i + 1}`} onClick={() => setRubric(rubric.filter((_, j) => j !== i))}>✕</button>
                </div>
              ))}
              <div>
                <button type="button" className="btn" disabled={rubric.length >= 10} onClick={() => setRubric([...rubric, { key: "", label: "", max: 5 }])}>Add criterion</button>
              </div>
              {messages("rubric")}
            </fieldset>
            {messages("output_spec")?.slice(0, 3)}
          </>
        )}
        {step === 2 && (
          <>
            <label className="field narrow-field">
              <span>Deadline (optional)</span>
              <input type="datetime-local" value={deadline} onChange={(e) => setDeadline(e.target.value)} />
              {messages("deadline")}
            </label>
            <fieldset className="plain" disabled={termsFixed}>
            <div className="row">
              <label className="field">
                <span>Pay per contribution</span>
                <input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
              </label>
              <label className="field">
                <span>Currency</span>
                <select value={currency} onChange={(e) => setCurrency(e.target.value)}>
                  {(platform.data?.minimum_hourly_rates ?? [{ amount: "15.00", currency: "USD" }]).map((r) => (
                    <option key={r.currency} value={r.currency}>{r.currency}</option>
                  ))}
                </select>
              </label>
              <label className="field">
                <span>Estimated minutes</span>
                <input type="number" min={1} value={estimate} onChange={(e) => setEstimate(Number(e.target.value))} />
                {messages("estimated_minutes")}
              </label>
            </div>
            {messages("pay")}
            <div className={`rate-box ${belowMinimum ? "rate-box-below" : ""}`} data-testid="rate-box">
              Effective hourly rate: <strong>{rate === null ? "—" : `${rate.toFixed(exponentOf(currency))} ${currency}/h`}</strong>
              {minimum && <> · platform minimum {minimum.amount} {currency}/h</>}
              {belowMinimum && <div>Below the minimum: you can save the draft, but it cannot be published at this pay.</div>}
            </div>
            <div className="row">
              <label className="field">
                <span>Freelancers per item</span>
                <input type="number" min={1} max={20} value={replicas} onChange={(e) => setReplicas(Number(e.target.value))} />
                {messages("replicas_per_item")}
              </label>
              <label className="field grow">
                <span>Required skills (comma separated)</span>
                <input value={skills} onChange={(e) => setSkills(e.target.value)} />
              </label>
              <label className="field">
                <span>Minimum reputation (0–1)</span>
                <input type="number" step="0.05" min={0} max={1} value={minReputation} onChange={(e) => setMinReputation(Number(e.target.value))} />
              </label>
            </div>
            {messages("qualifications")}
              <label className="field narrow-field">
                <span>Review within (hours; then approved automatically)</span>
                <input type="number" min={1} max={1440} value={reviewHours} onChange={(e) => setReviewHours(Number(e.target.value))} />
                {messages("review_period_hours")}
              </label>
            <div className="row">
              <label className="field">
                <span>Contributor agreement version</span>
                <input value={agreement} placeholder="blank: the current version" onChange={(e) => setAgreement(e.target.value)} />
              </label>
              <label className="field">
                <span>Licence of the work</span>
                <select value={licence} onChange={(e) => setLicence(e.target.value)}>
                  {["CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0", "LicenseRef-Atelier-Commercial"].map((l) => <option key={l}>{l}</option>)}
                </select>
              </label>
              <label className="check">
                <input type="checkbox" checked={generative} onChange={(e) => setGenerative(e.target.checked)} />
                Generative tools allowed (when declared)
              </label>
            </div>
            </fieldset>
          </>
        )}
        {step === 3 && (
          <dl className="facts review">
            <div><dt>Title</dt><dd>{title || "—"}</dd></div>
            <div><dt>Media</dt><dd>{modalities.join(", ") || "—"}</dd></div>
            <div><dt>Contribution holds</dt><dd>{spec.fields.map((f) => f.label).join(" · ")}</dd></div>
            <div><dt>Pay</dt><dd>{amount} {currency} for {estimate} min</dd></div>
            <div><dt>Effective rate</dt><dd className={belowMinimum ? "below" : "rate"}>{rate === null ? "—" : `${rate.toFixed(exponentOf(currency))} ${currency}/h`}</dd></div>
            <div><dt>Freelancers per item</dt><dd>{replicas}</dd></div>
            <div><dt>Licence</dt><dd>{licence}</dd></div>
            <div><dt>Deadline</dt><dd>{deadline ? new Date(deadline).toLocaleString() : "none"}</dd></div>
            <div><dt>Examples</dt><dd>{examples.length}</dd></div>
          </dl>
        )}
        {error && Object.keys(error.fields).length === 0 && <ErrorBanner error={error} />}
        {error && Object.keys(error.fields).length > 0 && <div className="banner banner-error" role="alert">{error.message} See the marked fields.</div>}
        <div className="form-actions">
          {step > 0 && <button type="button" className="btn" onClick={() => setStep(step - 1)}>Back</button>}
          {step < STEPS.length - 1 && <button type="button" className="btn btn-primary" onClick={() => setStep(step + 1)}>Next</button>}
          {step === STEPS.length - 1 && (
            <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void save()}>
              {busy ? "Saving…" : initial ? "Save changes" : "Create draft project"}
            </button>
          )}
        </div>
      </div>
    </>
  );
}
