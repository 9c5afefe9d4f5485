/** Datasets: define what goes in, build versions (with live progress), read the card, download the shards. */
import { useState, type FormEvent } from "react";
import { Link, useNavigate, useParams } from "react-router";
import type { ApiError } from "../api/client";
import type { Dataset, DatasetFile, DatasetVersion } from "../api/types";
import { useAuth } from "../auth";
import { StackedBars, type BarRow } from "../components/Chart";
import { DataTable, type Column } from "../components/DataTable";
import { Badge, Checkboxes, Crumbs, EmptyState, ErrorBanner, Fact, Facts, Loading, PageHeader, Pager, ProgressBar } from "../components/ui";
import { bytes, dateTime, major, money, text } from "../format";
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
  { value: "jsonl", label: "JSONL", hint: "one record per line" },
  { value: "parquet", label: "Parquet", hint: "nested columns" },
  { value: "webdataset", label: "WebDataset", hint: "tar shards with media bytes" },
  { value: "hf", label: "Hugging Face", hint: "loads with datasets as it is" },
] as const;

export function formatLabel(value: string): string {
  return FORMATS.find((f) => f.value === value)?.label ?? value;
}

/** The share of a version built, as a percentage for the progress bar. */
export function percent(v: Pick<DatasetVersion, "progress" | "state">): number {
  return v.state === "built" ? 100 : Math.round(v.progress * 100);
}

const TONE_OF_KIND: Record<string, string> = { image: "blue", audio: "teal", video: "amber", text: "green", other: "grey" };

