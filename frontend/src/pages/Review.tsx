/** The reviewer's queue and a submission's review, keyboard-driven: A approve, E ask for a revision, X reject. */
import { useCallback, useMemo, useRef, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { Link, useLocation, useNavigate, useParams } from "react-router";
import { ApiError } from "../api/client";
import type { Contribution, QueueItem } from "../api/types";
import { answerText, comparableFields } from "../components/GoldPanel";
import { DataTable, type Column } from "../components/DataTable";
import { Badge, Crumbs, EmptyState, ErrorBanner, Loading, PageHeader } from "../components/ui";
import { count, dateTime } from "../format";
import { i18n } from "../i18n";
import { useAuth } from "../auth";
import { useCreateGoldItem } from "../features/projects/api/create-gold-item";
import { useContribution } from "../features/review/api/get-contribution";
import { useReviewQueue } from "../features/review/api/get-review-queue";
import { usePayBonus } from "../features/review/api/pay-bonus";
import { useReviewContribution, type Decision } from "../features/review/api/review-contribution";
import { useShortcuts } from "../hooks";
import { ProcessView } from "../work/ProcessView";

/** What the queue says after a decision, announced to screen readers (role=status). */
export function decisionMessage(decision: Decision, what: string, t: TFunction<"org"> = i18n.getFixedT(null, "org")): string {
  if (decision === "approve") return t("review.decided.approve", { what });
  if (decision === "revise") return t("review.decided.revise", { what });
  return t("review.decided.reject", { what });
}

function queueColumns(t: TFunction<"org">): Column<QueueItem>[] {
  return [
    {
      header: t("review.queue.submission"),
      cell: (q) => (
        <>
          <Link to={`/review/${q.id}`}>
            {q.project_title} · {q.item}
          </Link>
          {q.revisions > 0 && <span className="chip">{t("review.queue.revision", { n: count(q.revisions) })}</span>}
        </>
      ),
    },
    { header: t("review.queue.freelancer"), cell: (q) => q.freelancer },
    { header: t("review.queue.submitted"), cell: (q) => dateTime(q.submitted_at) },
    {
      header: t("review.queue.timeOnTask"),
      num: true,
      cell: (q) => t("review.queue.minutes", { spent: count(Math.round(q.active_seconds / 60)), estimate: count(q.estimated_minutes) }),
    },
    // The flags are the server's sentences, in the person's language already.
    { header: t("review.queue.flags"), cell: (q) => q.flags.map((f) => <span className="warn-tag" key={f}>{f}</span>) },
  ];
}

export function ReviewPage() {
  const { t } = useTranslation("org");
  const columns = useMemo(() => queueColumns(t), [t]);
  const queue = useReviewQueue();
  const navigate = useNavigate();
  const decided = (useLocation().state as { decided?: string } | null)?.decided;
  const first = queue.data?.results[0];
  useShortcuts(useMemo(() => ({ Enter: () => first && navigate(`/review/${first.id}`) }), [first, navigate]));
  return (
    <>
      <PageHeader title={t("review.title")} subtitle={t("review.subtitle")} />
      <div role="status" aria-live="polite">
        {decided && <div className="banner banner-ok" data-focus-on-arrival>{decided}</div>}
      </div>
      <ErrorBanner error={queue.error} />
      {queue.isFetching && !queue.data && <Loading />}
      {queue.data && (
        <DataTable
          rows={queue.data.results}
          rowKey={(q) => q.id}
          rowProps={(q) => ({ className: "clickable", onClick: () => void navigate(`/review/${q.id}`) })}
          columns={columns}
          empty={
            <EmptyState title={t("review.empty.title")} icon="✓">
              {t("review.empty.body")}
            </EmptyState>
          }
        />
      )}
      {first && (
        <p className="muted small">
          <Trans t={t} i18nKey="review.queue.enterHint" components={{ kbd: <kbd /> }} />
        </p>
      )}
    </>
  );
}

export function ReviewDetailPage() {
  const { t } = useTranslation("org");
  const { id } = useParams();
  const { user } = useAuth();
  const navigate = useNavigate();
  const contributionId = Number(id);
  const c = useContribution(contributionId);
  const review = useReviewContribution(contributionId);
  const [reason, setReason] = useState("");
  const [scores, setScores] = useState<Record<string, number>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const busy = review.isPending;
  const reasonBox = useRef<HTMLTextAreaElement>(null);
  const what = c.data ? `${c.data.project_title} · ${c.data.item}` : t("review.detail.theSubmission");
  const { mutate } = review;

  const decide = useCallback(
    (decision: Decision) => {
      if (decision !== "approve" && !reason.trim()) {
        setError(
          new ApiError(400, "invalid", decision === "reject" ? t("review.detail.needReason") : t("review.detail.needFeedback"), {
            reason: [t("review.detail.tellWhy")],
          }),
        );
        reasonBox.current?.focus();
        return;
      }
      setError(null);
      mutate(
        { decision, reason, scores },
        { onSuccess: () => void navigate("/review", { state: { decided: decisionMessage(decision, what, t) } }), onError: setError },
      );
    },
    [reason, scores, what, mutate, navigate, t],
  );
  useShortcuts(
    useMemo(() => ({ a: () => decide("approve"), e: () => decide("revise"), x: () => decide("reject"), f: () => reasonBox.current?.focus() }), [decide]),
  );

  if (c.error) return <ErrorBanner error={c.error} />;
  if (!c.data) return <Loading />;
  const d = c.data;
  const reviews = d.reviews;
  return (
    <>
      <Crumbs links={[{ to: "/review", label: t("review.title") }]} current={`${d.project_title} / ${d.item}`} />
      <PageHeader
        title={`${d.project_title} · ${d.item}`}
        subtitle={
          <>
            <Badge value={d.state} /> ·{" "}
            {t("review.detail.subtitle", {
              freelancer: d.freelancer,
              submitted: dateTime(d.submitted_at),
              spent: count(Math.round(d.active_seconds / 60)),
              estimate: count(d.project.estimated_minutes),
              drafts: d.drafts.length,
              notes: (d.notes as unknown[]).length,
            })}
          </>
        }
      />
      {reviews.length > 0 && (
        <section className="card">
          <h2>{t("review.detail.earlier")}</h2>
          <ul className="plain-list">
            {reviews.map((r) => (
              <li key={r.id}>
                <Badge value={r.decision} /> {r.reason} <span className="muted small">{r.reviewer ?? t("review.detail.automatic")} · {dateTime(r.created_at)}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <ProcessView contribution={d} />
      {d.state === "approved" && user?.role === "admin" && <BonusForm contributionId={d.id} currency={d.project.pay.currency} />}
      {d.state === "approved" && user?.role === "admin" && <UseAsGold contribution={d} />}
      {d.state === "submitted" && (
        <section className="card decision" aria-labelledby="decision-title">
          <h2 id="decision-title">{t("review.detail.decision")}</h2>
          {((d.project.rubric as { key: string; label: string; max: number }[] | undefined) ?? []).map((r) => (
            <fieldset className="field" key={r.key}>
              <legend>{r.label}</legend>
              <div className="rating">
                {Array.from({ length: r.max + 1 }, (_, v) => v).map((v) => (
                  <button key={v} type="button" className={`btn ${scores[r.key] === v ? "btn-primary" : ""}`} aria-pressed={scores[r.key] === v} onClick={() => setScores({ ...scores, [r.key]: v })}>
                    {v}
                  </button>
                ))}
              </div>
            </fieldset>
          ))}
          <label className="field">
            <span>{t("review.detail.reasonLabel")}</span>
            <textarea ref={reasonBox} rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
          <ErrorBanner error={error} />
          <div className="form-actions">
            <button type="button" className="btn btn-primary" disabled={busy} onClick={() => decide("approve")}>
              {t("review.detail.approve")} <kbd>A</kbd>
            </button>
            <button type="button" className="btn" disabled={busy} onClick={() => decide("revise")}>
              {t("review.detail.revise")} <kbd>E</kbd>
            </button>
            <button type="button" className="btn btn-danger-ghost" disabled={busy} onClick={() => decide("reject")}>
              {t("review.detail.reject")} <kbd>X</kbd>
            </button>
          </div>
          <p className="muted small">
            <Trans t={t} i18nKey="review.detail.keysHint" components={{ kbd: <kbd /> }} />
          </p>
        </section>
      )}
    </>
  );
}

function BonusForm({ contributionId, currency }: { contributionId: number; currency: string }) {
  const { t } = useTranslation("org");
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const [key, setKey] = useState(() => `bonus-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`);
  const [paid, setPaid] = useState<string | null>(null);
  const bonus = usePayBonus(contributionId);
  const error = bonus.error;
  const amountErrors = error?.fieldMessages("amount") ?? [];
  const reasonErrors = error?.fieldMessages("reason") ?? [];
  function pay() {
    bonus.mutate(
      { amount: { amount, currency }, reason, idempotency_key: key },
      {
        onSuccess: (done) => {
          setPaid(`${done.amount.amount} ${done.amount.currency}: ${done.memo}`);
          setKey(`bonus-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`);
          setAmount("");
          setReason("");
        },
      },
    );
  }
  return (
    <section className="card" aria-labelledby="bonus-title">
      <h2 id="bonus-title">{t("review.bonus.title")}</h2>
      <p className="muted small">{t("review.bonus.intro")}</p>
      <div className="row">
        <label className="field">
          <span>{t("review.bonus.amount", { currency })}</span>
          <input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} placeholder="2.50" />
          {amountErrors.map((m) => <small className="error" key={m}>{m}</small>)}
        </label>
        <label className="field grow">
          <span>{t("review.bonus.reason")}</span>
          <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t("review.bonus.reasonPlaceholder")} />
          {reasonErrors.map((m) => <small className="error" key={m}>{m}</small>)}
        </label>
      </div>
      {error && Object.keys(error.fields).length === 0 && <ErrorBanner error={error} />}
      {paid && <div className="banner banner-ok" role="status">{t("review.bonus.paid", { paid })}</div>}
      <button type="button" className="btn btn-primary" disabled={!amount || !reason.trim()} onClick={pay}>
        {t("review.bonus.pay")}
      </button>
    </section>
  );
}

/** An approved contribution's rating and choice answers become the item's known answers. */
function UseAsGold({ contribution }: { contribution: Contribution }) {
  const { t } = useTranslation("org");
  const gold = useCreateGoldItem(contribution.project.id);
  const fields = comparableFields(contribution.project);
  const answers = (contribution.answers ?? {}) as Record<string, unknown>;
  const known = Object.fromEntries(fields.filter((f) => f.key in answers).map((f) => [f.key, answers[f.key]]));
  if (!Object.keys(known).length) return null;

  return (
    <section className="card" aria-labelledby="use-gold-title">
      <h2 id="use-gold-title">{t("review.gold.title")}</h2>
      <p className="muted small">{t("review.gold.intro", { answers: answerText(known) })}</p>
      <ErrorBanner error={gold.error} />
      {gold.isSuccess ? (
        <div className="banner banner-ok" role="status">{t("review.gold.done")}</div>
      ) : (
        <button type="button" className="btn" onClick={() => gold.mutate({ contribution_id: contribution.id })}>
          {t("review.gold.use")}
        </button>
      )}
    </section>
  );
}
