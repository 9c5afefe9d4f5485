/** Datasets: define what goes in, build versions (with live progress), read the card, download the shards. */
import { useMemo, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { Link, useNavigate, useParams } from "react-router";
import type { ApiError } from "../api/client";
import type { Dataset, DatasetFile, DatasetVersion } from "../api/types";
import { useAuth } from "../auth";
import { StackedBars, type BarRow } from "../components/Chart";
import { DataTable, type Column } from "../components/DataTable";
import { Badge, Checkboxes, Crumbs, EmptyState, ErrorBanner, Fact, Facts, Loading, PageHeader, Pager, ProgressBar } from "../components/ui";
import { bytes, count, dateTime, major, money, text } from "../format";
import { currentLanguage, i18n } from "../i18n";
import { useBuildDatasetVersion, useCancelDatasetVersion } from "../features/datasets/api/build-version";
import { useCreateDataset } from "../features/datasets/api/create-dataset";
import { useDataset } from "../features/datasets/api/get-dataset";
import { useDatasetFiles } from "../features/datasets/api/get-dataset-files";
import { useDatasetVersion } from "../features/datasets/api/get-dataset-version";
import { useDatasetVersions } from "../features/datasets/api/get-dataset-versions";
import { useDatasets } from "../features/datasets/api/get-datasets";
import { isRunning } from "../features/datasets/api/running";
import { useProjects } from "../features/projects/api/get-projects";
import { MODALITIES } from "../features/onboarding/form";

const FORMATS = [
  { value: "jsonl", label: "JSONL", hint: "datasets.format.jsonl" },
  { value: "parquet", label: "Parquet", hint: "datasets.format.parquet" },
  { value: "webdataset", label: "WebDataset", hint: "datasets.format.webdataset" },
  { value: "hf", label: "Hugging Face", hint: "datasets.format.hf" },
] as const;

type OrgT = TFunction<"org">;
const orgT = (): OrgT => i18n.getFixedT(null, "org");

/** A kind of media as people read it: "image", "imagen", "imagem". */
type KindLabel = `datasets.kind.${"image" | "audio" | "video" | "text" | "motion" | "sensor" | "model" | "other"}`;
const KIND_LABEL: Record<string, KindLabel> = {
  image: "datasets.kind.image",
  audio: "datasets.kind.audio",
  video: "datasets.kind.video",
  text: "datasets.kind.text",
  motion: "datasets.kind.motion",
  sensor: "datasets.kind.sensor",
  model: "datasets.kind.model",
  other: "datasets.kind.other",
};

function kindName(kind: string, t: OrgT): string {
  const key = KIND_LABEL[kind];
  return key ? t(key) : kind;
}

/** A share (0.3) as the person's language writes a percentage ("30%", "30 %"), to `digits` decimals at most. */
function percentOf(fraction: number, digits = 1): string {
  return new Intl.NumberFormat(currentLanguage(), { style: "percent", maximumFractionDigits: digits }).format(fraction);
}

export function formatLabel(value: string): string {
  return FORMATS.find((f) => f.value === value)?.label ?? value;
}

/** The share of a version built, as a percentage for the progress bar. */
export function percent(v: Pick<DatasetVersion, "progress" | "state">): number {
  return v.state === "built" ? 100 : Math.round(v.progress * 100);
}

const TONE_OF_KIND: Record<string, string> = { image: "blue", audio: "teal", video: "amber", text: "green", other: "grey" };

/** One bar per kind of media: the records that hold it against the rest. */
export function modalityRows(kinds: Record<string, number>, records: number, t: OrgT = orgT()) {
  return Object.entries(kinds).map(([kind, n]) => ({
    title: kindName(kind, t),
    segments: [
      { label: t("datasets.modalities.with", { kind: kindName(kind, t) }), value: n, tone: TONE_OF_KIND[kind] ?? "blue" },
      { label: t("datasets.modalities.without"), value: Math.max(0, records - n), tone: "grey" },
    ],
  }));
}

export interface AntiCollapse {
  records_measured: number;
  sampled: boolean;
  near_duplicate_records?: number;
  near_duplicate_rate?: number;
  machine_made_share?: number;
  diversity?: number | null;
  contributor_diversity_median?: number | null;
  contributor_diversity_histogram?: Record<string, number>;
}

/** "3 of 10 (30%)": a part of the measured records, as each anti-collapse bar is titled. */
function share(part: number, n: number, t: OrgT): string {
  return t("datasets.collapse.share", { part: count(part), n: count(n), pct: percentOf(n ? part / n : 0) });
}

/** Bars for the anti-collapse figures: near-duplicates, machine-made share, and how diverse each contributor is.
 * Each bar is titled with its own figure (not the records measured) and drawn with its own legend. */
export function collapseRows(m: AntiCollapse, t: OrgT = orgT()): BarRow[] {
  const n = m.records_measured;
  const near = m.near_duplicate_records ?? 0;
  const machine = Math.round((m.machine_made_share ?? 0) * n);
  const hist = m.contributor_diversity_histogram ?? {};
  const contributors = Object.values(hist).reduce((sum, count) => sum + count, 0);
  const diversityRow = {
    title: t("datasets.collapse.byDiversity"),
    caption: t("datasets.collapse.contributors", { count: contributors }),
    segments: Object.entries(hist).map(([range, count], i) => ({ label: range, value: count, tone: ["red", "amber", "blue", "green"][i] ?? "grey" })),
  };
  return [
    {
      title: t("datasets.collapse.nearTitle"),
      caption: share(near, n, t),
      segments: [
        { label: t("datasets.collapse.near"), value: near, tone: "red" },
        { label: t("datasets.collapse.distinct"), value: n - near, tone: "green" },
      ],
    },
    {
      title: t("datasets.collapse.machineTitle"),
      caption: share(machine, n, t),
      segments: [
        { label: t("datasets.collapse.machine"), value: machine, tone: "amber" },
        { label: t("datasets.collapse.human"), value: n - machine, tone: "green" },
      ],
    },
    ...(diversityRow.segments.some((x) => x.value > 0) ? [diversityRow] : []),
  ];
}

function datasetColumns(t: OrgT): Column<Dataset>[] {
  return [
    { header: t("datasets.list.name"), cell: (d) => <Link to={`/datasets/${d.id}`}>{d.name}</Link> },
    { header: t("datasets.list.formats"), cell: (d) => d.formats.map(formatLabel).join(", ") },
    { header: t("datasets.list.projects"), num: true, cell: (d) => count(d.project_ids.length) },
    {
      header: t("datasets.list.latest"),
      num: true,
      cell: (d) => (d.latest_version ? t("datasets.version.short", { number: d.latest_version }) : t("datasets.list.none")),
    },
    { header: t("datasets.list.created"), cell: (d) => dateTime(d.created_at) },
  ];
}

export function DatasetsPage() {
  const { t } = useTranslation("org");
  const columns = useMemo(() => datasetColumns(t), [t]);
  const { user } = useAuth();
  const [page, setPage] = useState(1);
  const list = useDatasets(page);
  const [creating, setCreating] = useState(false);
  const isAdmin = user?.role === "admin";
  return (
    <>
      <PageHeader
        title={t("datasets.title")}
        subtitle={t("datasets.subtitle")}
        actions={
          isAdmin && (
            <button className="btn btn-primary" onClick={() => setCreating(!creating)}>
              {creating ? t("datasets.close") : t("datasets.new")}
            </button>
          )
        }
      />
      {creating && <DatasetForm onDone={() => setCreating(false)} />}
      <ErrorBanner error={list.error} />
      {!list.data && !list.error && <Loading />}
      {list.data && list.data.results.length === 0 && !creating && (
        <EmptyState title={t("datasets.empty.title")} icon="⬡">
          {isAdmin ? t("datasets.empty.admin") : t("datasets.empty.other")}
        </EmptyState>
      )}
      {list.data && list.data.results.length > 0 && (
        <section className="card">
          <DataTable testId="dataset-list" rows={list.data.results} rowKey={(d) => d.id} columns={columns} />
          <Pager page={page} count={list.data.count} pageSize={25} onPage={setPage} />
        </section>
      )}
    </>
  );
}

function DatasetForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation("org");
  const navigate = useNavigate();
  const projects = useProjects({ page: 1, status: null, pageSize: 100 });
  const createDataset = useCreateDataset();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [projectIds, setProjectIds] = useState<number[]>([]);
  const [formats, setFormats] = useState<string[]>(["jsonl", "parquet"]);
  const [shardSize, setShardSize] = useState(10000);
  const [compression, setCompression] = useState("zstd");
  const [excludeFlagged, setExcludeFlagged] = useState(true);
  const [excludeNear, setExcludeNear] = useState(false);
  const [unreviewed, setUnreviewed] = useState(false);
  const [minScore, setMinScore] = useState("");
  const [after, setAfter] = useState("");
  const [before, setBefore] = useState("");
  const [modalities, setModalities] = useState<string[]>([]);
  const [error, setError] = useState<ApiError | null>(null);

  function save(event: FormEvent) {
    event.preventDefault();
    setError(null);
    createDataset.mutate(
      {
        name,
        description,
        project_ids: projectIds,
        formats,
        shard_size: shardSize,
        compression,
        filters: {
          exclude_flagged: excludeFlagged,
          exclude_near_duplicates: excludeNear,
          include_unreviewed: unreviewed,
          min_review_score: minScore === "" ? null : Number(minScore),
          approved_after: after || null,
          approved_before: before || null,
          modalities,
        },
      },
      {
        onSuccess: (made) => {
          onDone();
          void navigate(`/datasets/${made.id}`);
        },
        onError: setError,
      },
    );
  }

  const projectOptions = projects.data?.results ?? [];
  const fieldErrors = (key: string) => error?.fieldMessages(key).map((m) => <small className="error" key={m}>{m}</small>);
  const errs = {
    name: fieldErrors("name"),
    projects: fieldErrors("project_ids"),
    minScore: fieldErrors("filters.min_review_score"),
    before: fieldErrors("filters.approved_before"),
    formats: fieldErrors("formats"),
    shardSize: fieldErrors("shard_size"),
  };
  return (
    <form className="card form" onSubmit={save} aria-labelledby="new-dataset-title">
      <h2 id="new-dataset-title">{t("datasets.new")}</h2>
      <div className="row">
        <label className="field grow">
          <span>{t("datasets.form.name")}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder={t("datasets.form.namePlaceholder")} />
          {errs.name}
        </label>
      </div>
      <label className="field">
        <span>{t("datasets.form.description")}</span>
        <textarea rows={2} value={description} onChange={(e) => setDescription(e.target.value)} />
      </label>
      <fieldset className="field">
        <legend>{t("datasets.list.projects")}</legend>
        <Checkboxes options={projectOptions.map((p) => p.id)} value={projectIds} onChange={setProjectIds} label={(id) => projectOptions.find((p) => p.id === id)?.title} />
        {errs.projects}
      </fieldset>
      <fieldset className="field">
        <legend>{t("datasets.form.which")}</legend>
        <div className="checks">
          <label className="check">
            <input type="checkbox" checked={excludeFlagged} onChange={(e) => setExcludeFlagged(e.target.checked)} />
            {t("datasets.form.excludeFlagged")}
          </label>
          <label className="check">
            <input type="checkbox" checked={excludeNear} onChange={(e) => setExcludeNear(e.target.checked)} />
            {t("datasets.form.excludeNear")}
          </label>
          <label className="check">
            <input type="checkbox" checked={unreviewed} onChange={(e) => setUnreviewed(e.target.checked)} />
            {t("datasets.form.unreviewed")}
          </label>
        </div>
        <div className="row">
          <label className="field">
            <span>{t("datasets.form.minScore")}</span>
            <input type="number" min={0} max={1} step={0.05} value={minScore} placeholder={t("datasets.any")} onChange={(e) => setMinScore(e.target.value)} />
            {errs.minScore}
          </label>
          <label className="field">
            <span>{t("datasets.form.after")}</span>
            <input type="date" value={after} onChange={(e) => setAfter(e.target.value)} />
          </label>
          <label className="field">
            <span>{t("datasets.form.before")}</span>
            <input type="date" value={before} onChange={(e) => setBefore(e.target.value)} />
            {errs.before}
          </label>
        </div>
        <Checkboxes options={MODALITIES} value={modalities} onChange={setModalities} label={(kind) => kindName(kind, t)}>
          <span className="muted small">{t("datasets.form.allModalities")}</span>
        </Checkboxes>
      </fieldset>
      <fieldset className="field">
        <legend>{t("datasets.list.formats")}</legend>
        <Checkboxes
          options={FORMATS.map((f) => f.value)}
          value={formats}
          onChange={setFormats}
          label={(value) => {
            const hint = FORMATS.find((f) => f.value === value)?.hint;
            return (
              <>
                {formatLabel(value)} <span className="muted small">{hint && t(hint)}</span>
              </>
            );
          }}
        />
        {errs.formats}
        <div className="row">
          <label className="field">
            <span>{t("datasets.form.shardSize")}</span>
            <input type="number" min={1} value={shardSize} onChange={(e) => setShardSize(Number(e.target.value))} />
            {errs.shardSize}
          </label>
          <label className="field">
            <span>{t("datasets.form.compression")}</span>
            <select value={compression} onChange={(e) => setCompression(e.target.value)}>
              <option value="zstd">{t("datasets.compression.zstdDefault")}</option>
              <option value="gzip">{t("datasets.compression.gzip")}</option>
              <option value="none">{t("datasets.compression.none")}</option>
            </select>
          </label>
        </div>
      </fieldset>
      {error && Object.keys(error.fields).length === 0 && <ErrorBanner error={error} />}
      {error && Object.keys(error.fields).length > 0 && <p className="error">{error.message}</p>}
      <div className="form-actions">
        <button className="btn btn-primary">{t("datasets.form.create")}</button>
      </div>
    </form>
  );
}

