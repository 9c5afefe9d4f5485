import { useState } from "react";
import type { ApiError } from "../api/client";
import type { Item, Project } from "../api/types";
import { useCreateGoldItem } from "../features/projects/api/create-gold-item";
import { useGoldItems } from "../features/projects/api/get-gold-items";
import { useRemoveGoldItem } from "../features/projects/api/remove-gold-item";
import { useUpdateProject } from "../features/projects/api/update-project";
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
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState("");
  if (!fields.length) return null;
  const goldIds = new Set((gold.data ?? []).map((g) => g.item_id));

  async function run(what: () => Promise<unknown>, message: string) {
    setError(null);
    setSaved("");
    try {
      await what();
      setSaved(message);
    } catch (err) {
      setError(err as ApiError);
    }
  }

  function typedAnswers(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const f of fields) {
      const v = answers[f.key];
      if (v === undefined || v === "") continue;
      out[f.key] = f.type === "rating" ? Number(v) : v;
    }
    return out;
  }

  return (
    <section className="card" aria-labelledby="gold-title" data-testid="gold-panel">
      <h2 id="gold-title">Gold items</h2>
      <p className="muted small">
        Items whose answers you know. Claims serve them at the gold rate without telling the freelancer; each submission on one is scored against the known answers
        (ratings within one point), shown to the reviewer, and counted in the freelancer's reputation. Gold work is paid like any other.
      </p>
      {isAdmin && (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => updateProject.mutateAsync({ gold_rate: rate }), `Gold rate set to ${rate}%.`);
          }}
        >
          <label className="field">
            <span>Gold rate (% of claims)</span>
            <input type="number" min={0} max={50} value={rate} onChange={(e) => setRate(Number(e.target.value))} aria-label="Gold rate" />
          </label>
          <button className="btn gold-button">Save rate</button>
        </form>
      )}
      {!isAdmin && <p>Gold rate: <strong>{project.gold_rate}%</strong> of claims.</p>}
      <ErrorBanner error={error} />
      {saved && <p className="banner banner-ok" role="status">{saved}</p>}
      {gold.data && gold.data.length === 0 && <EmptyState title="No gold items yet">{isAdmin ? "Choose an item below and give its known answers." : "An admin can add them."}</EmptyState>}
      {gold.data && gold.data.length > 0 && (
        <table className="table" data-testid="gold-table">
          <thead>
            <tr>
              <th>Item</th>
              <th>Known answers</th>
              <th className="num">Served</th>
              <th className="num">Scored</th>
              <th style={{ width: "22%" }}>Mean match</th>
              {isAdmin && <th />}
            </tr>
          </thead>
          <tbody>
            {gold.data.map((g) => (
              <tr key={g.item_id}>
                <td>
                  <code>{g.external_id}</code>
                  {g.source_contribution_id && <span className="muted small"> from #{g.source_contribution_id}</span>}
                </td>
                <td>{answerText(g.answers)}</td>
                <td className="num">{g.served}</td>
                <td className="num">{g.checked}</td>
                <td>
                  {g.mean_score === null ? (
                    <span className="muted">—</span>
                  ) : (
                    <ProgressBar value={Math.round((g.mean_score ?? 0) * 100)} max={100} label={`Mean match on ${g.external_id}`} />
                  )}
                </td>
                {isAdmin && (
                  <td>
                    <button className="btn btn-danger-ghost" onClick={() => void run(() => removeGold.mutateAsync(g.item_id), `${g.external_id} is an ordinary item again.`)}>
                      Remove
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {isAdmin && (
        <form
          className="gold-form"
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              await createGold.mutateAsync({ ...(itemId === "" ? {} : { item_id: itemId }), answers: typedAnswers() });
              setAnswers({});
              setItemId("");
            }, "Gold item saved.");
          }}
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
