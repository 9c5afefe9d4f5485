/** The reviewer's queue and a submission's review, keyboard-driven: A approve, E ask for a revision, X reject. */
import { useCallback, useMemo, useRef, useState } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router";
import { ApiError } from "../api/client";
import type { Contribution, QueueItem } from "../api/types";
import { answerText, comparableFields } from "../components/GoldPanel";
import { DataTable, type Column } from "../components/DataTable";
import { Badge, Crumbs, EmptyState, ErrorBanner, Loading, PageHeader } from "../components/ui";
import { dateTime } from "../format";
import { useAuth } from "../auth";
import { useCreateGoldItem } from "../features/projects/api/create-gold-item";
import { useContribution } from "../features/review/api/get-contribution";
import { useReviewQueue } from "../features/review/api/get-review-queue";
import { usePayBonus } from "../features/review/api/pay-bonus";
import { useReviewContribution, type Decision } from "../features/review/api/review-contribution";
import { useShortcuts } from "../hooks";
import { ProcessView } from "../work/ProcessView";

/** What the queue says after a decision, announced to screen readers (role=status). */
export function decisionMessage(decision: Decision, what: string): string {
  if (decision === "approve") return `Approved ${what}: the freelancer is paid.`;
  if (decision === "revise") return `Asked for a revision of ${what}: it goes back to the freelancer with your feedback.`;
  return `Rejected ${what}: the freelancer sees your reason.`;
}

const QUEUE_COLUMNS: Column<QueueItem>[] = [
  {
    header: "Submission",
    cell: (q) => (
      <>
        <Link to={`/review/${q.id}`}>
          {q.project_title} · {q.item}
        </Link>
        {q.revisions > 0 && <span className="chip">revision {q.revisions}</span>}
      </>
    ),
  },
  { header: "Freelancer", cell: (q) => q.freelancer },
  { header: "Submitted", cell: (q) => dateTime(q.submitted_at) },
  { header: "Time on task", num: true, cell: (q) => `${Math.round(q.active_seconds / 60)} / ${q.estimated_minutes} min` },
  { header: "Flags", cell: (q) => q.flags.map((f) => <span className="warn-tag" key={f}>{f}</span>) },
];

export function ReviewPage() {
  const queue = useReviewQueue();
  const navigate = useNavigate();
  const decided = (useLocation().state as { decided?: string } | null)?.decided;
  const first = queue.data?.results[0];
  useShortcuts(useMemo(() => ({ Enter: () => first && navigate(`/review/${first.id}`) }), [first, navigate]));
  return (
    <>
      <PageHeader title="Review" subtitle="Submissions waiting for a decision, oldest first, with their whole process." />
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
          columns={QUEUE_COLUMNS}
          empty={
            <EmptyState title="Nothing to review" icon="✓">
              Submissions appear here once freelancers submit work on your published projects.
            </EmptyState>
          }
        />
      )}
      {first && (
        <p className="muted small">
          <kbd>Enter</kbd> opens the oldest submission.
        </p>
      )}
    </>
  );
}

