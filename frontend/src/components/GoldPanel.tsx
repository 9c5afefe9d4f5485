import { useState } from "react";
import { asApiError } from "../api/client";
import type { GoldItem, Item, Project } from "../api/types";
import { useCreateGoldItem } from "../features/projects/api/create-gold-item";
import { useGoldItems } from "../features/projects/api/get-gold-items";
import { useRemoveGoldItem } from "../features/projects/api/remove-gold-item";
import { useUpdateProject } from "../features/projects/api/update-project";
import { useSubmission } from "../hooks";
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
      header: "Item",
      cell: (g) => (
        <>
          <code>{g.external_id}</code>
          {g.source_contribution_id && <span className="muted small"> from #{g.source_contribution_id}</span>}
        </>
      ),
    },
    { header: "Known answers", cell: (g) => answerText(g.answers) },
    { header: "Served", num: true, cell: (g) => g.served },
    { header: "Scored", num: true, cell: (g) => g.checked },
    {
      header: "Mean match",
      width: "22%",
      cell: (g) =>
        g.mean_score === null ? (
          <span className="muted">—</span>
        ) : (
          <ProgressBar value={Math.round((g.mean_score ?? 0) * 100)} max={100} label={`Mean match on ${g.external_id}`} />
        ),
    },
    ...(isAdmin
      ? [
          {
            header: "",
            cell: (g: GoldItem) => (
              <button className="btn btn-danger-ghost" onClick={() => void run(() => removeGold.mutateAsync(g.item_id), `${g.external_id} is an ordinary item again.`)}>
                Remove
              </button>
            ),
          },
        ]
      : []),
  ];

  return (
    <section className="card" aria-labelledby="gold-title" data-testid="gold-panel">
      <h2 id="gold-title">Gold items</h2>
      <p className="muted small">
        Items whose answers you know. Claims serve them at the gold rate without telling the freelancer; each submission on one is scored against the known answers
        (ratings within one point), shown to the reviewer, and counted in the freelancer's reputation. Gold work is paid like any other.
      </p>
      {isAdmin && (
        <form className="row" onSubmit={change.onSubmit(() => run(() => updateProject.mutateAsync({ gold_rate: rate }), `Gold rate set to ${rate}%.`))}>
          <label className="field">
            <span>Gold rate (% of claims)</span>
            <input type="number" min={0} max={50} value={rate} onChange={(e) => setRate(Number(e.target.value))} aria-label="Gold rate" />
          </label>
          <button className="btn gold-button">Save rate</button>
        </form>
      )}
      {!isAdmin && <p>Gold rate: <strong>{project.gold_rate}%</strong> of claims.</p>}
      <ErrorBanner error={change.error} />
      {change.done && <p className="banner banner-ok" role="status">{change.done}</p>}
      {gold.data && gold.data.length === 0 && <EmptyState title="No gold items yet">{isAdmin ? "Choose an item below and give its known answers." : "An admin can add them."}</EmptyState>}
      {gold.data && gold.data.length > 0 && <DataTable testId="gold-table" rows={gold.data} rowKey={(g) => g.item_id} columns={columns} />}
      {isAdmin && (
        <form
          className="gold-form"
          onSubmit={change.onSubmit(async () => {
            await createGold.mutateAsync({ ...(itemId === "" ? {} : { item_id: itemId }), answers: typedAnswers() });
            setAnswers({});
            setItemId("");
            return "Gold item saved.";
          })}
        >
          <h3>Add a gold item</h3>
          <div className="row">
            <label className="field">
              <span>Item</span>
              <select value={itemId} onChange={(e) => setItemId(e.target.value ? Number(e.target.value) : "")} aria-label="Gold item">
                <option value="">Choose…</option>
                {items.map((it) => (
                  <option key={it.id} value={it.id}>
                    {it.external_id}
                    {goldIds.has(it.id) ? " (gold: replace answers)" : ""}
                  </option>
                ))}
              </select>
            </label>
            {fields.map((f) => (
              <label key={f.key} className="field">
                <span>{f.label}</span>
                {f.type === "choice" ? (
                  <select value={answers[f.key] ?? ""} onChange={(e) => setAnswers({ ...answers, [f.key]: e.target.value })} aria-label={`Known ${f.label}`}>
                    <option value="">not checked</option>
                    {(f.options ?? []).map((o) => (
                      <option key={o}>{o}</option>
                    ))}
                  </select>
                ) : (
                  <input
                    type="number"
                    min={f.min ?? 1}
                    max={f.max ?? 5}
                    placeholder="not checked"
                    value={answers[f.key] ?? ""}
                    onChange={(e) => setAnswers({ ...answers, [f.key]: e.target.value })}
                    aria-label={`Known ${f.label}`}
                  />
                )}
              </label>
            ))}
            <button className="btn btn-primary gold-button" disabled={itemId === ""}>
              Make gold
            </button>
          </div>
          <p className="muted small">Items of this page of the list are offered. Approved work can also become gold from the review page.</p>
        </form>
      )}
    </section>
  );
}
