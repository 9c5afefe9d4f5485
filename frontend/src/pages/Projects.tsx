import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { useAuth } from "../auth";
import { Badge, EmptyState, ErrorBanner, Loading, PageHeader, Pager } from "../components/ui";
import { date, minutes, money, perHour } from "../format";
import { projectStatus, useProjects } from "../features/projects/api/get-projects";

const STATUSES = ["", "draft", "published", "paused", "closed"];
const PAGE_SIZE = 25;

export function ProjectsPage() {
  const { user } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const page = Number(params.get("page") ?? "1");
  const status = params.get("status") ?? "";
  const { data, error, isFetching: loading } = useProjects({ page, status: projectStatus(status) });
  const [hover, setHover] = useState<number | null>(null);

  return (
    <>
      <PageHeader
        title="Projects"
        subtitle="Post creative work, watch it progress, and keep pay fair."
        actions={
          user?.role === "admin" && (
            <Link className="btn btn-primary" to="/projects/new">
              New project
            </Link>
          )
        }
      />
      <div className="filters" role="tablist" aria-label="Status">
        {STATUSES.map((s) => (
          <button
            key={s || "all"}
            role="tab"
            aria-selected={s === status}
            className={`tab ${s === status ? "tab-active" : ""}`}
            onClick={() => setParams(s ? { status: s } : {})}
          >
            {s || "all"}
          </button>
        ))}
      </div>
      <ErrorBanner error={error} />
      {loading && !data && <Loading />}
      {data && data.results.length === 0 && (
        <EmptyState title={status ? `No ${status} projects` : "No projects yet"} icon="▦">
          {user?.role === "admin" ? "Create your first project to post work." : "Projects your admins post appear here."}
        </EmptyState>
      )}
      {data && data.results.length > 0 && (
        <table className="table card">
          <thead>
            <tr>
              <th>Project</th>
              <th>Status</th>
              <th className="num">Pay</th>
              <th className="num">Estimate</th>
              <th className="num">Effective rate</th>
              <th className="num">Items</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {data.results.map((p) => (
              <tr
                key={p.id}
                className={`clickable ${hover === p.id ? "hover" : ""}`}
                onMouseEnter={() => setHover(p.id)}
                onMouseLeave={() => setHover(null)}
                onClick={() => void navigate(`/projects/${p.id}`)}
              >
                <td>
                  <Link to={`/projects/${p.id}`} onClick={(e) => e.stopPropagation()}>
                    {p.title}
                  </Link>
                  <div className="chips">{p.modalities.map((m) => <span className="chip" key={m}>{m}</span>)}</div>
                </td>
                <td>
                  <Badge value={p.status} />
                </td>
                <td className="num">{money(p.pay)}</td>
                <td className="num">{minutes(p.estimated_minutes)}</td>
                <td className={`num ${p.meets_minimum_rate ? "" : "below"}`} title={p.meets_minimum_rate ? "" : `Below the platform minimum of ${perHour(p.minimum_hourly_rate)}`}>
                  {perHour(p.effective_hourly_rate)}
                  {!p.meets_minimum_rate && <span className="warn-tag">below minimum</span>}
                </td>
                <td className="num">{p.item_count}</td>
                <td>{date(p.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && (
        <Pager
          page={page}
          count={data.count}
          pageSize={PAGE_SIZE}
          onPage={(n) => setParams({ ...(status ? { status } : {}), page: String(n) })}
        />
      )}
    </>
  );
}
