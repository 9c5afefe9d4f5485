/** A freelancer's portfolio: accepted work with its drafts, the datasets that hold it, credit and a public link. */
import type { TFunction } from "i18next";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import type { Portfolio } from "../api/types";
import { EmptyState, ErrorBanner, Loading, PageHeader } from "../components/ui";
import { date } from "../format";
import { i18n } from "../i18n";
import { useChangePortfolio, useMyPortfolio, usePublicPortfolio, type PortfolioChange } from "../features/portfolio/api/portfolio";
import { sourceLabel } from "../work/Drafts";

export function publicLink(origin: string, token: string | null | undefined): string | null {
  return token ? `${origin}/p/${token}` : null;
}

type DraftCredentials = Portfolio["contributions"][number]["drafts"][number]["credentials"];

/** What a file draft's Content Credentials (C2PA) state means to its creator (in the language the app shows: `t`,
 * by default the app's). */
export function credentialText(
  state: NonNullable<DraftCredentials>["state"],
  t: TFunction<"freelancer"> = i18n.getFixedT(null, "freelancer"),
): string {
  switch (state) {
    case "embedded":
      return t("portfolio.credentials.embedded");
    case "unsupported":
      return t("portfolio.credentials.unsupported");
    case "failed":
      return t("portfolio.credentials.failed");
    default:
      return t("portfolio.credentials.pending");
  }
}

function Credentials({ credentials }: { credentials: DraftCredentials }) {
  const { t } = useTranslation("freelancer");
  if (!credentials) return null;
  const text = credentialText(credentials.state, t);
  return (
    <p className="small credentials" data-state={credentials.state}>
      <span className={credentials.state === "embedded" ? "chip chip-ok" : "chip"} title={t("portfolio.credentials.chipTitle")}>
        CR
      </span>{" "}
      {credentials.download_url ? (
        <a href={credentials.download_url} download>
          {t("portfolio.credentials.download")}
        </a>
      ) : (
        <span className="muted">{text}</span>
      )}
    </p>
  );
}

function Work({ data }: { data: Portfolio }) {
  const { t } = useTranslation("freelancer");
  if (data.contributions.length === 0) return <EmptyState title={t("portfolio.work.empty.title")}>{t("portfolio.work.empty.body")}</EmptyState>;
  return (
    <>
      {data.contributions.map((w) => (
        <section className="card" key={w.id} aria-label={`${w.project_title} · ${w.item}`}>
          <h2>
            {w.project_title} <span className="muted small">{t("portfolio.work.approved", { item: w.item, when: date(w.approved_at) })}</span>
          </h2>
          <p className="intent">{w.intent}</p>
          <ol className="portfolio-drafts">
            {w.drafts.map((d) => (
              <li key={d.sequence}>
                <strong>{t("portfolio.work.draft", { sequence: d.sequence })}</strong> <span className="chip small">{sourceLabel(d.source_type)}</span> <span>{d.change_note}</span>
                {d.what_failed && <span className="small failed-note"> {t("portfolio.work.didNotWork", { what: d.what_failed })}</span>}
                {d.image_url ? (
                  <figure className="portfolio-image">
                    <img src={d.image_url} alt={t("portfolio.work.draftAlt", { sequence: d.sequence, excerpt: d.excerpt })} loading="lazy" />
                    <figcaption className="muted small">{d.excerpt}</figcaption>
                  </figure>
                ) : (
                  d.excerpt && <p className="muted small draft-excerpt">{d.excerpt}</p>
                )}
                <Credentials credentials={d.credentials} />
              </li>
            ))}
          </ol>
          {w.in_datasets.length > 0 && (
            <p className="muted small">{t("portfolio.work.inDatasets", { datasets: w.in_datasets.map((x) => t("portfolio.work.datasetVersion", { name: x.name, version: x.version })).join(", ") })}</p>
          )}
        </section>
      ))}
    </>
  );
}

export function PortfolioPage() {
  const { t } = useTranslation("freelancer");
  const mine = useMyPortfolio();
  const change = useChangePortfolio();
  const error = change.error;
  const [names, setNames] = useState<Record<number, string>>({});
  if (mine.error) return <ErrorBanner error={mine.error} />;
  if (!mine.data) return <Loading />;
  const data = mine.data;
  const link = publicLink(window.location.origin, data.public_token);

  const run = (what: PortfolioChange) => change.mutate(what);

  return (
    <>
      <PageHeader title={t("portfolio.title")} subtitle={t("portfolio.subtitle")} />
      <ErrorBanner error={error} />
      <div className="grid-2">
        <section className="card" aria-labelledby="share-title">
          <h2 id="share-title">{t("portfolio.share.title")}</h2>
          {link ? (
            <>
              <p>
                {t("portfolio.share.body")} <a href={link} data-testid="public-link">{link}</a>
              </p>
              <button className="btn" onClick={() => run({ public: false })}>
                {t("portfolio.share.makePrivate")}
              </button>
            </>
          ) : (
            <>
              <p className="muted">{t("portfolio.share.private")}</p>
              <button className="btn btn-primary" onClick={() => run({ public: true })}>
                {t("portfolio.share.makePublic")}
              </button>
            </>
          )}
        </section>
        <section className="card" aria-labelledby="credit-title">
          <h2 id="credit-title">{t("portfolio.credit.title")}</h2>
          {data.datasets.length === 0 && <p className="muted">{t("portfolio.credit.none")}</p>}
          {data.datasets.length > 0 && <p className="muted small">{t("portfolio.credit.hint")}</p>}
          {data.datasets.map((d) => (
            <div className="row" key={d.id}>
              <label className="field grow">
                <span>{d.name}</span>
                <input value={names[d.id] ?? d.credit_name ?? ""} placeholder={t("portfolio.credit.placeholder")} onChange={(e) => setNames({ ...names, [d.id]: e.target.value })} aria-label={t("portfolio.credit.label", { dataset: d.name })} />
              </label>
              <button className="btn gold-button" onClick={() => run({ datasetId: d.id, creditName: (names[d.id] ?? d.credit_name ?? "").trim() || null })}>
                {t("portfolio.credit.save")}
              </button>
            </div>
          ))}
        </section>
      </div>
      <Work data={data} />
    </>
  );
}

export function PublicPortfolioPage() {
  const { t } = useTranslation("freelancer");
  const { token } = useParams();
  const page = usePublicPortfolio(token ?? "");
  return (
    <main className="content public-page">
      {page.error && <ErrorBanner error={page.error} />}
      {!page.data && !page.error && <Loading />}
      {page.data && (
        <>
          <PageHeader title={page.data.name} subtitle={t("portfolio.public.subtitle")} />
          <Work data={page.data} />
        </>
      )}
    </main>
  );
}
