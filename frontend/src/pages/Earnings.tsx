/** The freelancer's money: balance, pending, paid out, and every movement with its reason; CSV statement. */
import { useState } from "react";
import { Link } from "react-router";
import { Badge, EmptyState, ErrorBanner, Loading, PageHeader, Pager } from "../components/ui";
import { dateTime, money } from "../format";
import { useEarningHistory } from "../features/earnings/api/get-earning-history";
import { useEarnings } from "../features/earnings/api/get-earnings";
import { useMyPayouts } from "../features/earnings/api/get-my-payouts";

const KIND: Record<string, string> = {
  earning: "Approved work",
  top_up: "Fair-pay top-up",
  bonus: "Bonus",
  adjustment: "Adjustment",
  reversal: "Reversal",
  payout: "Payout",
};

export function EarningsPage() {
  const [page, setPage] = useState(1);
  const summary = useEarnings();
  const history = useEarningHistory(page);
  const payouts = useMyPayouts(10);
  const rows = summary.data?.currencies ?? [];
  return (
    <>
      <PageHeader
        title="Earnings"
        subtitle="What you are owed, what is waiting for review, and every entry with its reason."
        actions={
          <>
            <Link className="btn" to="/earnings/methods">
              Payout methods
            </Link>
            <a className="btn" href="/api/v1/me/earnings/statement.csv" download>
              Statement (CSV)
            </a>
          </>
        }
      />
      <ErrorBanner error={summary.error ?? history.error} />
      {summary.isFetching && !summary.data && <Loading />}
      {summary.data && rows.length === 0 && (
        <EmptyState title="No earnings yet" icon="◈">
          Approved contributions are paid here, with the fair-pay top-up and the reason for every entry. Start a task from{" "}
          <a href="/tasks">Tasks</a>.
        </EmptyState>
      )}
      <div className="cards">
        {rows.map((r) => (
          <article className="card" key={r.currency}>
            <dl className="facts">
              <div>
                <dt>Balance</dt>
                <dd className="rate" data-testid={`balance-${r.currency}`}>{money(r.balance)}</dd>
              </div>
              <div>
                <dt>Waiting for review</dt>
                <dd>{money(r.pending)}</dd>
              </div>
              <div>
                <dt>Paid out</dt>
                <dd>{money(r.paid_out)}</dd>
              </div>
            </dl>
          </article>
        ))}
      </div>
      {payouts.data && payouts.data.results.length > 0 && (
        <section className="card" data-testid="my-payouts">
          <h2>Payouts</h2>
          <table className="table table-stack">
            <thead>
              <tr>
                <th>Date</th>
                <th>To</th>
                <th>State</th>
                <th>Reference</th>
                <th className="num">Amount</th>
              </tr>
            </thead>
            <tbody>
              {payouts.data.results.map((p) => (
                <tr key={p.id}>
                  <td data-label="Date">{dateTime(p.created_at)}</td>
                  <td data-label="To">{p.method || "Atelier's test payouts"}</td>
                  <td data-label="State">
                    <Badge value={p.state} /> {p.failure_reason && <span className="warn-tag">{p.failure_reason}</span>}
                  </td>
                  <td data-label="Reference">
                    <code className="break">{p.provider_ref || "—"}</code>
                  </td>
                  <td data-label="Amount" className="num">
                    {money(p.amount)}
                    {Number(p.fee.amount) > 0 && <small className="muted block">fee {money(p.fee)}</small>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {history.data && history.data.results.length > 0 && (
        <section className="card">
          <h2>History</h2>
          <table className="table table-stack">
            <thead>
              <tr>
                <th>Date</th>
                <th>What</th>
                <th>Why</th>
                <th className="num">Amount</th>
              </tr>
            </thead>
            <tbody>
              {history.data.results.map((h) => (
                <tr key={h.id}>
                  <td data-label="Date">{dateTime(h.created_at)}</td>
                  <td data-label="What">{KIND[h.kind] ?? h.kind}</td>
                  <td data-label="Why">{h.memo}</td>
                  <td data-label="Amount" className={`num ${h.amount.amount.startsWith("-") ? "below" : "rate"}`}>{money(h.amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={page} count={history.data.count} pageSize={25} onPage={setPage} />
        </section>
      )}
    </>
  );
}