/** One bar per kind of media: the records that hold it against the rest. */
export function modalityRows(kinds: Record<string, number>, records: number) {
  return Object.entries(kinds).map(([kind, n]) => ({
    title: kind,
    segments: [
      { label: `with ${kind}`, value: n, tone: TONE_OF_KIND[kind] ?? "blue" },
      { label: "without", value: Math.max(0, records - n), tone: "grey" },
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
function share(part: number, n: number): string {
  return `${part.toLocaleString()} of ${n.toLocaleString()} (${n ? Math.round((part / n) * 1000) / 10 : 0}%)`;
}

/** Bars for the anti-collapse figures: near-duplicates, machine-made share, and how diverse each contributor is.
 * Each bar is titled with its own figure (not the records measured) and drawn with its own legend. */
export function collapseRows(m: AntiCollapse): BarRow[] {
  const n = m.records_measured;
  const near = m.near_duplicate_records ?? 0;
  const machine = Math.round((m.machine_made_share ?? 0) * n);
  const hist = m.contributor_diversity_histogram ?? {};
  const contributors = Object.values(hist).reduce((sum, count) => sum + count, 0);
  const diversityRow = {
    title: "Contributors by diversity of their own work",
    caption: `${contributors} contributor${contributors === 1 ? "" : "s"}`,
    segments: Object.entries(hist).map(([range, count], i) => ({ label: range, value: count, tone: ["red", "amber", "blue", "green"][i] ?? "grey" })),
  };
  return [
    { title: "Near-duplicates across contributors", caption: share(near, n), segments: [{ label: "near-duplicate", value: near, tone: "red" }, { label: "distinct", value: n - near, tone: "green" }] },
    { title: "Declared machine-made", caption: share(machine, n), segments: [{ label: "machine-made", value: machine, tone: "amber" }, { label: "human-made", value: n - machine, tone: "green" }] },
    ...(diversityRow.segments.some((x) => x.value > 0) ? [diversityRow] : []),
  ];
}

const DATASET_COLUMNS: Column<Dataset>[] = [
  { header: "Name", cell: (d) => <Link to={`/datasets/${d.id}`}>{d.name}</Link> },
  { header: "Formats", cell: (d) => d.formats.map(formatLabel).join(", ") },
  { header: "Projects", num: true, cell: (d) => d.project_ids.length },
  { header: "Latest version", num: true, cell: (d) => (d.latest_version ? `v${d.latest_version}` : "none") },
  { header: "Created", cell: (d) => dateTime(d.created_at) },
];

export function DatasetsPage() {
  const { user } = useAuth();
  const [page, setPage] = useState(1);
  const list = useDatasets(page);
  const [creating, setCreating] = useState(false);
  const isAdmin = user?.role === "admin";
  return (
    <>
      <PageHeader
        title="Datasets"
        subtitle="Versions of approved work, exported as training data with the process that made it."
        actions={
          isAdmin && (
            <button className="btn btn-primary" onClick={() => setCreating(!creating)}>
              {creating ? "Close" : "New dataset"}
            </button>
          )
        }
      />
      {creating && <DatasetForm onDone={() => setCreating(false)} />}
      <ErrorBanner error={list.error} />
      {!list.data && !list.error && <Loading />}
      {list.data && list.data.results.length === 0 && !creating && (
        <EmptyState title="No datasets yet" icon="⬡">
          {isAdmin ? "Define one from your projects: which work goes in, and the formats to write." : "An admin defines them."}
        </EmptyState>
      )}
      {list.data && list.data.results.length > 0 && (
        <section className="card">
          <DataTable testId="dataset-list" rows={list.data.results} rowKey={(d) => d.id} columns={DATASET_COLUMNS} />
          <Pager page={page} count={list.data.count} pageSize={25} onPage={setPage} />
        </section>
      )}
    </>
  );
}

function DatasetForm({ onDone }: { onDone: () => void }) {
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
  return (
    <form className="card form" onSubmit={save} aria-labelledby="new-dataset-title">
      <h2 id="new-dataset-title">New dataset</h2>
      <div className="row">
        <label className="field grow">
          <span>Name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Storyboards with process, 2026" />
          {fieldErrors("name")}
        </label>
      </div>
      <label className="field">
        <span>Description</span>
        <textarea rows={2} value={description} onChange={(e) => setDescription(e.target.value)} />
      </label>
      <fieldset className="field">
        <legend>Projects</legend>
        <Checkboxes options={projectOptions.map((p) => p.id)} value={projectIds} onChange={setProjectIds} label={(id) => projectOptions.find((p) => p.id === id)?.title} />
        {fieldErrors("project_ids")}
      </fieldset>
      <fieldset className="field">
        <legend>Which work goes in</legend>
        <div className="checks">
          <label className="check">
            <input type="checkbox" checked={excludeFlagged} onChange={(e) => setExcludeFlagged(e.target.checked)} />
            Leave out flagged work (low effort, copied, near-duplicate, failed gold)
          </label>
          <label className="check">
            <input type="checkbox" checked={excludeNear} onChange={(e) => setExcludeNear(e.target.checked)} />
            Leave out near-duplicates of earlier work by others
          </label>
          <label className="check">
            <input type="checkbox" checked={unreviewed} onChange={(e) => setUnreviewed(e.target.checked)} />
            Include submitted work not yet reviewed
          </label>
        </div>
        <div className="row">
          <label className="field">
            <span>Minimum review score (0–1)</span>
            <input type="number" min={0} max={1} step={0.05} value={minScore} placeholder="any" onChange={(e) => setMinScore(e.target.value)} />
            {fieldErrors("filters.min_review_score")}
          </label>
          <label className="field">
            <span>Approved from</span>
            <input type="date" value={after} onChange={(e) => setAfter(e.target.value)} />
          </label>
          <label className="field">
            <span>Approved before</span>
            <input type="date" value={before} onChange={(e) => setBefore(e.target.value)} />
            {fieldErrors("filters.approved_before")}
          </label>
        </div>
        <Checkboxes options={MODALITIES} value={modalities} onChange={setModalities}>
          <span className="muted small">no modality ticked: all of them</span>
        </Checkboxes>
      </fieldset>
      <fieldset className="field">
        <legend>Formats</legend>
        <Checkboxes
          options={FORMATS.map((f) => f.value)}
          value={formats}
          onChange={setFormats}
          label={(value) => (
            <>
              {formatLabel(value)} <span className="muted small">{FORMATS.find((f) => f.value === value)?.hint}</span>
            </>
          )}
        />
        {fieldErrors("formats")}
        <div className="row">
          <label className="field">
            <span>Records per shard</span>
            <input type="number" min={1} value={shardSize} onChange={(e) => setShardSize(Number(e.target.value))} />
            {fieldErrors("shard_size")}
          </label>
          <label className="field">
            <span>JSONL compression</span>
            <select value={compression} onChange={(e) => setCompression(e.target.value)}>
              <option value="zstd">zstd (default)</option>
              <option value="gzip">gzip</option>
              <option value="none">none</option>
            </select>
          </label>
        </div>
      </fieldset>
      {error && Object.keys(error.fields).length === 0 && <ErrorBanner error={error} />}
      {error && Object.keys(error.fields).length > 0 && <p className="error">{error.message}</p>}
      <div className="form-actions">
        <button className="btn btn-primary">Create dataset</button>
      </div>
    </form>
  );
}

export function DatasetDetailPage() {
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
    { header: "Version", cell: (v) => <Link to={`/datasets/${d.id}/versions/${v.number}`}>v{v.number}</Link> },
    { header: "State", cell: (v) => <Badge value={v.state} /> },
    {
      header: "Progress",
      width: "28%",
      cell: (v) => (
        <>
          <ProgressBar value={percent(v)} max={100} label={`Version ${v.number} built`} />
          <span className="muted small">
            {v.shards_done} of {v.shards_total || "…"} shards
          </span>
        </>
      ),
    },
    { header: "Records", num: true, cell: (v) => v.record_count.toLocaleString() },
    { header: "Snapshot", cell: (v) => (v.snapshot_at ? dateTime(v.snapshot_at) : "—") },
    {
      header: "",
      cell: (v) => (
        <>
          {isAdmin && isRunning(v.state) && (
            <button className="btn btn-danger-ghost" onClick={() => cancel(v.number)}>
              Cancel
            </button>
          )}
          {v.state === "failed" && <span className="error small">{v.error}</span>}
        </>
      ),
    },
  ];
  return (
    <>
      <Crumbs links={[{ to: "/datasets", label: "Datasets" }]} current={d.name} />
      <PageHeader
        title={d.name}
        subtitle={d.description || `${d.project_ids.length} project${d.project_ids.length === 1 ? "" : "s"}`}
        actions={
          isAdmin && (
            <button className="btn btn-primary" disabled={running} onClick={build}>
              {running ? "Building…" : "Build new version"}
            </button>
          )
        }
      />
      <ErrorBanner error={error} />
      <section className="card">
        <h2>Definition</h2>
        <Facts>
          <Fact term="Formats">{d.formats.map(formatLabel).join(", ")}</Fact>
          <Fact term="Records per shard">{d.shard_size.toLocaleString()}</Fact>
          <Fact term="JSONL compression">{d.compression}</Fact>
          <Fact term="Work">{filters.include_unreviewed ? "approved and unreviewed" : "approved only"}</Fact>
          <Fact term="Flagged work">{filters.exclude_flagged ? "left out" : "kept"}</Fact>
          <Fact term="Near-duplicates">{filters.exclude_near_duplicates ? "left out" : "kept"}</Fact>
          <Fact term="Minimum review score">{filters.min_review_score === null ? "any" : text(filters.min_review_score)}</Fact>
        </Facts>
      </section>
      <section className="card" aria-labelledby="versions-title">
        <h2 id="versions-title">Versions</h2>
        {versions.data && (
          <DataTable
            testId="versions"
            rows={versions.data.results}
            rowKey={(v) => v.number}
            columns={versionColumns}
            empty={<p className="muted">No version yet. Build one: it freezes the work approved at that moment.</p>}
          />
        )}
      </section>
    </>
  );
}

const FILE_COLUMNS: Column<DatasetFile>[] = [
  {
    header: "File",
    cell: (f) => (
      <a href={f.url} download>
        {f.path}
      </a>
    ),
  },
  { header: "Records", num: true, cell: (f) => f.records ?? "" },
  { header: "Size", num: true, cell: (f) => (f.size_bytes == null ? "" : bytes(f.size_bytes)) },
  { header: "sha256", cell: (f) => <code className="hash">{f.sha256 ? `${f.sha256.slice(0, 16)}…` : ""}</code> },
];

export function DatasetVersionPage() {
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
          { to: "/datasets", label: "Datasets" },
          { to: `/datasets/${id}`, label: dataset.data?.name ?? "dataset" },
        ]}
        current={`v${v.number}`}
      />
      <PageHeader title={`Version ${v.number}`} subtitle={<><Badge value={v.state} /> · {v.record_count.toLocaleString()} records · schema v{v.schema_version}</>} />
      {running && (
        <section className="card">
          <h2>Building</h2>
          <ProgressBar value={percent(v)} max={100} label="Build progress" />
          <p className="muted">
            {v.shards_done} of {v.shards_total || "…"} shards written. Shards are written in parallel by the workers.
          </p>
        </section>
      )}
      {v.state === "built" && (
        <div className="grid-2">
          <section className="card">
            <h2>At a glance</h2>
            <Facts>
              <Fact term="Contributors">{card.contributors ?? 0}</Fact>
              <Fact term="Median hourly pay">{card.pay?.median_effective_hourly == null || !card.pay.currency ? "n/a" : money(major(card.pay.median_effective_hourly, card.pay.currency))}</Fact>
              <Fact term="Topped up">{Math.round((card.pay?.share_topped_up ?? 0) * 100)}%</Fact>
              <Fact term="Generative tools declared">{Math.round((card.share_generative_tools ?? 0) * 100)}%</Fact>
              <Fact term="Snapshot">{dateTime(v.snapshot_at)}</Fact>
              <Fact term="Built">{dateTime(v.finished_at)}</Fact>
            </Facts>
          </section>
          <section className="card">
            <h2>Modalities</h2>
            <p className="muted small">Records holding each kind of media (a record can hold several).</p>
            <StackedBars rows={modalityRows(card.modalities ?? {}, v.record_count)} />
          </section>
        </div>
      )}
      {v.state === "built" && (v.card as { anti_collapse?: AntiCollapse }).anti_collapse?.records_measured ? (
        <AntiCollapseCard m={(v.card as { anti_collapse: AntiCollapse }).anti_collapse} />
      ) : null}
      {v.state === "built" && (
        <section className="card" aria-labelledby="files-title">
          <h2 id="files-title">Files</h2>
          {!files.data && <Loading />}
          {files.data && <DataTable testId="files" rows={files.data} rowKey={(f) => f.path} columns={FILE_COLUMNS} />}
        </section>
      )}
      {v.state === "built" && (
        <section className="card" aria-labelledby="pull-title">
          <h2 id="pull-title">Pull it from a pipeline</h2>
          <p className="muted small">With an API token that has the export:read scope (Settings → API tokens). Pages carry X-Next-Cursor; since= returns only later approvals.</p>
          <pre className="mono">{`curl -H "Authorization: Bearer $ATELIER_TOKEN" \\\n  "${origin}/api/v1/datasets/${id}/versions/${v.number}/records?limit=1000"`}</pre>
        </section>
      )}
      {v.card_html && (
        <section className="card" aria-labelledby="card-title">
          <h2 id="card-title">Data card</h2>
          <div className="brief" dangerouslySetInnerHTML={{ __html: v.card_html }} />
        </section>
      )}
      {v.state === "failed" && <div className="banner banner-error">{v.error}</div>}
    </>
  );
}

export function AntiCollapseCard({ m }: { m: AntiCollapse }) {
  return (
    <section className="card" aria-labelledby="collapse-title" data-testid="anti-collapse">
      <h2 id="collapse-title">Anti-collapse</h2>
      <p className="muted small">
        What keeps a model trained on this from drifting to a samey average: near-duplicates by different contributors (MinHash for text, perceptual hash for images), declared
        machine-made work, and diversity (0: all alike, 1: nothing shared){m.sampled ? `, measured on an even sample of ${m.records_measured.toLocaleString()} records` : ""}.
      </p>
      <Facts>
        <Fact term="Near-duplicate rate">{Math.round((m.near_duplicate_rate ?? 0) * 1000) / 10}%</Fact>
        <Fact term="Machine-made">{Math.round((m.machine_made_share ?? 0) * 1000) / 10}%</Fact>
        <Fact term="Diversity across the version">{m.diversity ?? "n/a"}</Fact>
        <Fact term="Median contributor diversity">{m.contributor_diversity_median ?? "n/a"}</Fact>
      </Facts>
      <div className="chart-narrow">
        {collapseRows(m).map((row) => (
          <StackedBars key={row.title} rows={[row]} />
        ))}
      </div>
    </section>
  );
}
