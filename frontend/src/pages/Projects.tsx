import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import type { Project } from "../api/types";
import { useAuth } from "../auth";
import { DataTable, type Column } from "../components/DataTable";
import { Badge, EmptyState, ErrorBanner, Loading, PageHeader, Pager, Tabs } from "../components/ui";
import { date, minutes, money, perHour } from "../format";
import { projectStatus, useProjects } from "../features/projects/api/get-projects";

const STATUSES = ["", "draft", "published", "paused", "closed"];
const PAGE_SIZE = 25;

const PROJECT_COLUMNS: Column<Project>[] = [
  {
    header: "Project",
    cell: (p) => (
      <>
        <Link to={`/projects/${p.id}`} onClick={(e) => e.stopPropagation()}>
          {p.title}
        </Link>
        <div className="chips">{p.modalities.map((m) => <span className="chip" key={m}>{m}</span>)}</div>
      </>
    ),
  },
  { header: "Status", cell: (p) => <Badge value={p.status} /> },
  { header: "Pay", num: true, cell: (p) => money(p.pay) },
  { header: "Estimate", num: true, cell: (p) => minutes(p.estimated_minutes) },
  {
    header: "Effective rate",
    num: true,
    cell: (p) => (
      <>
        {perHour(p.effective_hourly_rate)}
        {!p.meets_minimum_rate && <span className="warn-tag">below minimum</span>}
      </>
    ),
    td: (p) => (p.meets_minimum_rate ? { title: "" } : { className: "below", title: `Below the platform minimum of ${perHour(p.minimum_hourly_rate)}` }),
  },
  { header: "Items", num: true, cell: (p) => p.item_count },
  { header: "Created", cell: (p) => date(p.created_at) },
];

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
      <Tabs label="Status" options={STATUSES} value={status} onChange={(s) => setParams(s ? { status: s } : {})} labelOf={(s) => s || "all"} />
      <ErrorBanner error={error} />
      {loading && !data && <Loading />}
      {data && (
        <DataTable
          className="card"
          rows={data.results}
          rowKey={(p) => p.id}
          rowProps={(p) => ({
            className: `clickable ${hover === p.id ? "hover" : ""}`,
            onMouseEnter: () => setHover(p.id),
            onMouseLeave: () => setHover(null),
            onClick: () => void navigate(`/projects/${p.id}`),
          })}
          columns={PROJECT_COLUMNS}
          empty={
            <EmptyState title={status ? `No ${status} projects` : "No projects yet"} icon="▦">
              {user?.role === "admin" ? "Create your first project to post work." : "Projects your admins post appear here."}
            </EmptyState>
          }
        />
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