export function DatasetDetailPage() {
  const { t } = useTranslation("org");
  const { id } = useParams();
  const { user } = useAuth();
  const datasetId = Number(id);
  const dataset = useDataset(datasetId);
  // The versions poll while one is queued or building.
  const versions = useDatasetVersions(datasetId);
  const buildVersion = useBuildDatasetVersion(datasetId);
  const cancelVersion = useCancelDatasetVersion(datasetId);
  const [error, setError] = useState<ApiError | null>(null);
  const running = (versions.data?.results ?? []).some((v) => isRunning(v.state));

  if (dataset.error) return <ErrorBanner error={dataset.error} />;
  if (!dataset.data) return <Loading />;
  const d = dataset.data;
  const isAdmin = user?.role === "admin";

  function build() {
    setError(null);
    buildVersion.mutate(undefined, { onError: setError });
  }

  function cancel(number: number) {
    setError(null);
    cancelVersion.mutate(number, { onError: setError });
  }

  const filters = d.filters as Record<string, unknown>;
  const versionColumns: Column<DatasetVersion>[] = [
    {
      header: t("datasets.versions.version"),
      cell: (v) => <Link to={`/datasets/${d.id}/versions/${v.number}`}>{t("datasets.version.short", { number: v.number })}</Link>,
    },
    { header: t("datasets.versions.state"), cell: (v) => <Badge value={v.state} /> },
    {
      header: t("datasets.versions.progress"),
      width: "28%",
      cell: (v) => (
        <>
          <ProgressBar value={percent(v)} max={100} label={t("datasets.versions.built", { number: v.number })} />
          <span className="muted small">
            {t("datasets.versions.shards", { done: count(v.shards_done), total: v.shards_total ? count(v.shards_total) : "…" })}
          </span>
        </>
      ),
    },
    { header: t("datasets.versions.records"), num: true, cell: (v) => count(v.record_count) },
    { header: t("datasets.versions.snapshot"), cell: (v) => (v.snapshot_at ? dateTime(v.snapshot_at) : "—") },
    {
      header: "",
      cell: (v) => (
        <>
          {isAdmin && isRunning(v.state) && (
            <button className="btn btn-danger-ghost" onClick={() => cancel(v.number)}>
              {t("datasets.versions.cancel")}
            </button>
          )}
          {v.state === "failed" && <span className="error small">{v.error}</span>}
        </>
      ),
    },
  ];
  return (
    <>
      <Crumbs links={[{ to: "/datasets", label: t("datasets.title") }]} current={d.name} />
      <PageHeader
        title={d.name}
        subtitle={d.description || t("datasets.detail.projects", { count: d.project_ids.length })}
        actions={
          isAdmin && (
            <button className="btn btn-primary" disabled={running} onClick={build}>
              {running ? t("datasets.detail.building") : t("datasets.detail.build")}
            </button>
          )
        }
      />
      <ErrorBanner error={error} />
      <section className="card">
        <h2>{t("datasets.detail.definition")}</h2>
        <Facts>
          <Fact term={t("datasets.list.formats")}>{d.formats.map(formatLabel).join(", ")}</Fact>
          <Fact term={t("datasets.form.shardSize")}>{count(d.shard_size)}</Fact>
          <Fact term={t("datasets.form.compression")}>{d.compression === "none" ? t("datasets.compression.none") : d.compression}</Fact>
          <Fact term={t("datasets.detail.work")}>{filters.include_unreviewed ? t("datasets.detail.withUnreviewed") : t("datasets.detail.approvedOnly")}</Fact>
          <Fact term={t("datasets.detail.flagged")}>{filters.exclude_flagged ? t("datasets.detail.leftOut") : t("datasets.detail.kept")}</Fact>
          <Fact term={t("datasets.detail.near")}>{filters.exclude_near_duplicates ? t("datasets.detail.leftOut") : t("datasets.detail.kept")}</Fact>
          <Fact term={t("datasets.detail.minScore")}>
            {filters.min_review_score === null ? t("datasets.any") : typeof filters.min_review_score === "number" ? count(filters.min_review_score) : text(filters.min_review_score)}
          </Fact>
        </Facts>
      </section>
      <section className="card" aria-labelledby="versions-title">
        <h2 id="versions-title">{t("datasets.versions.title")}</h2>
        {versions.data && (
          <DataTable
            testId="versions"
            rows={versions.data.results}
            rowKey={(v) => v.number}
            columns={versionColumns}
            empty={<p className="muted">{t("datasets.versions.empty")}</p>}
          />
        )}
      </section>
    </>
  );
}

