import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { ApiError, asApiError } from "../api/client";
import type { components } from "../api/schema";
import type { Project } from "../api/types";
import { useCreateExam, useUpdateExam } from "../features/exams/api/change-exam";
import { useExam, useExamResults } from "../features/exams/api/get-exam";
import { useExams } from "../features/exams/api/get-exams";
import { useGoldItems } from "../features/projects/api/get-gold-items";
import { useUpdateProject } from "../features/projects/api/update-project";
import { count, dateTime } from "../format";
import { ErrorBanner } from "./ui";

type S = components["schemas"];
type Exam = S["ExamOutput"];

export type ExamForm = { title: string; instructions: string; itemIds: number[]; passMarkPercent: string; retryDelayHours: string };

export const emptyExamForm: ExamForm = { title: "", instructions: "", itemIds: [], passMarkPercent: "80", retryDelayHours: "24" };

/** The form as the exam API takes it: pass mark as a 0–1 decimal string, the retry delay in whole hours. */
export function examBody(form: ExamForm): S["ExamInputRequest"] {
  const body: S["ExamInputRequest"] = { title: form.title.trim(), instructions: form.instructions, item_ids: form.itemIds };
  if (form.passMarkPercent.trim() !== "") {
    const pct = Number(form.passMarkPercent);
    body.pass_mark = Number.isFinite(pct) ? (pct / 100).toFixed(3) : form.passMarkPercent;
  }
  if (form.retryDelayHours.trim() !== "") body.retry_delay_hours = Number(form.retryDelayHours);
  return body;
}

export function formFromExam(exam: Exam): ExamForm {
  return {
    title: exam.title,
    instructions: exam.instructions,
    itemIds: (exam.items ?? []).map((i) => i.item_id),
    passMarkPercent: String(Math.round(exam.pass_mark * 1000) / 10),
    retryDelayHours: String(exam.retry_delay_hours),
  };
}

export function toggleId(ids: number[], id: number): number[] {
  return ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id];
}

function FieldError({ error, name }: { error: ApiError | null; name: string }) {
  const messages = error?.fieldMessages(name) ?? [];
  if (!messages.length) return null;
  return (
    <small className="error" role="alert">
      {messages.join(" ")}
    </small>
  );
}

/** The qualification exam a project requires: what it asks, how freelancers do, and (admins) choosing or building one.
 * Requiring an exam changes the project (fetched again with everything under it); an exam's changes fetch the exams. */
