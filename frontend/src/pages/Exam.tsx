import { useState } from "react";
import { Link, useParams } from "react-router";
import type { ApiError } from "../api/client";
import type { components } from "../api/schema";
import { ErrorBanner, Loading, PageHeader } from "../components/ui";
import { dateTime, text } from "../format";
import { useAttempt, type AttemptAction } from "../features/exams/api/attempts";
import { useExam } from "../features/exams/api/get-exam";

type S = components["schemas"];
type Attempt = S["AttemptOutput"];
type Answers = Record<string, Record<string, unknown>>;

/** An exam for a freelancer: instructions, the items one after another, submit, the result. */
export function ExamPage() {
  const { id } = useParams();
  const examId = Number(id);
  const exam = useExam(examId);
  const attemptMutation = useAttempt(examId);
  const [attempt, setAttempt] = useState<Attempt | null>(null);
  const [index, setIndex] = useState(0);
  const [answers, setAnswers] = useState<Answers>({});
  const [error, setError] = useState<ApiError | null>(null);
  if (exam.isFetching && !exam.data) return <Loading />;
  const e = exam.data;
  if (!e) return <ErrorBanner error={exam.error ?? null} />;

  function run(action: AttemptAction) {
    setError(null);
    attemptMutation.mutate(action, { onSuccess: setAttempt, onError: setError });
  }
  const items = attempt?.items ?? [];
  const item = items[index];
  const mine = e.mine;
  return (
    <>
      <PageHeader title={e.title} subtitle={`Pass mark ${Math.round(e.pass_mark * 100)}% · ${e.item_count} item${e.item_count === 1 ? "" : "s"}`} />
      <section className="card" data-testid="exam-page">
        {e.instructions_html && <div className="exam-instructions" dangerouslySetInnerHTML={{ __html: e.instructions_html }} />}
        <ErrorBanner error={error} />
        {attempt?.submitted_at ? (
          <div role="status" data-testid="exam-result">
            <h2>{attempt.passed ? "Passed" : "Not passed"}</h2>
            <p>
              Score {Math.round((attempt.score ?? 0) * 100)}% ({attempt.matched} of {attempt.total} items) · pass mark {Math.round(attempt.pass_mark * 100)}%
            </p>
            {attempt.retry_at && <p>You can retry after {dateTime(attempt.retry_at)}.</p>}
            {attempt.passed && <Link className="btn btn-primary" to="/tasks">Back to tasks</Link>}
            {!attempt.passed && (!attempt.retry_at || new Date(attempt.retry_at) <= new Date()) && <button className="btn" onClick={() => run({ start: e.id })}>Retry</button>}
          </div>
        ) : item ? (
          <form
            onSubmit={(ev) => {
              ev.preventDefault();
              if (index < items.length - 1) setIndex(index + 1);
              else if (attempt) run({ submit: attempt.id, answers });
            }}
          >
            <p className="muted">Item {index + 1} of {items.length}</p>
            {item.instructions_html && <div className="exam-instructions" dangerouslySetInnerHTML={{ __html: item.instructions_html }} />}
            <div className="exam-media">
              {item.files.map((f) =>
                f.kind === "image" && (f.preview_url || f.download_url) ? (
                  <img key={f.id} src={f.preview_url ?? f.download_url ?? ""} alt={f.name} style={{ maxWidth: "100%", maxHeight: 320 }} />
                ) : f.kind === "audio" && f.download_url ? (
                  <audio key={f.id} controls preload="none" src={f.download_url} aria-label={f.name} />
                ) : f.kind === "video" && f.download_url ? (
                  <video key={f.id} controls preload="metadata" src={f.download_url} aria-label={f.name} />
                ) : (
                  <a key={f.id} href={f.download_url ?? "#"}>{f.name}</a>
                ),
              )}
            </div>
            {item.fields.map((f) => {
              const value = answers[String(item.item_id)]?.[f.key];
              const set = (v: unknown) => setAnswers({ ...answers, [item.item_id]: { ...answers[String(item.item_id)], [f.key]: v } });
              return (
                <label key={f.key} className="field">
                  <span>{f.label}</span>
                  {f.type === "choice" && f.multiple ? (
                    <span className="exam-multi">
                      {(f.options ?? []).map((o) => {
                        const picked = Array.isArray(value) ? (value as string[]) : [];
                        return (
                          <label key={o} className="check">
                            <input type="checkbox" checked={picked.includes(o)} onChange={() => set(picked.includes(o) ? picked.filter((x) => x !== o) : [...picked, o])} /> {o}
                          </label>
                        );
                      })}
                    </span>
                  ) : f.type === "choice" ? (
                    <select aria-label={f.label} value={text(value)} onChange={(ev) => set(ev.target.value || null)}>
                      <option value="">Choose…</option>
                      {(f.options ?? []).map((o) => <option key={o}>{o}</option>)}
                    </select>
                  ) : (
                    <input aria-label={f.label} type="number" min={f.min ?? 1} max={f.max ?? 5} value={text(value)} onChange={(ev) => set(ev.target.value ? Number(ev.target.value) : null)} />
                  )}
                </label>
              );
            })}
            <div className="form-actions">
              {index > 0 && <button type="button" className="btn" onClick={() => setIndex(index - 1)}>Previous</button>}
              <button className="btn btn-primary">{index < items.length - 1 ? "Next" : "Submit the exam"}</button>
            </div>
          </form>
        ) : mine?.status === "passed" ? (
          <p role="status">Passed with {Math.round((mine.score ?? 0) * 100)}%.</p>
        ) : mine?.status === "failed" && mine.retry_at && new Date(mine.retry_at) > new Date() ? (
          <p role="status">Not passed ({Math.round((mine.score ?? 0) * 100)}%). You can retry after {dateTime(mine.retry_at)}.</p>
        ) : (
          <button className="btn btn-primary" onClick={() => run({ start: e.id })}>
            {mine?.status === "in_progress" ? "Continue the exam" : "Start the exam"}
          </button>
        )}
      </section>
    </>
  );
}
