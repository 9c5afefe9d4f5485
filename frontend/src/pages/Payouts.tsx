/** Admin payouts: each project's spend, payouts by state and rail, failed ones with retry, held methods to release. */
import { useState } from "react";
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
const RAILS = [
  ["", "All rails"],
  ["paypal", "PayPal"],
  ["stripe", "Stripe"],
  ["sandbox", "Sandbox"],
] as const;
export const RAIL_LABEL: Record<string, string> = { paypal: "PayPal", stripe: "Stripe", sandbox: "Sandbox", http: "HTTP provider" };
const TONE_OF: Record<string, string> = { requested: "blue", sent: "amber", confirmed: "green", failed: "red", returned: "red" };

function minor(amount: number, currency: string): string {
  return money(fromMinor(amount, currency));
}

export function PayoutsPage() {
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
    { header: "Freelancer", cell: (m) => m.freelancer },
    {
      header: "Method",
      cell: (m) => (
        <>
          {m.rail_label} <code className="break">{m.receiver}</code>
        </>
      ),
    },
    { header: "Name on it", cell: (m) => m.account_name },
    { header: "Added", cell: (m) => dateTime(m.created_at) },
    {
      header: "",
      cell: (m) => (
        <button className="btn" onClick={() => release(m.id)}>
          Release
        </button>
      ),
    },
  ];

  const payoutColumns: Column<Payout>[] = [
    { header: "Freelancer", cell: (p) => p.freelancer },
    { header: "Amount", num: true, cell: (p) => money(p.amount) },
    {
      header: "State",
      cell: (p) => (
        <>
          <Badge value={p.state} /> {p.failure_reason && <span className="warn-tag">{p.failure_reason}</span>}
        </>
      ),
    },
    { header: "Rail", cell: (p) => RAIL_LABEL[p.provider] ?? p.provider, td: (p) => ({ title: p.method || undefined }) },
    { header: "Rail's reference", cell: (p) => <code className="break">{p.provider_ref || "—"}</code> },
    { header: "Updated", cell: (p) => dateTime(p.updated_at) },
    { header: "", cell: (p) => p.state === "failed" && <button className="btn" onClick={() => retry(p.id)}>Retry</button> },
  ];

  return (
    <>
      <PageHeader
        title="Payouts"
        subtitle="What each project has spent, and every payout through its rail."
        actions={list.data && <PayOutNowButton busy={payOutNow.busy} onStart={payOutNow.start} />}
      />
      <ErrorBanner error={overview.error ?? error ?? payOutNow.error} />
      <PayOutNowMessage message={payOutNow.message} />
      <div className="grid-2">
        <section className="card">
          <h2>Spend by project</h2>
          {overview.data && overview.data.spend.length === 0 && <p className="muted">No approved work has been paid yet.</p>}
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
          <h2>Payouts by state</h2>
          {total > 0 ? (
            <StackedBars
              rows={[
                {
                  title: "Payouts",
                  segments: Object.entries(counts).map(([k, v]) => ({ label: k, value: v, tone: TONE_OF[k] ?? "grey" })),
                },
              ]}
            />
          ) : (
            <p className="muted">{list.error ? "Payouts are visible to the platform's operators." : "No payouts yet."}</p>
          )}
        </section>
      </div>
      {held.data && held.data.results.length > 0 && (
        <section className="card" data-testid="held-methods">
          <h2>Payout methods held for a name check</h2>
          <p className="muted">The name on these differs from the freelancer's profile. Nothing is paid to them until you release them.</p>
          <DataTable stack rows={held.data.results} rowKey={(m) => m.id} columns={heldColumns} />
        </section>
      )}
      {!list.error && (
        <section className="card">
          <label className="field rail-filter">
            <span>Rail</span>
            <select value={rail} onChange={(e) => { setRail(e.target.value); setPage(1); }}>
              {RAILS.map(([value, label]) => (
                <option key={value || "all"} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <Tabs
            label="State"
            options={STATES}
            value={state}
            onChange={(s) => {
              setState(s);
              setPage(1);
            }}
            labelOf={(s) => s || "all"}
          />
          {list.data && (
            <DataTable
              stack
              rows={list.data.results}
              rowKey={(p) => p.id}
              columns={payoutColumns}
              empty={<EmptyState title="No payouts here" icon="◈">Balances over the minimum are paid out every hour.</EmptyState>}
            />
          )}
          {list.data && <Pager page={page} count={list.data.count} pageSize={25} onPage={setPage} />}
        </section>
      )}
    </>
  );
}
