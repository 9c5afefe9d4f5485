/** Admin payouts: each project's spend, payouts by state and rail, failed ones with retry, held methods to release. */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError } from "../api/client";
import type { HeldPayoutMethod, Payout } from "../api/types";
import { StackedBars } from "../components/Chart";
import { DataTable, type Column } from "../components/DataTable";
import { Badge, EmptyState, ErrorBanner, PageHeader, Pager, Tabs } from "../components/ui";
import { dateTime, fromMinor, money } from "../format";
import { useHeldPayoutMethods } from "../features/payouts/api/get-held-methods";
import { usePayoutOverview } from "../features/payouts/api/get-payout-overview";
import { onTheirWay, payoutRail, usePayouts } from "../features/payouts/api/get-payouts";
import { useReleasePayoutMethod } from "../features/payouts/api/release-method";
import { useRetryPayout } from "../features/payouts/api/retry-payout";
import { PayOutNowButton, PayOutNowMessage, usePayOutNow } from "../features/payouts/components/PayOutNow";

const STATES = ["", "requested", "sent", "confirmed", "failed", "returned"] as const;
type RailLabel = `payouts.rail.${"all" | "paypal" | "stripe" | "sandbox" | "http"}`;
const RAILS: readonly (readonly [string, RailLabel])[] = [
  ["", "payouts.rail.all"],
  ["paypal", "payouts.rail.paypal"],
  ["stripe", "payouts.rail.stripe"],
  ["sandbox", "payouts.rail.sandbox"],
];
export const RAIL_LABEL: Record<string, RailLabel> = {
  paypal: "payouts.rail.paypal",
  stripe: "payouts.rail.stripe",
  sandbox: "payouts.rail.sandbox",
  http: "payouts.rail.http",
};
/** A payout's state as people read it: the server's value, translated. */
type StateLabel = `payouts.state.${"all" | "requested" | "sent" | "confirmed" | "failed" | "returned"}`;
const STATE_LABEL: Record<(typeof STATES)[number], StateLabel> = {
  "": "payouts.state.all",
  requested: "payouts.state.requested",
  sent: "payouts.state.sent",
  confirmed: "payouts.state.confirmed",
  failed: "payouts.state.failed",
  returned: "payouts.state.returned",
};
const TONE_OF: Record<string, string> = { requested: "blue", sent: "amber", confirmed: "green", failed: "red", returned: "red" };

function isState(value: string): value is (typeof STATES)[number] {
  return (STATES as readonly string[]).includes(value);
}

function minor(amount: number, currency: string): string {
  return money(fromMinor(amount, currency));
}

