/** The organization's audit log: every admin action, who did it, to what, and what changed. */
import { useCallback, useMemo } from "react";
import { Trans, useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { Link, useSearchParams } from "react-router";
import type { AuditEvent } from "../api/types";
import { DataTable, type Column } from "../components/DataTable";
import { EmptyState, ErrorBanner, Loading, PageHeader, Pager, Tabs } from "../components/ui";
import { dateTime, fromMinor, money } from "../format";
import { i18n } from "../i18n";
import { auditKind, useAuditLog } from "../features/audit/api/get-audit-log";
import { useShortcuts } from "../hooks";
import { describeActivity } from "./ProjectDetail";

const PAGE_SIZE = 25;

/** The filter tabs: the API's `kind`, and how it reads. */
type OrgT = TFunction<"org">;
const orgT = (): OrgT => i18n.getFixedT(null, "org");

/** The filter tabs: the API's `kind`, and the key of how it reads. */
export const KINDS: [string, `audit.kind.${"all" | "project" | "gold" | "dataset" | "contribution" | "webhook" | "token" | "payout"}`][] = [
  ["", "audit.kind.all"],
  ["project", "audit.kind.project"],
  ["gold", "audit.kind.gold"],
  ["dataset", "audit.kind.dataset"],
  ["contribution", "audit.kind.contribution"],
  ["webhook", "audit.kind.webhook"],
  ["token", "audit.kind.token"],
  ["payout", "audit.kind.payout"],
];

/** Each action's words, a verb phrase whose object is the row's object ("approved" Storyboards · item-001). */
const LABELS = {
  "dataset.created": "audit.action.dataset.created",
  "dataset.updated": "audit.action.dataset.updated",
  "dataset.version_requested": "audit.action.dataset.version_requested",
  "dataset.version_built": "audit.action.dataset.version_built",
  "dataset.version_cancelled": "audit.action.dataset.version_cancelled",
  "contribution.claimed": "audit.action.contribution.claimed",
  "contribution.submitted": "audit.action.contribution.submitted",
  "contribution.returned": "audit.action.contribution.returned",
  "contribution.lease_expired": "audit.action.contribution.lease_expired",
  "contribution.approve": "audit.action.contribution.approve",
  "contribution.reject": "audit.action.contribution.reject",
  "contribution.revise": "audit.action.contribution.revise",
  "contribution.disputed": "audit.action.contribution.disputed",
  "contribution.dispute_upheld": "audit.action.contribution.dispute_upheld",
  "contribution.dispute_overturned": "audit.action.contribution.dispute_overturned",
  "contribution.bonus": "audit.action.contribution.bonus",
  "webhook.created": "audit.action.webhook.created",
  "webhook.deleted": "audit.action.webhook.deleted",
  "webhook.tested": "audit.action.webhook.tested",
  "webhook.redelivered": "audit.action.webhook.redelivered",
  "token.created": "audit.action.token.created",
  "token.revoked": "audit.action.token.revoked",
  "payout.retried": "audit.action.payout.retried",
} as const;

function isLabelled(action: string): action is keyof typeof LABELS {
  return action in LABELS;
}

/** What an event says, in words: the project log's wording for project actions, and the details that matter. */
export function describeEvent(e: AuditEvent, t: OrgT = orgT()): string {
  const data = (e.details ?? {}) as Record<string, unknown>;
  if (e.action.startsWith("project.") || e.action.startsWith("gold.")) return describeActivity(e);
  // An action this console does not know yet reads as its own name ("something new thing").
  const label = isLabelled(e.action) ? t(LABELS[e.action]) : e.action.replace(".", " ").replaceAll("_", " ");
  if (e.action === "contribution.bonus" && typeof data.amount_minor === "number" && typeof data.currency === "string") {
    return t("audit.withDetail", { label, detail: money(fromMinor(data.amount_minor, data.currency)) });
  }
  if (e.action === "token.created" && Array.isArray(data.scopes)) return t("audit.withDetail", { label, detail: data.scopes.join(", ") });
  return label;
}

type Noun = `audit.object.${"project" | "dataset" | "contribution" | "webhook" | "token"}`;

/** Where the event's object lives in the console, when it has a page, and its name (or its kind and id, once gone). */
export function objectLink(
  e: Pick<AuditEvent, "target_type" | "target_id" | "target_label">,
  t: OrgT = orgT(),
): { to: string | null; label: string } {
  const id = e.target_id;
  const PAGES: Record<string, [string, Noun]> = {
    project: [`/projects/${id}`, "audit.object.project"],
    dataset: [`/datasets/${id}`, "audit.object.dataset"],
    contribution: [`/review/${id}`, "audit.object.contribution"],
    webhookendpoint: ["/settings/webhooks", "audit.object.webhook"],
    apitoken: ["/settings/tokens", "audit.object.token"],
  };
  const page = PAGES[e.target_type];
  const to = page ? page[0] : null;
  if (e.target_label) return { to, label: e.target_label };
  // Deleted since: no page to go to. A kind this console has no word for reads as the API names it.
  return { to: null, label: t("audit.object.gone", { noun: page ? t(page[1]) : e.target_type, id }) };
}

function ObjectLink({ to, label }: { to: string | null; label: string }) {
  return to ? <Link to={to}>{label}</Link> : <span className="muted">{label}</span>;
}

export function AuditPage() {
  const { t } = useTranslation("org");
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
    { header: t("audit.col.when"), cell: (e) => <time dateTime={e.created_at}>{dateTime(e.created_at)}</time>, td: () => ({ className: "nowrap" }) },
    {
      header: t("audit.col.who"),
      cell: ({ actor }) =>
        actor ? (
          <button className="link-button nowrap" title={t("audit.onlyThisPerson")} onClick={() => go({ actor: String(actor.id), page: 1 })}>
            {actor.name}
          </button>
        ) : (
          <span className="muted">{t("audit.system")}</span>
        ),
    },
    {
      header: t("audit.col.what"),
      cell: (e) => (
        <>
          {describeEvent(e, t)} <code className="muted small">{e.action}</code>
        </>
      ),
    },
    { header: t("audit.col.object"), cell: (e) => <ObjectLink {...objectLink(e, t)} /> },
  ];

  return (
    <>
      <PageHeader
        title={t("audit.title")}
        subtitle={t("audit.subtitle")}
      />
      <Tabs
        label={t("audit.kindLabel")}
        options={KINDS.map(([value]) => value)}
        value={kind}
        onChange={(value) => go({ kind: value, page: 1 })}
        labelOf={(value) => {
          const key = KINDS.find(([v]) => v === value)?.[1];
          return key ? t(key) : value;
        }}
      />
      {by && (
        <p className="small">
          <Trans t={t} i18nKey="audit.onlyOf" values={{ name: byName ?? t("audit.user", { id: by }) }} components={{ b: <strong /> }} />{" "}
          <button className="btn btn-ghost" onClick={() => go({ actor: null, page: 1 })}>
            {t("audit.showEveryone")}
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
            <EmptyState title={t("audit.empty.title")} icon="☰">
              {t("audit.empty.body")}
            </EmptyState>
          }
        />
      )}
      {log.data && <Pager page={page} count={log.data.count} pageSize={PAGE_SIZE} onPage={(n) => go({ page: n })} />}
      {log.data && pages > 1 && (
        <p className="muted small">
          <Trans t={t} i18nKey="audit.pagesHint" components={{ kbd: <kbd /> }} />
        </p>
      )}
    </>
  );
}