export function ExamPanel({ project, isAdmin }: { project: Project; isAdmin: boolean }) {
  const { t } = useTranslation("projects");
  const examId = project.required_exam_id;
  const exam = useExam(examId);
  const results = useExamResults(examId);
  const exams = useExams({ enabled: isAdmin && !examId });
  const gold = useGoldItems(project.id, { enabled: isAdmin });
  const updateProject = useUpdateProject(project.id);
  const createExam = useCreateExam();
  const updateExam = useUpdateExam();
  const [mode, setMode] = useState<"view" | "create" | "edit">("view");
  const [form, setForm] = useState<ExamForm>(emptyExamForm);
  const [chosen, setChosen] = useState<number | "">("");
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState("");
  // Fields changed since the last answer: their old messages no longer apply.
  const [edited, setEdited] = useState<string[]>([]);
  const change = (name: string, next: Partial<ExamForm>) => {
    setForm({ ...form, ...next });
    if (!edited.includes(name)) setEdited([...edited, name]);
  };
  const fieldError = edited.length && error ? new ApiError(error.status, error.code, error.message, Object.fromEntries(Object.entries(error.fields).filter(([k]) => !edited.some((n) => k === n || k.startsWith(`${n}.`))))) : error;

  async function run(what: () => Promise<unknown>, message: string) {
    setError(null);
    setSaved("");
    setEdited([]);
    try {
      await what();
      setSaved(message);
      setMode("view");
    } catch (err) {
      setError(asApiError(err));
    }
  }

  const require = (id: number | null) => updateProject.mutateAsync({ required_exam_id: id });

  const editor = (
    <form
      className="exam-form"
      data-testid="exam-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (mode === "edit" && examId) {
          void run(() => updateExam.mutateAsync({ examId, body: examBody(form) }), t("exam.saved"));
        } else {
          void run(async () => {
            const created = await createExam.mutateAsync(examBody(form));
            await require(created.id);
          }, t("exam.created"));
        }
      }}
    >
      <h3>{mode === "edit" ? t("exam.editTitle") : t("exam.newTitle")}</h3>
      <label className="field">
        <span>{t("form.title")}</span>
        <input value={form.title} onChange={(e) => change("title", { title: e.target.value })} aria-label={t("exam.titleLabel")} />
        <FieldError error={fieldError} name="title" />
      </label>
      <label className="field">
        <span>{t("form.instructions")}</span>
        <textarea rows={3} value={form.instructions} onChange={(e) => change("instructions", { instructions: e.target.value })} aria-label={t("exam.instructionsLabel")} />
        <FieldError error={fieldError} name="instructions" />
      </label>
      <fieldset className="exam-items">
        <legend>{t("exam.items")}</legend>
        {gold.data && gold.data.length === 0 && <p className="muted small">{t("exam.noGold")}</p>}
        {(gold.data ?? []).map((g) => (
          <label key={g.item_id} className="check">
            <input type="checkbox" checked={form.itemIds.includes(g.item_id)} onChange={() => change("item_ids", { itemIds: toggleId(form.itemIds, g.item_id) })} />{" "}
            <code>{g.external_id}</code>
          </label>
        ))}
        <FieldError error={fieldError} name="item_ids" />
      </fieldset>
      <div className="row">
        <label className="field">
          <span>{t("exam.passMarkLabel")}</span>
          <input type="number" min={0} max={100} value={form.passMarkPercent} onChange={(e) => change("pass_mark", { passMarkPercent: e.target.value })} aria-label={t("exam.passMarkLabel")} />
          <FieldError error={fieldError} name="pass_mark" />
        </label>
        <label className="field">
          <span>{t("exam.retryDelayLabel")}</span>
          <input type="number" min={0} value={form.retryDelayHours} onChange={(e) => change("retry_delay_hours", { retryDelayHours: e.target.value })} aria-label={t("exam.retryDelayLabel")} />
          <FieldError error={fieldError} name="retry_delay_hours" />
        </label>
      </div>
      <div className="row">
        <button className="btn btn-primary">{mode === "edit" ? t("exam.save") : t("exam.create")}</button>
        <button type="button" className="btn" onClick={() => { setMode("view"); setError(null); }}>
          {t("exam.cancel")}
        </button>
      </div>
    </form>
  );

  const e = exam.data;
  const r = results.data;
  return (
    <section className="card" aria-labelledby="exam-panel-title" data-testid="exam-panel">
      <h2 id="exam-panel-title">{t("exam.title")}</h2>
      {saved && <p className="banner banner-ok" role="status">{saved}</p>}
      {examId && e && (
        <>
          <p>
            <Trans t={t} i18nKey="exam.required" values={{ title: e.title }} components={{ b: <strong /> }} />
          </p>
          <dl className="exam-facts">
            <div><dt>{t("exam.passMark")}</dt><dd>{t("exam.percent", { share: e.pass_mark })}</dd></div>
            <div><dt>{t("exam.retryDelay")}</dt><dd>{t("exam.hours", { hours: e.retry_delay_hours })}</dd></div>
            <div><dt>{t("detail.items.title")}</dt><dd>{count(e.item_count)}</dd></div>
            <div><dt>{t("exam.attempts")}</dt><dd>{r ? count(r.submitted) : "—"}</dd></div>
            <div><dt>{t("exam.passRate")}</dt><dd>{r?.pass_rate == null ? "—" : t("exam.percent", { share: r.pass_rate })}</dd></div>
            <div><dt>{t("exam.qualified")}</dt><dd>{r ? count(r.qualified_people) : "—"}</dd></div>
          </dl>
          {r && r.attempts.length > 0 && (
            <div className="exam-attempts-scroll">
              <table className="table" data-testid="exam-attempts">
                <thead>
                  <tr><th>{t("exam.column.freelancer")}</th><th>{t("exam.column.submitted")}</th><th className="num">{t("exam.column.score")}</th><th>{t("exam.column.outcome")}</th></tr>
                </thead>
                <tbody>
                  {r.attempts.slice(0, 8).map((a) => (
                    <tr key={a.id}>
                      <td>{a.freelancer}</td>
                      <td>{a.submitted_at ? dateTime(a.submitted_at) : t("exam.inProgress")}</td>
                      <td className="num">{a.score == null ? "—" : t("exam.percent", { share: a.score })}</td>
                      <td>{a.passed == null ? "—" : a.passed ? t("exam.passed") : t("exam.notPassed")}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {isAdmin && mode === "view" && (
            <div className="row">
              <button className="btn" onClick={() => { setForm(formFromExam(e)); setError(null); setMode("edit"); }}>{t("detail.edit")}</button>
              <button className="btn btn-danger-ghost" onClick={() => void run(() => require(null), t("exam.stopped"))}>{t("exam.stop")}</button>
            </div>
          )}
        </>
      )}
      {!examId && !isAdmin && <p className="muted">{t("exam.none")}</p>}
      {!examId && isAdmin && mode === "view" && (
        <>
          <h3>{t("exam.requireTitle")}</h3>
          <form
            className="row"
            onSubmit={(ev) => {
              ev.preventDefault();
              if (chosen !== "") void run(() => require(chosen), t("exam.requiredDone"));
            }}
          >
            <label className="field">
              <span>{t("exam.existing")}</span>
              <select value={chosen} onChange={(ev) => setChosen(ev.target.value ? Number(ev.target.value) : "")} aria-label={t("exam.existing")}>
                <option value="">{t("gold.choose")}</option>
                {(exams.data?.results ?? []).map((x) => (
                  <option key={x.id} value={x.id}>{t("exam.option", { title: x.title, count: x.item_count })}</option>
                ))}
              </select>
              <FieldError error={fieldError} name="required_exam_id" />
            </label>
            <button className="btn btn-primary" disabled={chosen === ""}>{t("exam.require")}</button>
            <button type="button" className="btn" onClick={() => { setForm(emptyExamForm); setError(null); setMode("create"); }}>
              {t("exam.newFromGold")}
            </button>
          </form>
        </>
      )}
      {isAdmin && mode !== "view" && editor}
      <ErrorBanner error={error && Object.keys(error.fields).length === 0 ? error : null} />
    </section>
  );
}