export function ReviewDetailPage() {
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
  const what = c.data ? `${c.data.project_title} · ${c.data.item}` : "the submission";
  const { mutate } = review;

  const decide = useCallback(
    (decision: Decision) => {
      if (decision !== "approve" && !reason.trim()) {
        setError(new ApiError(400, "invalid", decision === "reject" ? "Give the reason for the rejection." : "Write the feedback for the revision.", { reason: ["Tell the freelancer why."] }));
        reasonBox.current?.focus();
        return;
      }
      setError(null);
      mutate(
        { decision, reason, scores },
        { onSuccess: () => void navigate("/review", { state: { decided: decisionMessage(decision, what) } }), onError: setError },
      );
    },
    [reason, scores, what, mutate, navigate],
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
      <Crumbs links={[{ to: "/review", label: "Review" }]} current={`${d.project_title} / ${d.item}`} />
      <PageHeader
        title={`${d.project_title} · ${d.item}`}
        subtitle={
          <>
            <Badge value={d.state} /> · by {d.freelancer} · submitted {dateTime(d.submitted_at)} · {Math.round(d.active_seconds / 60)} min on task
            (estimate {d.project.estimated_minutes}) · {d.drafts.length} drafts · {(d.notes as unknown[]).length} notes
          </>
        }
      />
      {reviews.length > 0 && (
        <section className="card">
          <h2>Earlier decisions</h2>
          <ul className="plain-list">
            {reviews.map((r) => (
              <li key={r.id}>
                <Badge value={r.decision} /> {r.reason} <span className="muted small">{r.reviewer ?? "automatic"} · {dateTime(r.created_at)}</span>
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
          <h2 id="decision-title">Decision</h2>
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
            <span>Reason or feedback for the freelancer (required to reject or ask for a revision)</span>
            <textarea ref={reasonBox} rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
          <ErrorBanner error={error} />
          <div className="form-actions">
            <button type="button" className="btn btn-primary" disabled={busy} onClick={() => decide("approve")}>
              Approve and pay <kbd>A</kbd>
            </button>
            <button type="button" className="btn" disabled={busy} onClick={() => decide("revise")}>
              Ask for a revision <kbd>E</kbd>
            </button>
            <button type="button" className="btn btn-danger-ghost" disabled={busy} onClick={() => decide("reject")}>
              Reject <kbd>X</kbd>
            </button>
          </div>
          <p className="muted small">
            <kbd>F</kbd> focuses the feedback box. Approval pays the contribution and any fair-pay top-up at once.
          </p>
        </section>
      )}
    </>
  );
}

function BonusForm({ contributionId, currency }: { contributionId: number; currency: string }) {
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const [key, setKey] = useState(() => `bonus-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`);
  const [paid, setPaid] = useState<string | null>(null);
  const bonus = usePayBonus(contributionId);
  const error = bonus.error;
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
      <h2 id="bonus-title">Bonus</h2>
      <p className="muted small">Reward this work beyond its pay, from the project's funding. The freelancer sees the reason.</p>
      <div className="row">
        <label className="field">
          <span>Amount ({currency})</span>
          <input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} placeholder="2.50" />
          {error?.fieldMessages("amount").map((m) => <small className="error" key={m}>{m}</small>)}
        </label>
        <label className="field grow">
          <span>What it is for</span>
          <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder="e.g. Exceptionally clear process notes" />
          {error?.fieldMessages("reason").map((m) => <small className="error" key={m}>{m}</small>)}
        </label>
      </div>
      {error && Object.keys(error.fields).length === 0 && <ErrorBanner error={error} />}
      {paid && <div className="banner banner-ok" role="status">Bonus paid: {paid}</div>}
      <button type="button" className="btn btn-primary" disabled={!amount || !reason.trim()} onClick={pay}>
        Pay bonus
      </button>
    </section>
  );
}

/** An approved contribution's rating and choice answers become the item's known answers. */
function UseAsGold({ contribution }: { contribution: Contribution }) {
  const gold = useCreateGoldItem(contribution.project.id);
  const fields = comparableFields(contribution.project);
  const answers = (contribution.answers ?? {}) as Record<string, unknown>;
  const known = Object.fromEntries(fields.filter((f) => f.key in answers).map((f) => [f.key, answers[f.key]]));
  if (!Object.keys(known).length) return null;

  return (
    <section className="card" aria-labelledby="use-gold-title">
      <h2 id="use-gold-title">Gold standard</h2>
      <p className="muted small">Make this item a gold item with these answers as the known ones: {answerText(known)}. Later freelancers served it are scored against them.</p>
      <ErrorBanner error={gold.error} />
      {gold.isSuccess ? (
        <div className="banner banner-ok" role="status">This item is now gold.</div>
      ) : (
        <button type="button" className="btn" onClick={() => gold.mutate({ contribution_id: contribution.id })}>
          Use as gold item
        </button>
      )}
    </section>
  );
}
