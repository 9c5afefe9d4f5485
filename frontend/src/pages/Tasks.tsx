import type { Paginated, Project } from "../api/types";
import { EmptyState, ErrorBanner, Loading, PageHeader } from "../components/ui";
import { minutes, money, perHour } from "../format";
import { useApi } from "../hooks";

export function TasksPage() {
  const { data, error, loading } = useApi<Paginated<Project>>("/api/v1/projects?page_size=50");
  return (
    <>
      <PageHeader title="Tasks" subtitle="Paid creative work you can start now. Every project shows its effective hourly rate." />
      <ErrorBanner error={error} />
      {loading && <Loading />}
      {data && data.results.length === 0 && (
        <EmptyState title="No open work right now">New projects appear here as soon as they are published.</EmptyState>
      )}
      <div className="cards">
        {data?.results.map((p) => (
          <article className="card task-card" key={p.id}>
            <div className="card-top">
              <h2>{p.title}</h2>
              <div className="chips">
                {p.modalities.map((m) => (
                  <span className="chip" key={m}>
                    {m}
                  </span>
                ))}
              </div>
            </div>
            <div className="brief" dangerouslySetInnerHTML={{ __html: p.brief_html }} />
            <dl className="facts">
              <div>
                <dt>Pay</dt>
                <dd>{money(p.pay)}</dd>
              </div>
              <div>
                <dt>Estimate</dt>
                <dd>{minutes(p.estimated_minutes)}</dd>
              </div>
              <div>
                <dt>Effective rate</dt>
                <dd className="rate">{perHour(p.effective_hourly_rate)}</dd>
              </div>
              <div>
                <dt>Items</dt>
                <dd>{p.item_count}</dd>
              </div>
            </dl>
            <p className="muted small">
              By {p.organization.name} · licence {p.licence} ·{" "}
              {p.generative_tools_allowed ? "generative tools allowed if declared" : "no generative tools"}
            </p>
          </article>
        ))}
      </div>
    </>
  );
}
