/** The freelancer's money: balance, pending, paid out, and every movement with its reason; CSV statement. */
import type { TFunction } from "i18next";
import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { EarningLine, Payout } from "../api/types";
import { DataTable, type Column } from "../components/DataTable";
import { Badge, EmptyState, ErrorBanner, Fact, Facts, Loading, PageHeader, Pager } from "../components/ui";
import { dateTime, money } from "../format";
import { useEarningHistory } from "../features/earnings/api/get-earning-history";
import { useEarnings } from "../features/earnings/api/get-earnings";
import { useMyPayouts } from "../features/earnings/api/get-my-payouts";

type KindKey = `earnings.kind.${"earning" | "top_up" | "bonus" | "adjustment" | "reversal" | "payout"}`;

const KIND: Record<string, KindKey> = {
  earning: "earnings.kind.earning",
  top_up: "earnings.kind.top_up",
  bonus: "earnings.kind.bonus",
  adjustment: "earnings.kind.adjustment",
  reversal: "earnings.kind.reversal",
  payout: "earnings.kind.payout",
};

const payoutColumns = (t: TFunction<"freelancer">): Column<Payout>[] => [
  { header: t("earnings.payouts.date"), cell: (p) => dateTime(p.created_at) },
  { header: t("earnings.payouts.to"), cell: (p) => p.method || t("earnings.payouts.testPayouts") },
  {
    header: t("earnings.payouts.state"),
    cell: (p) => (
      <>
        <Badge value={p.state} /> {p.failure_reason && <span className="warn-tag">{p.failure_reason}</span>}
      </>
    ),
  },
  { header: t("earnings.payouts.reference"), cell: (p) => <code className="break">{p.provider_ref || "—"}</code> },
  {
    header: t("earnings.payouts.amount"),
    num: true,
    cell: (p) => (
      <>
        {money(p.amount)}
        {Number(p.fee.amount) > 0 && <small className="muted block">{t("earnings.payouts.fee", { fee: money(p.fee) })}</small>}
      </>
    ),
  },
];

const historyColumns = (t: TFunction<"freelancer">): Column<EarningLine>[] => [
  { header: t("earnings.history.date"), cell: (h) => dateTime(h.created_at) },
  {
    header: t("earnings.history.what"),
    cell: (h) => {
      const kind = KIND[h.kind];
      return kind ? t(kind) : h.kind;
    },
  },
  { header: t("earnings.history.why"), cell: (h) => h.memo },
  { header: t("earnings.history.amount"), num: true, cell: (h) => money(h.amount), td: (h) => ({ className: h.amount.amount.startsWith("-") ? "below" : "rate" }) },
];

/** Where the page leads: the payout methods, and the whole statement. */
function EarningsLinks() {
  const { t } = useTranslation("freelancer");
  return (
    <>
      <Link className="btn" to="/earnings/methods">
        {t("earnings.links.methods")}
      </Link>
      <a className="btn" href="/api/v1/me/earnings/statement.csv" download>
        {t("earnings.links.statement")}
      </a>
    </>
  );
}

export function EarningsPage() {
  const { t } = useTranslation("freelancer");
  const [page, setPage] = useState(1);
  const summary = useEarnings();
  const history = useEarningHistory(page);
  const payouts = useMyPayouts(10);
  const rows = summary.data?.currencies ?? [];
  return (
    <>
      <PageHeader title={t("earnings.title")} subtitle={t("earnings.subtitle")} actions={<EarningsLinks />} />
      <ErrorBanner error={summary.error ?? history.error} />
      {summary.isFetching && !summary.data && <Loading />}
      {summary.data && rows.length === 0 && (
        <EmptyState title={t("earnings.empty.title")} icon="◈">
          <Trans t={t} i18nKey="earnings.empty.body" components={{ a: <a href="/tasks" /> }} />
        </EmptyState>
      )}
      <div className="cards">
        {rows.map((r) => (
          <article className="card" key={r.currency}>
            <Facts>
              <Fact term={t("earnings.balance")} className="rate" testId={`balance-${r.currency}`}>
                {money(r.balance)}
              </Fact>
              <Fact term={t("earnings.pending")}>{money(r.pending)}</Fact>
              <Fact term={t("earnings.paidOut")}>{money(r.paid_out)}</Fact>
            </Facts>
          </article>
        ))}
      </div>
      {payouts.data && payouts.data.results.length > 0 && (
        <section className="card" data-testid="my-payouts">
          <h2>{t("earnings.payouts.title")}</h2>
          <DataTable stack rows={payouts.data.results} rowKey={(p) => p.id} columns={payoutColumns(t)} />
        </section>
      )}
      {history.data && history.data.results.length > 0 && (
        <section className="card">
          <h2>{t("earnings.history.title")}</h2>
          <DataTable stack rows={history.data.results} rowKey={(h) => h.id} columns={historyColumns(t)} />
          <Pager page={page} count={history.data.count} pageSize={25} onPage={setPage} />
        </section>
      )}
    </>
  );
}