function fileColumns(t: OrgT): Column<DatasetFile>[] {
  return [
    {
      header: t("datasets.files.file"),
      cell: (f) => (
        <a href={f.url} download>
          {f.path}
        </a>
      ),
    },
    { header: t("datasets.versions.records"), num: true, cell: (f) => (f.records == null ? "" : count(f.records)) },
    { header: t("datasets.files.size"), num: true, cell: (f) => (f.size_bytes == null ? "" : bytes(f.size_bytes)) },
    { header: t("datasets.files.sha256"), cell: (f) => <code className="hash">{f.sha256 ? `${f.sha256.slice(0, 16)}…` : ""}</code> },
  ];
}

export function DatasetVersionPage() {
  const { t } = useTranslation("org");
  const { t: common } = useTranslation();
  const filesColumns = useMemo(() => fileColumns(t), [t]);
  const { id, number } = useParams();
  // The version polls while it is queued or building; its files load once it is built.
  const version = useDatasetVersion(Number(id), Number(number));
  const dataset = useDataset(Number(id));
  const files = useDatasetFiles(Number(id), Number(number), { enabled: version.data?.state === "built" });
  const running = version.data ? isRunning(version.data.state) : false;
  if (version.error) return <ErrorBanner error={version.error} />;
  if (!version.data) return <Loading />;
  const v = version.data;
  const card = v.card as { modalities?: Record<string, number>; pay?: { median_effective_hourly: number | null; currency: string | null; share_topped_up: number }; contributors?: number; share_generative_tools?: number };
  const origin = window.location.origin;
  return (
    <>
      <Crumbs
        links={[
          { to: "/datasets", label: t("datasets.title") },
          { to: `/datasets/${id}`, label: dataset.data?.name ?? t("datasets.version.dataset") },
        ]}
        current={t("datasets.version.short", { number: v.number })}
      />
      <PageHeader
        title={t("datasets.version.title", { number: v.number })}
        subtitle={
          <>
            <Badge value={v.state} /> · {t("datasets.version.subtitle", { records: v.record_count, schema: v.schema_version })}
          </>
        }
      />
      {running && (
        <section className="card">
          <h2>{t("datasets.version.building")}</h2>
          <ProgressBar value={percent(v)} max={100} label={t("datasets.version.progress")} />
          <p className="muted">{t("datasets.version.shardsWritten", { done: count(v.shards_done), total: v.shards_total ? count(v.shards_total) : "…" })}</p>
        </section>
      )}
      {v.state === "built" && (
        <div className="grid-2">
          <section className="card">
            <h2>{t("datasets.glance.title")}</h2>
            <Facts>
              <Fact term={t("datasets.glance.contributors")}>{count(card.contributors ?? 0)}</Fact>
              <Fact term={t("datasets.glance.medianPay")}>
                {card.pay?.median_effective_hourly == null || !card.pay.currency ? t("datasets.na") : money(major(card.pay.median_effective_hourly, card.pay.currency))}
              </Fact>
              <Fact term={t("datasets.glance.toppedUp")}>{percentOf(card.pay?.share_topped_up ?? 0, 0)}</Fact>
              <Fact term={t("datasets.glance.generative")}>{percentOf(card.share_generative_tools ?? 0, 0)}</Fact>
              <Fact term={t("datasets.versions.snapshot")}>{dateTime(v.snapshot_at)}</Fact>
              <Fact term={t("datasets.glance.built")}>{dateTime(v.finished_at)}</Fact>
            </Facts>
          </section>
          <section className="card">
            <h2>{t("datasets.modalities.title")}</h2>
            <p className="muted small">{t("datasets.modalities.intro")}</p>
            <StackedBars rows={modalityRows(card.modalities ?? {}, v.record_count, t)} />
          </section>
        </div>
      )}
      {v.state === "built" && (v.card as { anti_collapse?: AntiCollapse }).anti_collapse?.records_measured ? (
        <AntiCollapseCard m={(v.card as { anti_collapse: AntiCollapse }).anti_collapse} />
      ) : null}
      {v.state === "built" && (
        <section className="card" aria-labelledby="files-title">
          <h2 id="files-title">{t("datasets.files.title")}</h2>
          {!files.data && <Loading />}
          {files.data && <DataTable testId="files" rows={files.data} rowKey={(f) => f.path} columns={filesColumns} />}
        </section>
      )}
      {v.state === "built" && (
        <section className="card" aria-labelledby="pull-title">
          <h2 id="pull-title">{t("datasets.pull.title")}</h2>
          <p className="muted small">{t("datasets.pull.intro", { where: `${common("nav.settings")} → ${common("nav.tokens")}` })}</p>
          <pre className="mono">{`curl -H "Authorization: Bearer $ATELIER_TOKEN" \\\n  "${origin}/api/v1/datasets/${id}/versions/${v.number}/records?limit=1000"`}</pre>
        </section>
      )}
      {v.card_html && (
        <section className="card" aria-labelledby="card-title">
          <h2 id="card-title">{t("datasets.card.title")}</h2>
          <div className="brief" dangerouslySetInnerHTML={{ __html: v.card_html }} />
        </section>
      )}
      {v.state === "failed" && <div className="banner banner-error">{v.error}</div>}
    </>
  );
}

export function AntiCollapseCard({ m }: { m: AntiCollapse }) {
  const { t } = useTranslation("org");
  return (
    <section className="card" aria-labelledby="collapse-title" data-testid="anti-collapse">
      <h2 id="collapse-title">{t("datasets.collapse.title")}</h2>
      <p className="muted small">
        {m.sampled ? t("datasets.collapse.introSampled", { records: m.records_measured }) : t("datasets.collapse.intro")}
      </p>
      <Facts>
        <Fact term={t("datasets.collapse.nearRate")}>{percentOf(m.near_duplicate_rate ?? 0)}</Fact>
        <Fact term={t("datasets.collapse.machineShare")}>{percentOf(m.machine_made_share ?? 0)}</Fact>
        <Fact term={t("datasets.collapse.diversity")}>{m.diversity == null ? t("datasets.na") : count(m.diversity)}</Fact>
        <Fact term={t("datasets.collapse.contributorMedian")}>{m.contributor_diversity_median == null ? t("datasets.na") : count(m.contributor_diversity_median)}</Fact>
      </Facts>
      <div className="chart-narrow">
        {collapseRows(m, t).map((row) => (
          <StackedBars key={row.title} rows={[row]} />
        ))}
      </div>
    </section>
  );
}
