/** The organization's audit log: every admin action, who did it, to what, and what changed. */
import { useCallback, useMemo } from "react";
import { Link, useSearchParams } from "react-router";
import type { AuditEvent } from "../api/types";
import { DataTable, type Column } from "../components/DataTable";
import { EmptyState, ErrorBanner, Loading, PageHeader, Pager, Tabs } from "../components/ui";
import { dateTime, fromMinor, money } from "../format";
import { auditKind, useAuditLog } from "../features/audit/api/get-audit-log";
import { useShortcuts } from "../hooks";
import { describeActivity } from "./ProjectDetail";

const PAGE_SIZE = 25;

/** The filter tabs: the API's `kind`, and how it reads. */
export const KINDS: [string, string][] = [
  ["", "all"],
  ["project", "projects"],
  ["gold", "gold items"],
  ["dataset", "datasets"],
  ["contribution", "work"],
  ["webhook", "webhooks"],
  ["token", "API tokens"],
  ["payout", "payouts"],
];

const LABELS: Record<string, string> = {
  "dataset.created": "created the dataset",
  "dataset.updated": "changed the dataset",
  "dataset.version_requested": "asked for a new version of the dataset",
  "dataset.version_built": "finished building a version of the dataset",
  "dataset.version_cancelled": "cancelled a version of the dataset",
  "contribution.claimed": "claimed",
  "contribution.submitted": "submitted",
  "contribution.returned": "gave back",
  "contribution.lease_expired": "let the lease run out on",
  "contribution.approve": "approved",
  "contribution.reject": "rejected",
  "contribution.revise": "asked for a revision of",
  "contribution.disputed": "disputed the decision on",
  "contribution.dispute_upheld": "upheld the decision on",
  "contribution.dispute_overturned": "overturned the decision on",
  "contribution.bonus": "paid a bonus on",
  "webhook.created": "added the webhook",
  "webhook.deleted": "deleted the webhook",
  "webhook.tested": "sent a test ping to the webhook",
  "webhook.redelivered": "sent a delivery again to the webhook",
  "token.created": "created the API token",
  "token.revoked": "revoked the API token",
  "payout.retried": "retried a failed payout as",
};

/** What an event says, in words: the project log's wording for project actions, and the details that matter. */
export function describeEvent(e: AuditEvent): string {
  const data = (e.details ?? {}) as Record<string, unknown>;
  if (e.action.startsWith("project.") || e.action.startsWith("gold.")) return describeActivity(e);
  const label = LABELS[e.action] ?? e.action.replace(".", " ").replaceAll("_", " ");
  if (e.action === "contribution.bonus" && typeof data.amount_minor === "number" && typeof data.currency === "string") {
    return `${label} (${money(fromMinor(data.amount_minor, data.currency))})`;
  }
  if (e.action === "token.created" && Array.isArray(data.scopes)) return `${label} (${data.scopes.join(", ")})`;
  return label;
}

/** Where the event's object lives in the console, when it has a page, and its name (or its kind and id, once gone). */
export function objectLink(e: Pick<AuditEvent, "target_type" | "target_id" | "target_label">): { to: string | null; label: string } {
  const id = e.target_id;
  const PAGES: Record<string, [string, string]> = {
    project: [`/projects/${id}`, "project"],
    dataset: [`/datasets/${id}`, "dataset"],
    contribution: [`/review/${id}`, "contribution"],
    webhookendpoint: ["/settings/webhooks", "webhook"],
    apitoken: ["/settings/tokens", "API token"],
  };
  const [to, noun] = PAGES[e.target_type] ?? [null, e.target_type];
  if (e.target_label) return { to, label: e.target_label };
  return { to: null, label: `${noun} #${id}` }; // deleted since: no page to go to
}

function ObjectLink({ to, label }: { to: string | null; label: string }) {
  return to ? <Link to={to}>{label}</Link> : <span className="muted">{label}</span>;
}

export function AuditPage() {
  const [params, setParams] = useSearchParams();
  const kind = params.get("kind") ?? "";
  const by = params.get("actor");
  const page = Number(params.get("page") ?? "1") || 1;

  const go = useCallback(
    (next: { kind?: string; actor?: string | null; page?: number }) => {
      const p = new URLSearchParams();
      const k = next.kind ?? kind;
      const a = next.actor === undefined ? by : next.actor;
      if (k) p.set("kind", k);
      if (a) p.set("actor", a);
      if (next.page && next.page > 1) p.set("page", String(next.page));
      setParams(p);
    },
    [kind, by, setParams],
  );

  const actor = by && /^\d+$/.test(by) ? Number(by) : null;
  const log = useAuditLog({ page, pageSize: PAGE_SIZE, kind: auditKind(kind), actor });
  const byName = log.data?.results.find((e) => String(e.actor?.id) === by)?.actor?.name;

  const pages = log.data ? Math.max(1, Math.ceil(log.data.count / PAGE_SIZE)) : 1;
  useShortcuts(
    useMemo(
      () => ({
        "[": () => page > 1 && go({ page: page - 1 }),
        "]": () => page < pages && go({ page: page + 1 }),
      }),
      [page, pages, go],
    ),
  );

  const columns: Column<AuditEvent>[] = [
    { header: "When", cell: (e) => <time dateTime={e.created_at}>{dateTime(e.created_at)}</time>, td: () => ({ className: "nowrap" }) },
    {
      header: "Who",
      cell: ({ actor }) =>
        actor ? (
          <button className="link-button nowrap" title="Only this person's actions" onClick={() => go({ actor: String(actor.id), page: 1 })}>
            {actor.name}
          </button>
        ) : (
          <span className="muted">Atelier</span>
        ),
    },
    {
      header: "What",
      cell: (e) => (
        <>
          {describeEvent(e)} <code className="muted small">{e.action}</code>
        </>
      ),
    },
    { header: "Object", cell: (e) => <ObjectLink {...objectLink(e)} /> },
  ];

  return (
    <>
      <PageHeader
        title="Audit log"
        subtitle="Every admin action in your organization, and what freelancers did on its projects: who, what, to which object, when."
      />
      <Tabs
        label="Kind of action"
        options={KINDS.map(([value]) => value)}
        value={kind}
        onChange={(value) => go({ kind: value, page: 1 })}
        labelOf={(value) => KINDS.find(([v]) => v === value)?.[1]}
      />
      {by && (
        <p className="small">
          Only the actions of <strong>{byName ?? `user #${by}`}</strong>{" "}
          <button className="btn btn-ghost" onClick={() => go({ actor: null, page: 1 })}>
            Show everyone's ×
          </button>
        </p>
      )}
      <ErrorBanner error={log.error} />
      {log.isFetching && !log.data && <Loading />}
      {log.data && (
        <DataTable
          stack
          className="audit"
          rows={log.data.results}
          rowKey={(e) => e.id}
          columns={columns}
          empty={
            <EmptyState title="Nothing recorded here" icon="☰">
              Creating and publishing projects, reviews, bonuses, datasets, tokens and webhooks all leave an entry.
            </EmptyState>
          }
        />
      )}
      {log.data && <Pager page={page} count={log.data.count} pageSize={PAGE_SIZE} onPage={(n) => go({ page: n })} />}
      {log.data && pages > 1 && (
        <p className="muted small">
          <kbd>[</kbd> and <kbd>]</kbd> turn the pages.
        </p>
      )}
    </>
  );
}
