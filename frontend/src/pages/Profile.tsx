import { useState, type FormEvent } from "react";
import type { ApiError } from "../api/client";
import type { Profile } from "../api/types";
import { dateTime } from "../format";
import { Checkboxes, ErrorBanner, Loading, PageHeader, ProgressBar } from "../components/ui";
import { useConsent, useWithdrawConsent } from "../features/profile/api/consent";
import { useProfile } from "../features/profile/api/get-profile";
import { useUpdateProfile } from "../features/profile/api/update-profile";
import { MODALITIES, browserTimeZone, canonicalTag, timeZoneOptions } from "../features/onboarding/form";

const TRAINING_USES: { key: string; label: string }[] = [
  { key: "ai_training", label: "Training AI models" },
  { key: "ai_generative_training", label: "Training generative AI models" },
  { key: "data_mining", label: "Text and data mining" },
  { key: "ai_inference", label: "Use as input to AI at inference" },
];

function EarnedQualifications({ profile }: { profile: Profile }) {
  const earned = profile.earned_qualifications ?? [];
  return (
    <section aria-labelledby="earned-title" data-testid="earned-qualifications">
      <h2 id="earned-title">Earned qualifications</h2>
      {earned.length === 0 ? (
        <p className="muted small">None yet. Exams you pass show here, apart from the skills you declare below.</p>
      ) : (
        <ul>
          {earned.map((q) => (
            <li key={q.exam_id}>
              <strong>{q.title}</strong> · {q.organization} · {Math.round(q.score * 100)}% · {new Date(q.passed_at).toLocaleDateString()}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function ProfilePage() {
  const { data, error, isFetchedAfterMount, isFetching } = useProfile();
  return (
    <>
      <PageHeader title="Profile" subtitle="What you do and how you are paid. Projects use it to offer you work you qualify for." />
      <ErrorBanner error={error} />
      {isFetching && !isFetchedAfterMount && <Loading />}
      {/* The form starts from the profile as loaded on this visit (not a cached copy); from then on it is the
          person's, and a save puts the answer in it. */}
      {data && isFetchedAfterMount && <ProfileForm profile={data} />}
    </>
  );
}

function ProfileForm({ profile }: { profile: Profile }) {
  const [form, setForm] = useState<Profile>(profile);
  const [skills, setSkills] = useState(profile.skills.join(", "));
  const [languages, setLanguages] = useState(profile.languages.join(", "));
  // The selects show defaults for uses never chosen; only a change is sent, so a default never counts as a choice.
  const [termsTouched, setTermsTouched] = useState(false);
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const update = useUpdateProfile();

  async function save(event: FormEvent) {
    event.preventDefault();
    setSaveError(null);
    setSaved(false);
    try {
      // Only what the profile's PATCH takes: the read-only parts of the answer would be refused as unknown fields.
      const {
        reputation: _readOnly,
        reputation_detail: _alsoReadOnly,
        onboarding: _state,
        earned_qualifications: _earned,
        ...editable
      } = form;
      void _readOnly;
      void _alsoReadOnly;
      void _state;
      void _earned;
      const tags = languages.split(",").map((t) => t.trim()).filter(Boolean).map((t) => canonicalTag(t) ?? t);
      const { training_terms: terms, ...rest } = editable;
      const body = { ...rest, ...(termsTouched ? { training_terms: terms } : {}), skills: skills.split(",").map((s) => s.trim()).filter(Boolean), languages: tags };
      const next = await update.mutateAsync(body);
      // The form shows what was saved (skills and languages as the server keeps them).
      setForm(next);
      setSkills(next.skills.join(", "));
      setLanguages(next.languages.join(", "));
      setSaved(true);
    } catch (err) {
      setSaveError(err as ApiError);
    }
  }

  return (
    <>
      <form className="card form narrow" onSubmit={(event) => void save(event)}>
        <Reputation profile={form} />
        <EarnedQualifications profile={form} />
        <label className="field">
          <span>Display name</span>
          <input value={form.display_name} onChange={(e) => setForm({ ...form, display_name: e.target.value })} />
        </label>
        <label className="field">
          <span>Skills (declared, comma separated)</span>
          <input value={skills} onChange={(e) => setSkills(e.target.value)} placeholder="illustration, foley, copywriting" />
        </label>
        <label className="field">
          <span>Languages (language tags, comma separated)</span>
          <input value={languages} onChange={(e) => setLanguages(e.target.value)} placeholder="en, pt-BR" />
          {saveError?.fieldMessages("languages").map((m) => <small className="error" key={m}>{m}</small>)}
        </label>
        <fieldset className="field">
          <legend>Media you work in</legend>
          <Checkboxes options={MODALITIES} value={form.modalities} onChange={(modalities) => setForm({ ...form, modalities })} />
        </fieldset>
        <div className="row">
          <label className="field">
            <span>Country (ISO code)</span>
            <input value={form.country} maxLength={2} onChange={(e) => setForm({ ...form, country: e.target.value })} />
            {saveError?.fieldMessages("country").map((m) => <small className="error" key={m}>{m}</small>)}
          </label>
          <label className="field">
            <span>Time zone</span>
            <select value={form.time_zone} onChange={(e) => setForm({ ...form, time_zone: e.target.value })}>
              <option value="">Not set</option>
              {timeZoneOptions(form.time_zone || browserTimeZone()).map((z) => <option key={z} value={z}>{z}</option>)}
            </select>
            {saveError?.fieldMessages("time_zone").map((m) => <small className="error" key={m}>{m}</small>)}
          </label>
          <label className="field">
            <span>Payout currency</span>
            <input value={form.payout_currency} maxLength={3} onChange={(e) => setForm({ ...form, payout_currency: e.target.value })} />
            {saveError?.fieldMessages("payout_currency").map((m) => <small className="error" key={m}>{m}</small>)}
          </label>
        </div>
        {saveError && Object.keys(saveError.fields).length === 0 && <ErrorBanner error={saveError} />}
        <fieldset className="field">
          <legend>How your approved work may be used</legend>
          <p className="muted small">Signed into the provenance manifest of each contribution when it is approved (CAWG training and data mining terms).</p>
          <div className="row">
            {TRAINING_USES.map((u) => (
              <label key={u.key} className="field">
                <span>{u.label}</span>
                <select
                  value={(form.training_terms as Record<string, string>)[u.key] ?? "allowed"}
                  onChange={(e) => {
                    setTermsTouched(true);
                    setForm({ ...form, training_terms: { ...(form.training_terms as Record<string, string>), [u.key]: e.target.value } });
                  }}
                >
                  <option value="allowed">allowed</option>
                  <option value="constrained">constrained</option>
                  <option value="notAllowed">not allowed</option>
                </select>
              </label>
            ))}
          </div>
        </fieldset>
        <div className="form-actions">
          <button className="btn btn-primary" type="submit">Save profile</button>
          {saved && <span className="ok">Saved.</span>}
        </div>
      </form>
      <ConsentCard />
    </>
  );
}

function pct(v: number | null | undefined): string {
  return v === null || v === undefined ? "not yet" : `${Math.round(v * 100)}%`;
}

/** The reputation in words: "not rated yet" until one of its parts has enough evidence (a score of 0 would read as
 * a bad record), else the percentage. */
export function reputationText(profile: Pick<Profile, "reputation" | "reputation_detail">): string {
  const d = profile.reputation_detail;
  if (d.approval_rate === null && d.review_score === null && d.gold_accuracy === null) return "not rated yet";
  return `${Math.round(profile.reputation * 100)}%`;
}

/** The reputation and its parts, each with what it still needs. */
function Reputation({ profile }: { profile: Profile }) {
  const d = profile.reputation_detail;
  const parts = [
    { label: "Approved", value: d.approval_rate, need: `${d.reviewed} of 3 reviewed pieces needed` },
    { label: "Review scores", value: d.review_score, need: "three scored reviews needed" },
    { label: "Gold checks", value: d.gold_accuracy, need: `${d.gold_checked} of 2 checks needed` },
  ];
  return (
    <div className="reputation" data-testid="reputation">
      <p>
        Reputation: <strong>{reputationText(profile)}</strong>
        <span className="muted"> · the mean of the parts below that have enough evidence. Some projects ask for a minimum.</span>
      </p>
      <table className="table">
        <tbody>
          {parts.map((p) => (
            <tr key={p.label}>
              <td>{p.label}</td>
              <td style={{ width: "45%" }}>{p.value !== null && <ProgressBar value={Math.round(p.value * 100)} max={100} label={p.label} />}</td>
              <td className="num">{pct(p.value)}</td>
              <td className="muted small">{p.value === null ? p.need : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Consent to datasets: on by default, withdrawn once for good (later versions leave the work out). */
export function ConsentCard() {
  const consent = useConsent();
  const withdrawal = useWithdrawConsent();
  const error = withdrawal.error;
  const [reason, setReason] = useState("");
  const [asking, setAsking] = useState(false);
  if (!consent.data) return null;
  function withdraw() {
    withdrawal.mutate(reason, { onSuccess: () => setAsking(false) });
  }
  return (
    <section className="card narrow-card" aria-labelledby="consent-title" data-testid="consent">
      <h2 id="consent-title">Your work in datasets</h2>
      {consent.data.consent ? (
        <>
          <p className="muted">
            Approved work goes into the training datasets of the projects you work on, under a pseudonym that cannot be traced back to you. You can withdraw: later dataset
            versions then leave your work out, and buyers of earlier versions are told to delete it.
          </p>
          {!asking && (
            <button type="button" className="btn btn-danger-ghost" onClick={() => setAsking(true)}>
              Withdraw consent…
            </button>
          )}
          {asking && (
            <div>
              <label className="field">
                <span>Why (optional, seen by the platform only)</span>
                <textarea rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
              </label>
              <ErrorBanner error={error} />
              <div className="form-actions">
                <button type="button" className="btn btn-primary" onClick={withdraw}>
                  Withdraw for good
                </button>
                <button type="button" className="btn btn-ghost" onClick={() => setAsking(false)}>
                  Keep consent
                </button>
              </div>
            </div>
          )}
        </>
      ) : (
        <p role="status">
          Consent withdrawn on {dateTime(consent.data.withdrawn_at)}. No later dataset version holds your work; earlier versions list it for deletion.
        </p>
      )}
    </section>
  );
}
