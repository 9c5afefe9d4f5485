import type { TFunction } from "i18next";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router";
import type { Project } from "../api/types";
import { useAuth } from "../auth";
import { DataTable, type Column } from "../components/DataTable";
import { Badge, EmptyState, ErrorBanner, Loading, PageHeader, Pager, Tabs } from "../components/ui";
import { count, date, minutes, money, perHour } from "../format";
import { projectStatus, useProjects } from "../features/projects/api/get-projects";

const STATUSES = ["", "draft", "published", "paused", "closed"];
const PAGE_SIZE = 25;

function projectColumns(t: TFunction<"projects">): Column<Project>[] {
  return [
  {
    header: t("list.column.project"),
    cell: (p) => (
      <>
        <Link to={`/projects/${p.id}`} onClick={(e) => e.stopPropagation()}>
          {p.title}
        </Link>
        <div className="chips">{p.modalities.map((m) => <span className="chip" key={m}>{t(`modality.${m}`)}</span>)}</div>
      </>
    ),
  },
  { header: t("list.column.status"), cell: (p) => <Badge value={p.status} /> },
  { header: t("list.column.pay"), num: true, cell: (p) => money(p.pay) },
  { header: t("list.column.estimate"), num: true, cell: (p) => minutes(p.estimated_minutes) },
  {
    header: t("list.column.rate"),
    num: true,
    cell: (p) => (
      <>
        {perHour(p.effective_hourly_rate)}
        {!p.meets_minimum_rate && <span className="warn-tag">{t("list.belowMinimum")}</span>}
      </>
    ),
    td: (p) => (p.meets_minimum_rate ? { title: "" } : { className: "below", title: t("list.belowMinimumTitle", { rate: perHour(p.minimum_hourly_rate) }) }),
  },
  { header: t("list.column.items"), num: true, cell: (p) => count(p.item_count) },
  { header: t("list.column.created"), cell: (p) => date(p.created_at) },
  ];
}

export function ProjectsPage() {
  const { user } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const page = Number(params.get("page") ?? "1");
  const status = params.get("status") ?? "";
  const known = projectStatus(status);
  const { data, error, isFetching: loading } = useProjects({ page, status: known });
  const [hover, setHover] = useState<number | null>(null);
  const { t } = useTranslation("projects");
  const columns = useMemo(() => projectColumns(t), [t]);

  return (
    <>
      <PageHeader
        title={t("list.title")}
        subtitle={t("list.subtitle")}
        actions={
          user?.role === "admin" && (
            <Link className="btn btn-primary" to="/projects/new">
              {t("list.new")}
            </Link>
          )
        }
      />
      <Tabs<string>
        label={t("list.statusFilter")}
        options={STATUSES}
        value={status}
        onChange={(s) => setParams(s ? { status: s } : {})}
        labelOf={(s) => (s === "" ? t("status.all") : t(`status.${projectStatus(s) ?? "draft"}`))}
      />
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
          columns={columns}
          empty={
            <EmptyState title={t(known ? `list.empty.${known}` : "list.empty.none")} icon="▦">
              {user?.role === "admin" ? t("list.empty.admin") : t("list.empty.reviewer")}
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
