import type { TFunction } from "i18next";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError } from "../api/client";
import type { Profile } from "../api/types";
import { date, dateTime } from "../format";
import { i18n } from "../i18n";
import { Checkboxes, ErrorBanner, FieldMessages, Loading, PageHeader, ProgressBar } from "../components/ui";
import { useConsent, useWithdrawConsent } from "../features/profile/api/consent";
import { useProfile } from "../features/profile/api/get-profile";
import { useUpdateProfile } from "../features/profile/api/update-profile";
import { MODALITIES, TRAINING_USES, browserTimeZone, canonicalTag, timeZoneOptions } from "../features/onboarding/form";

function EarnedQualifications({ profile }: { profile: Profile }) {
  const { t } = useTranslation("freelancer");
  const earned = profile.earned_qualifications ?? [];
  return (
    <section aria-labelledby="earned-title" data-testid="earned-qualifications">
      <h2 id="earned-title">{t("profile.earned.title")}</h2>
      {earned.length === 0 ? (
        <p className="muted small">{t("profile.earned.none")}</p>
      ) : (
        <ul>
          {earned.map((q) => (
            <li key={q.exam_id}>
              <strong>{q.title}</strong> · {t("profile.earned.detail", { organization: q.organization, score: q.score, passed: date(q.passed_at) })}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function ProfilePage() {
  const { t } = useTranslation("freelancer");
  const { data, error, isFetchedAfterMount, isFetching } = useProfile();
  return (
    <>
      <PageHeader title={t("profile.title")} subtitle={t("profile.subtitle")} />
      <ErrorBanner error={error} />
      {isFetching && !isFetchedAfterMount && <Loading />}
      {/* The form starts from the profile as loaded on this visit (not a cached copy); from then on it is the
          person's, and a save puts the answer in it. */}
      {data && isFetchedAfterMount && <ProfileForm profile={data} />}
    </>
  );
}

function ProfileForm({ profile }: { profile: Profile }) {
  const { t } = useTranslation("freelancer");
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
      const tags = languages.split(",").map((tag) => tag.trim()).filter(Boolean).map((tag) => canonicalTag(tag) ?? tag);
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
          <span>{t("profile.form.displayName")}</span>
          <input value={form.display_name} onChange={(e) => setForm({ ...form, display_name: e.target.value })} />
        </label>
        <label className="field">
          <span>{t("profile.form.skills")}</span>
          <input value={skills} onChange={(e) => setSkills(e.target.value)} placeholder={t("profile.form.skillsPlaceholder")} />
        </label>
        <label className="field">
          <span>{t("profile.form.languages")}</span>
          <input value={languages} onChange={(e) => setLanguages(e.target.value)} placeholder={t("profile.form.languagesPlaceholder")} />
          <FieldMessages error={saveError} name="languages" />
        </label>
        <fieldset className="field">
          <legend>{t("profile.form.media")}</legend>
          <Checkboxes options={MODALITIES} label={(m) => t(`modality.${m}`)} value={form.modalities} onChange={(modalities) => setForm({ ...form, modalities })} />
        </fieldset>
        <div className="row">
          <label className="field">
            <span>{t("profile.form.country")}</span>
            <input value={form.country} maxLength={2} onChange={(e) => setForm({ ...form, country: e.target.value })} />
            <FieldMessages error={saveError} name="country" />
          </label>
          <label className="field">
            <span>{t("profile.form.timeZone")}</span>
            <select value={form.time_zone} onChange={(e) => setForm({ ...form, time_zone: e.target.value })}>
              <option value="">{t("profile.form.notSet")}</option>
              {timeZoneOptions(form.time_zone || browserTimeZone()).map((z) => <option key={z} value={z}>{z}</option>)}
            </select>
            <FieldMessages error={saveError} name="time_zone" />
          </label>
          <label className="field">
            <span>{t("profile.form.currency")}</span>
            <input value={form.payout_currency} maxLength={3} onChange={(e) => setForm({ ...form, payout_currency: e.target.value })} />
            <FieldMessages error={saveError} name="payout_currency" />
          </label>
        </div>
        {saveError && Object.keys(saveError.fields).length === 0 && <ErrorBanner error={saveError} />}
        <fieldset className="field">
          <legend>{t("profile.terms.legend")}</legend>
          <p className="muted small">{t("profile.terms.hint")}</p>
          <div className="row">
            {TRAINING_USES.map((use) => (
              <label key={use} className="field">
                <span>{t(`profile.terms.use.${use}`)}</span>
                <select
                  value={(form.training_terms as Record<string, string>)[use] ?? "allowed"}
                  onChange={(e) => {
                    setTermsTouched(true);
                    setForm({ ...form, training_terms: { ...(form.training_terms as Record<string, string>), [use]: e.target.value } });
                  }}
                >
                  <option value="allowed">{t("profile.terms.allowed")}</option>
                  <option value="constrained">{t("profile.terms.constrained")}</option>
                  <option value="notAllowed">{t("profile.terms.notAllowed")}</option>
                </select>
              </label>
            ))}
          </div>
        </fieldset>
        <div className="form-actions">
          <button className="btn btn-primary" type="submit">{t("profile.form.save")}</button>
          {saved && <span className="ok">{t("profile.form.saved")}</span>}
        </div>
      </form>
      <ConsentCard />
    </>
  );
}

function pct(t: TFunction<"freelancer">, v: number | null | undefined): string {
  return v === null || v === undefined ? t("profile.reputation.notYet") : t("profile.reputation.percent", { value: v });
}

/** The reputation in words: "not rated yet" until one of its parts has enough evidence (a score of 0 would read as
 * a bad record), else the percentage. In the language the app shows (`t`, by default the app's). */
export function reputationText(
  profile: Pick<Profile, "reputation" | "reputation_detail">,
  t: TFunction<"freelancer"> = i18n.getFixedT(null, "freelancer"),
): string {
  const d = profile.reputation_detail;
  if (d.approval_rate === null && d.review_score === null && d.gold_accuracy === null) return t("profile.reputation.notRated");
  return t("profile.reputation.percent", { value: profile.reputation });
}

/** The reputation and its parts, each with what it still needs. */
function Reputation({ profile }: { profile: Profile }) {
  const { t } = useTranslation("freelancer");
  const d = profile.reputation_detail;
  const parts = [
    { key: "approved", label: t("profile.reputation.approved"), value: d.approval_rate, need: t("profile.reputation.approvedNeed", { count: d.reviewed }) },
    { key: "review", label: t("profile.reputation.reviewScores"), value: d.review_score, need: t("profile.reputation.reviewScoresNeed") },
    { key: "gold", label: t("profile.reputation.goldChecks"), value: d.gold_accuracy, need: t("profile.reputation.goldChecksNeed", { count: d.gold_checked }) },
  ];
  return (
    <div className="reputation" data-testid="reputation">
      <p>
        {t("profile.reputation.label")} <strong>{reputationText(profile, t)}</strong>
        <span className="muted"> {t("profile.reputation.explained")}</span>
      </p>
      <table className="table">
        <tbody>
          {parts.map((p) => (
            <tr key={p.key}>
              <td>{p.label}</td>
              <td style={{ width: "45%" }}>{p.value !== null && <ProgressBar value={Math.round(p.value * 100)} max={100} label={p.label} />}</td>
              <td className="num">{pct(t, p.value)}</td>
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
  const { t } = useTranslation("freelancer");
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
      <h2 id="consent-title">{t("profile.consent.title")}</h2>
      {consent.data.consent ? (
        <>
          <p className="muted">{t("profile.consent.body")}</p>
          {!asking && (
            <button type="button" className="btn btn-danger-ghost" onClick={() => setAsking(true)}>
              {t("profile.consent.withdraw")}
            </button>
          )}
          {asking && (
            <div>
              <label className="field">
                <span>{t("profile.consent.why")}</span>
                <textarea rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
              </label>
              <ErrorBanner error={error} />
              <div className="form-actions">
                <button type="button" className="btn btn-primary" onClick={withdraw}>
                  {t("profile.consent.confirm")}
                </button>
                <button type="button" className="btn btn-ghost" onClick={() => setAsking(false)}>
                  {t("profile.consent.keep")}
                </button>
              </div>
            </div>
          )}
        </>
      ) : (
        <p role="status">
          {t("profile.consent.withdrawn", { when: dateTime(consent.data.withdrawn_at) })}
        </p>
      )}
    </section>
  );
}
