/** A freelancer's portfolio: accepted work with its drafts, the datasets that hold it, credit and a public link. */
import { useState } from "react";
import { useParams } from "react-router";
import type { Portfolio } from "../api/types";
import { EmptyState, ErrorBanner, Loading, PageHeader } from "../components/ui";
import { date } from "../format";
import { useChangePortfolio, useMyPortfolio, usePublicPortfolio, type PortfolioChange } from "../features/portfolio/api/portfolio";
import { sourceLabel } from "../work/Drafts";

export function publicLink(origin: string, token: string | null | undefined): string | null {
  return token ? `${origin}/p/${token}` : null;
}

type DraftCredentials = Portfolio["contributions"][number]["drafts"][number]["credentials"];

/** What a file draft's Content Credentials (C2PA) state means to its creator. */
export function credentialText(state: NonNullable<DraftCredentials>["state"]): string {
  switch (state) {
    case "embedded":
      return "Content Credentials embedded";
    case "unsupported":
      return "This format cannot carry Content Credentials; the signed manifest covers it";
    case "failed":
      return "Content Credentials could not be embedded; the signed manifest covers it";
    default:
      return "Content Credentials being added…";
  }
}

function Credentials({ credentials }: { credentials: DraftCredentials }) {
  if (!credentials) return null;
  const text = credentialText(credentials.state);
  return (
    <p className="small credentials" data-state={credentials.state}>
      <span className={credentials.state === "embedded" ? "chip chip-ok" : "chip"} title="C2PA: provenance carried inside the file">
        CR
      </span>{" "}
      {credentials.download_url ? (
        <a href={credentials.download_url} download>
          Download with Content Credentials
        </a>
      ) : (
        <span className="muted">{text}</span>
      )}
    </p>
  );
}

function Work({ data }: { data: Portfolio }) {
  if (data.contributions.length === 0) return <EmptyState title="No accepted work yet">Approved contributions appear here with every draft.</EmptyState>;
  return (
    <>
      {data.contributions.map((w) => (
        <section className="card" key={w.id} aria-label={`${w.project_title} · ${w.item}`}>
          <h2>
            {w.project_title} <span className="muted small">· {w.item} · approved {date(w.approved_at)}</span>
          </h2>
          <p className="intent">{w.intent}</p>
          <ol className="portfolio-drafts">
            {w.drafts.map((d) => (
              <li key={d.sequence}>
                <strong>Draft {d.sequence}</strong> <span className="chip small">{sourceLabel(d.source_type)}</span> <span>{d.change_note}</span>
                {d.what_failed && <span className="small failed-note"> Did not work: {d.what_failed}</span>}
                {d.image_url ? (
                  <figure className="portfolio-image">
                    <img src={d.image_url} alt={`Draft ${d.sequence}: ${d.excerpt}`} loading="lazy" />
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
            <p className="muted small">In {w.in_datasets.map((x) => `${x.name} v${x.version}`).join(", ")}</p>
          )}
        </section>
      ))}
    </>
  );
}

export function PortfolioPage() {
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
      <PageHeader title="Portfolio" subtitle="Your accepted work with every draft, and the datasets it went into." />
      <ErrorBanner error={error} />
      <div className="grid-2">
        <section className="card" aria-labelledby="share-title">
          <h2 id="share-title">Public link</h2>
          {link ? (
            <>
              <p>
                Anyone with this link sees your accepted work and drafts (image drafts as pictures without their metadata, never the
                projects' media): <a href={link} data-testid="public-link">{link}</a>
              </p>
              <button className="btn" onClick={() => run({ public: false })}>
                Make private
              </button>
            </>
          ) : (
            <>
              <p className="muted">Private. Make a link to share your work with clients; turning it off makes the link stop working.</p>
              <button className="btn btn-primary" onClick={() => run({ public: true })}>
                Make a public link
              </button>
            </>
          )}
        </section>
        <section className="card" aria-labelledby="credit-title">
          <h2 id="credit-title">Credit in data cards</h2>
          {data.datasets.length === 0 && <p className="muted">None of your work is in a dataset yet.</p>}
          {data.datasets.length > 0 && <p className="muted small">Pseudonymous unless you give a name: later versions' data cards then credit you by it.</p>}
          {data.datasets.map((d) => (
            <div className="row" key={d.id}>
              <label className="field grow">
                <span>{d.name}</span>
                <input value={names[d.id] ?? d.credit_name ?? ""} placeholder="stay pseudonymous" onChange={(e) => setNames({ ...names, [d.id]: e.target.value })} aria-label={`Credit name in ${d.name}`} />
              </label>
              <button className="btn gold-button" onClick={() => run({ datasetId: d.id, creditName: (names[d.id] ?? d.credit_name ?? "").trim() || null })}>
                Save
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
  const { token } = useParams();
  const page = usePublicPortfolio(token ?? "");
  return (
    <main className="content public-page">
      {page.error && <ErrorBanner error={page.error} />}
      {!page.data && !page.error && <Loading />}
      {page.data && (
        <>
          <PageHeader title={page.data.name} subtitle="Creative work made on Atelier, with the process behind it." />
          <Work data={page.data} />
        </>
      )}
    </main>
  );
}
