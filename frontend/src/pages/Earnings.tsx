/** The freelancer's money: balance, pending, paid out, and every movement with its reason; CSV statement. */
import { useState } from "react";
import { Link } from "react-router";
import type { EarningLine, Payout } from "../api/types";
import { DataTable, type Column } from "../components/DataTable";
import { Badge, EmptyState, ErrorBanner, Fact, Facts, Loading, PageHeader, Pager } from "../components/ui";
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

const PAYOUT_COLUMNS: Column<Payout>[] = [
  { header: "Date", cell: (p) => dateTime(p.created_at) },
  { header: "To", cell: (p) => p.method || "Atelier's test payouts" },
  {
    header: "State",
    cell: (p) => (
      <>
        <Badge value={p.state} /> {p.failure_reason && <span className="warn-tag">{p.failure_reason}</span>}
      </>
    ),
  },
  { header: "Reference", cell: (p) => <code className="break">{p.provider_ref || "—"}</code> },
  {
    header: "Amount",
    num: true,
    cell: (p) => (
      <>
        {money(p.amount)}
        {Number(p.fee.amount) > 0 && <small className="muted block">fee {money(p.fee)}</small>}
      </>
    ),
  },
];

const HISTORY_COLUMNS: Column<EarningLine>[] = [
  { header: "Date", cell: (h) => dateTime(h.created_at) },
  { header: "What", cell: (h) => KIND[h.kind] ?? h.kind },
  { header: "Why", cell: (h) => h.memo },
  { header: "Amount", num: true, cell: (h) => money(h.amount), td: (h) => ({ className: h.amount.amount.startsWith("-") ? "below" : "rate" }) },
];

/** Where the page leads: the payout methods, and the whole statement. */
function EarningsLinks() {
  return (
    <>
      <Link className="btn" to="/earnings/methods">
        Payout methods
      </Link>
      <a className="btn" href="/api/v1/me/earnings/statement.csv" download>
        Statement (CSV)
      </a>
    </>
  );
}

export function EarningsPage() {
  const [page, setPage] = useState(1);
  const summary = useEarnings();
  const history = useEarningHistory(page);
  const payouts = useMyPayouts(10);
  const rows = summary.data?.currencies ?? [];
  return (
    <>
      <PageHeader title="Earnings" subtitle="What you are owed, what is waiting for review, and every entry with its reason." actions={<EarningsLinks />} />
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
            <Facts>
              <Fact term="Balance" className="rate" testId={`balance-${r.currency}`}>
                {money(r.balance)}
              </Fact>
              <Fact term="Waiting for review">{money(r.pending)}</Fact>
              <Fact term="Paid out">{money(r.paid_out)}</Fact>
            </Facts>
          </article>
        ))}
      </div>
      {payouts.data && payouts.data.results.length > 0 && (
        <section className="card" data-testid="my-payouts">
          <h2>Payouts</h2>
          <DataTable stack rows={payouts.data.results} rowKey={(p) => p.id} columns={PAYOUT_COLUMNS} />
        </section>
      )}
      {history.data && history.data.results.length > 0 && (
        <section className="card">
          <h2>History</h2>
          <DataTable stack rows={history.data.results} rowKey={(h) => h.id} columns={HISTORY_COLUMNS} />
          <Pager page={page} count={history.data.count} pageSize={25} onPage={setPage} />
        </section>
      )}
    </>
  );
}
