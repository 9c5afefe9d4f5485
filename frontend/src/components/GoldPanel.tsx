import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { asApiError } from "../api/client";
import type { GoldItem, Item, Project } from "../api/types";
import { useCreateGoldItem } from "../features/projects/api/create-gold-item";
import { useGoldItems } from "../features/projects/api/get-gold-items";
import { useRemoveGoldItem } from "../features/projects/api/remove-gold-item";
import { useUpdateProject } from "../features/projects/api/update-project";
import { useSubmission } from "../hooks";
import { count } from "../format";
import { DataTable, type Column } from "./DataTable";
import { EmptyState, ErrorBanner, ProgressBar } from "./ui";

type SpecField = { key: string; type: string; label: string; options?: string[]; multiple?: boolean; min?: number; max?: number };

/** The fields a gold answer can be checked on: ratings and single choices. */
export function comparableFields(project: { output_spec: unknown }): SpecField[] {
  const fields = (project.output_spec as { fields?: SpecField[] }).fields ?? [];
  return fields.filter((f) => f.type === "rating" || (f.type === "choice" && !f.multiple));
}

export function answerText(answers: unknown): string {
  return Object.entries((answers ?? {}) as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(", ") : String(v)}`)
    .join(" · ");
}

/** Gold items: known answers mixed into the stream at the project's rate, and how freelancers did on them. Each change
 * fetches the project page again (its gold items, the project, its progress). */
export function GoldPanel({ project, items, isAdmin }: { project: Project; items: Item[]; isAdmin: boolean }) {
  const { t } = useTranslation("projects");
  const gold = useGoldItems(project.id);
  const updateProject = useUpdateProject(project.id);
  const createGold = useCreateGoldItem(project.id);
  const removeGold = useRemoveGoldItem(project.id);
  const fields = comparableFields(project);
  const [rate, setRate] = useState(project.gold_rate);
  const [itemId, setItemId] = useState<number | "">("");
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const change = useSubmission(asApiError);
  if (!fields.length) return null;
  const goldIds = new Set((gold.data ?? []).map((g) => g.item_id));

  /** Make a change, then say what it did. */
  const run = (what: () => Promise<unknown>, message: string) =>
    change.run(async () => {
      await what();
      return message;
    });

  function typedAnswers(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const f of fields) {
      const v = answers[f.key];
      if (v === undefined || v === "") continue;
      out[f.key] = f.type === "rating" ? Number(v) : v;
    }
    return out;
  }

  const columns: Column<GoldItem>[] = [
    {
      header: t("gold.column.item"),
      cell: (g) => (
        <>
          <code>{g.external_id}</code>
          {g.source_contribution_id && <span className="muted small"> {t("gold.fromContribution", { id: g.source_contribution_id })}</span>}
        </>
      ),
    },
    { header: t("gold.column.answers"), cell: (g) => answerText(g.answers) },
    { header: t("gold.column.served"), num: true, cell: (g) => count(g.served) },
    { header: t("gold.column.scored"), num: true, cell: (g) => count(g.checked) },
    {
      header: t("gold.column.match"),
      width: "22%",
      cell: (g) =>
        g.mean_score === null ? (
          <span className="muted">—</span>
        ) : (
          <ProgressBar value={Math.round((g.mean_score ?? 0) * 100)} max={100} label={t("gold.matchOn", { item: g.external_id })} />
        ),
    },
    ...(isAdmin
      ? [
          {
            header: "",
            cell: (g: GoldItem) => (
              <button className="btn btn-danger-ghost" onClick={() => void run(() => removeGold.mutateAsync(g.item_id), t("gold.removed", { item: g.external_id }))}>
                {t("gold.remove")}
              </button>
            ),
          },
        ]
      : []),
  ];

  return (
    <section className="card" aria-labelledby="gold-title" data-testid="gold-panel">
      <h2 id="gold-title">{t("gold.title")}</h2>
      <p className="muted small">{t("gold.help")}</p>
      {isAdmin && (
        <form className="row" onSubmit={change.onSubmit(() => run(() => updateProject.mutateAsync({ gold_rate: rate }), t("gold.rateSet", { rate })))}>
          <label className="field">
            <span>{t("gold.rateLabel")}</span>
            <input type="number" min={0} max={50} value={rate} onChange={(e) => setRate(Number(e.target.value))} aria-label={t("gold.rate")} />
          </label>
          <button className="btn gold-button">{t("gold.saveRate")}</button>
        </form>
      )}
      {!isAdmin && (
        <p>
          <Trans t={t} i18nKey="gold.rateShown" values={{ rate: project.gold_rate }} components={{ b: <strong /> }} />
        </p>
      )}
      <ErrorBanner error={change.error} />
      {change.done && <p className="banner banner-ok" role="status">{change.done}</p>}
      {gold.data && gold.data.length === 0 && <EmptyState title={t("gold.empty.title")}>{isAdmin ? t("gold.empty.admin") : t("gold.empty.reviewer")}</EmptyState>}
      {gold.data && gold.data.length > 0 && <DataTable testId="gold-table" rows={gold.data} rowKey={(g) => g.item_id} columns={columns} />}
      {isAdmin && (
        <form
          className="gold-form"
          onSubmit={change.onSubmit(async () => {
            await createGold.mutateAsync({ ...(itemId === "" ? {} : { item_id: itemId }), answers: typedAnswers() });
            setAnswers({});
            setItemId("");
            return t("gold.saved");
          })}
        >
          <h3>{t("gold.add")}</h3>
          <div className="row">
            <label className="field">
              <span>{t("gold.column.item")}</span>
              <select value={itemId} onChange={(e) => setItemId(e.target.value ? Number(e.target.value) : "")} aria-label={t("gold.item")}>
                <option value="">{t("gold.choose")}</option>
                {items.map((it) => (
                  <option key={it.id} value={it.id}>
                    {it.external_id}
                    {goldIds.has(it.id) ? ` ${t("gold.replace")}` : ""}
                  </option>
                ))}
              </select>
            </label>
            {fields.map((f) => (
              <label key={f.key} className="field">
                <span>{f.label}</span>
                {f.type === "choice" ? (
                  <select value={answers[f.key] ?? ""} onChange={(e) => setAnswers({ ...answers, [f.key]: e.target.value })} aria-label={t("gold.known", { label: f.label })}>
                    <option value="">{t("gold.notChecked")}</option>
                    {(f.options ?? []).map((o) => (
                      <option key={o}>{o}</option>
                    ))}
                  </select>
                ) : (
                  <input
                    type="number"
                    min={f.min ?? 1}
                    max={f.max ?? 5}
                    placeholder={t("gold.notChecked")}
                    value={answers[f.key] ?? ""}
                    onChange={(e) => setAnswers({ ...answers, [f.key]: e.target.value })}
                    aria-label={t("gold.known", { label: f.label })}
                  />
                )}
              </label>
            ))}
            <button className="btn btn-primary gold-button" disabled={itemId === ""}>
              {t("gold.make")}
            </button>
          </div>
          <p className="muted small">{t("gold.offered")}</p>
        </form>
      )}
    </section>
  );
}
