import { useState } from "react";
import { useTranslation } from "react-i18next";
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
  const { t } = useTranslation("freelancer");
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
      <PageHeader title={e.title} subtitle={t("exam.subtitle", { passMark: e.pass_mark, count: e.item_count })} />
      <section className="card" data-testid="exam-page">
        {e.instructions_html && <div className="exam-instructions" dangerouslySetInnerHTML={{ __html: e.instructions_html }} />}
        <ErrorBanner error={error} />
        {attempt?.submitted_at ? (
          <div role="status" data-testid="exam-result">
            <h2>{attempt.passed ? t("exam.result.passed") : t("exam.result.notPassed")}</h2>
            <p>
              {t("exam.result.score", { score: attempt.score ?? 0, matched: attempt.matched, total: attempt.total, passMark: attempt.pass_mark })}
            </p>
            {attempt.retry_at && <p>{t("exam.result.retryAfter", { when: dateTime(attempt.retry_at) })}</p>}
            {attempt.passed && <Link className="btn btn-primary" to="/tasks">{t("exam.result.backToTasks")}</Link>}
            {!attempt.passed && (!attempt.retry_at || new Date(attempt.retry_at) <= new Date()) && <button className="btn" onClick={() => run({ start: e.id })}>{t("exam.result.retry")}</button>}
          </div>
        ) : item ? (
          <form
            onSubmit={(ev) => {
              ev.preventDefault();
              if (index < items.length - 1) setIndex(index + 1);
              else if (attempt) run({ submit: attempt.id, answers });
            }}
          >
            <p className="muted">{t("exam.itemOf", { index: index + 1, total: items.length })}</p>
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
                      <option value="">{t("exam.choose")}</option>
                      {(f.options ?? []).map((o) => <option key={o}>{o}</option>)}
                    </select>
                  ) : (
                    <input aria-label={f.label} type="number" min={f.min ?? 1} max={f.max ?? 5} value={text(value)} onChange={(ev) => set(ev.target.value ? Number(ev.target.value) : null)} />
                  )}
                </label>
              );
            })}
            <div className="form-actions">
              {index > 0 && <button type="button" className="btn" onClick={() => setIndex(index - 1)}>{t("exam.previous")}</button>}
              <button className="btn btn-primary">{index < items.length - 1 ? t("exam.next") : t("exam.submit")}</button>
            </div>
          </form>
        ) : mine?.status === "passed" ? (
          <p role="status">{t("exam.passedWith", { score: mine.score ?? 0 })}</p>
        ) : mine?.status === "failed" && mine.retry_at && new Date(mine.retry_at) > new Date() ? (
          <p role="status">{t("exam.notPassedRetry", { score: mine.score ?? 0, when: dateTime(mine.retry_at) })}</p>
        ) : (
          <button className="btn btn-primary" onClick={() => run({ start: e.id })}>
            {mine?.status === "in_progress" ? t("exam.continue") : t("exam.start")}
          </button>
        )}
      </section>
    </>
  );
}