export function PayoutsPage() {
  const { t } = useTranslation("org");
  const [state, setState] = useState<(typeof STATES)[number]>("");
  const [rail, setRail] = useState("");
  const [page, setPage] = useState(1);
  // After "Pay out now" the list and the overview poll while the round is followed (usePayOutNow).
  const payOutNow = usePayOutNow();
  const list = usePayouts({ page, state: state || null, rail: payoutRail(rail) }, { refetchInterval: (payouts) => payOutNow.follow(onTheirWay(payouts)) });
  const overview = usePayoutOverview({ refetchInterval: () => payOutNow.follow(onTheirWay(list.data)) });
  const held = useHeldPayoutMethods();
  const releaseMethod = useReleasePayoutMethod();
  const retryPayout = useRetryPayout();
  const [error, setError] = useState<ApiError | null>(null);
  const counts = overview.data?.counts ?? {};
  const total = Object.values(counts).reduce((a, b) => a + b, 0);

  function release(id: number) {
    setError(null);
    releaseMethod.mutate(id, { onError: setError });
  }

  function retry(id: number) {
    setError(null);
    retryPayout.mutate(id, { onError: setError });
  }

  const heldColumns: Column<HeldPayoutMethod>[] = [
    { header: t("payouts.held.freelancer"), cell: (m) => m.freelancer },
    {
      header: t("payouts.held.method"),
      cell: (m) => (
        <>
          {m.rail_label} <code className="break">{m.receiver}</code>
        </>
      ),
    },
    { header: t("payouts.held.name"), cell: (m) => m.account_name },
    { header: t("payouts.held.added"), cell: (m) => dateTime(m.created_at) },
    {
      header: "",
      cell: (m) => (
        <button className="btn" onClick={() => release(m.id)}>
          {t("payouts.held.release")}
        </button>
      ),
    },
  ];

  const payoutColumns: Column<Payout>[] = [
    { header: t("payouts.list.freelancer"), cell: (p) => p.freelancer },
    { header: t("payouts.list.amount"), num: true, cell: (p) => money(p.amount) },
    {
      header: t("payouts.list.state"),
      cell: (p) => (
        <>
          <Badge value={p.state} /> {p.failure_reason && <span className="warn-tag">{p.failure_reason}</span>}
        </>
      ),
    },
    {
      header: t("payouts.list.rail"),
      cell: (p) => {
        const label = RAIL_LABEL[p.provider];
        return label ? t(label) : p.provider;
      },
      td: (p) => ({ title: p.method || undefined }),
    },
    { header: t("payouts.list.reference"), cell: (p) => <code className="break">{p.provider_ref || "—"}</code> },
    { header: t("payouts.list.updated"), cell: (p) => dateTime(p.updated_at) },
    {
      header: "",
      cell: (p) =>
        p.state === "failed" && (
          <button className="btn" onClick={() => retry(p.id)}>
            {t("payouts.list.retry")}
          </button>
        ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t("payouts.title")}
        subtitle={t("payouts.subtitle")}
        actions={list.data && <PayOutNowButton busy={payOutNow.busy} onStart={payOutNow.start} />}
      />
      <ErrorBanner error={overview.error ?? error ?? payOutNow.error} />
      <PayOutNowMessage message={payOutNow.message} />
      <div className="grid-2">
        <section className="card">
          <h2>{t("payouts.spend.title")}</h2>
          {overview.data && overview.data.spend.length === 0 && <p className="muted">{t("payouts.spend.none")}</p>}
          <table className="table">
            <tbody>
              {overview.data?.spend.map((s) => (
                <tr key={`${s.project_id}-${s.currency}`}>
                  <td>{s.title}</td>
                  <td className="num">{minor(s.spent_minor, s.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="card">
          <h2>{t("payouts.byState.title")}</h2>
          {total > 0 ? (
            <StackedBars
              rows={[
                {
                  title: t("payouts.title"),
                  segments: Object.entries(counts).map(([k, v]) => ({
                    label: isState(k) ? t(STATE_LABEL[k]) : k,
                    value: v,
                    tone: TONE_OF[k] ?? "grey",
                  })),
                },
              ]}
            />
          ) : (
            <p className="muted">{list.error ? t("payouts.byState.operatorsOnly") : t("payouts.byState.none")}</p>
          )}
        </section>
      </div>
      {held.data && held.data.results.length > 0 && (
        <section className="card" data-testid="held-methods">
          <h2>{t("payouts.held.title")}</h2>
          <p className="muted">{t("payouts.held.intro")}</p>
          <DataTable stack rows={held.data.results} rowKey={(m) => m.id} columns={heldColumns} />
        </section>
      )}
      {!list.error && (
        <section className="card">
          <label className="field rail-filter">
            <span>{t("payouts.list.rail")}</span>
            <select value={rail} onChange={(e) => { setRail(e.target.value); setPage(1); }}>
              {RAILS.map(([value, label]) => (
                <option key={value || "all"} value={value}>
                  {t(label)}
                </option>
              ))}
            </select>
          </label>
          <Tabs
            label={t("payouts.list.state")}
            options={STATES}
            value={state}
            onChange={(s) => {
              setState(s);
              setPage(1);
            }}
            labelOf={(s) => t(STATE_LABEL[s])}
          />
          {list.data && (
            <DataTable
              stack
              rows={list.data.results}
              rowKey={(p) => p.id}
              columns={payoutColumns}
              empty={
                <EmptyState title={t("payouts.list.empty.title")} icon="◈">
                  {t("payouts.list.empty.body")}
                </EmptyState>
              }
            />
          )}
          {list.data && <Pager page={page} count={list.data.count} pageSize={25} onPage={setPage} />}
        </section>
      )}
    </>
  );
}
