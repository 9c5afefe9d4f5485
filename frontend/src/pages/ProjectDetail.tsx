import { useQueryClient } from "@tanstack/react-query";
import { useRef, useState, type DragEvent } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { asApiError, type ApiError } from "../api/client";
import type { Activity } from "../api/types";
import { useAuth } from "../auth";
import { StackedBars } from "../components/Chart";
import { GoldPanel } from "../components/GoldPanel";
import { ExamPanel } from "../components/ExamPanel";
import { ImportPanel } from "../components/ImportPanel";
import { ItemTimeline } from "../components/ItemTimeline";
import { Badge, Crumbs, EmptyState, ErrorBanner, Fact, Facts, Loading, PageHeader, Pager, ProgressBar } from "../components/ui";
import { bytes, date, dateTime, minutes, money, perHour, text } from "../format";
import { useProject } from "../features/projects/api/get-project";
import { ACTIVITY_PAGE_SIZE, useProjectActivity } from "../features/projects/api/get-project-activity";
import { useProjectAgreement } from "../features/projects/api/get-project-agreement";
import { useProjectItems } from "../features/projects/api/get-project-items";
import { useProjectProgress } from "../features/projects/api/get-project-progress";
import { projectKeys } from "../features/projects/api/keys";
import { useTransitionProject, type ProjectAction } from "../features/projects/api/transition-project";
import { uploadFiles, type UploadState } from "../upload";
import { describeEvent, objectLink } from "./Audit";

const ACTIONS: Record<string, { action: ProjectAction; label: string; primary?: boolean }[]> = {
  draft: [{ action: "publish", label: "Publish", primary: true }, { action: "close", label: "Close" }],
  published: [{ action: "pause", label: "Pause" }, { action: "close", label: "Close" }],
  paused: [{ action: "resume", label: "Resume", primary: true }, { action: "close", label: "Close" }],
  closed: [],
};

function probeSummary(probe: unknown): string {
  const p = (probe ?? {}) as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof p.width === "number" && typeof p.height === "number") parts.push(`${p.width}×${p.height}`);
  if (typeof p.duration_seconds === "number") parts.push(`${p.duration_seconds.toFixed(1)} s`);
  if (typeof p.characters === "number") parts.push(`${p.characters} characters`);
  return parts.map((x) => ` · ${x}`).join("");
}

export function ProjectDetailPage() {
  const { id } = useParams();
  const { user } = useAuth();
  const [params, setParams] = useSearchParams();
  const page = Number(params.get("page") ?? "1");
  const projectId = Number(id);
  const queryClient = useQueryClient();
  // While files are being ingested, the progress polls every two seconds and fetches what ingestion changes with it.
  const progress = useProjectProgress(projectId);
  const project = useProject(projectId);
  const items = useProjectItems(projectId, page);
  const transition = useTransitionProject(projectId);
  const [uploads, setUploads] = useState<UploadState[]>([]);
  const [uploadError, setUploadError] = useState<ApiError | null>(null);
  const [oneItem, setOneItem] = useState(false);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const isAdmin = user?.role === "admin";

  if (project.error) return <ErrorBanner error={project.error} />;
  if (!project.data) return <Loading />;
  const p = project.data;

  /** Everything the page shows about the project, fetched again after a change made elsewhere on it. */
  const refresh = () => queryClient.invalidateQueries({ queryKey: projectKeys.detail(p.id) });

  async function upload(files: File[]) {
    if (!files.length) return;
    setUploadError(null);
    const group = `upload-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-")}`;
    try {
      await uploadFiles(p.id, files, (f) => (oneItem ? group : f.name.replace(/\.[^.]+$/, "")), setUploads);
    } catch (err) {
      setUploadError(asApiError(err));
    }
    await refresh();
  }

  function onDrop(event: DragEvent) {
    event.preventDefault();
    setDragging(false);
    void upload(Array.from(event.dataTransfer.files));
  }

  const pr = progress.data;
  return (
    <>
      <Crumbs links={[{ to: "/projects", label: "Projects" }]} current={p.title} />
      <PageHeader
        title={p.title}
        subtitle={
          <>
            <Badge value={p.status} /> · created {date(p.created_at)} · {p.modalities.join(", ")}
          </>
        }
        actions={
          isAdmin && (
            <>
              {p.status !== "closed" && (
                <Link className="btn" to={`/projects/${p.id}/edit`}>
                  Edit
                </Link>
              )}
              {ACTIONS[p.status]?.map((a) => (
                <button key={a.action} className={`btn ${a.primary ? "btn-primary" : ""}`} onClick={() => transition.mutate(a.action)}>
                  {a.label}
                </button>
              ))}
            </>
          )
        }
      />
      {transition.error && (
        <div className="banner banner-error" role="alert">
          {transition.error.message}
        </div>
      )}
      <div className="grid-2">
        <section className="card">
          <h2>Terms</h2>
          <Facts>
            <Fact term="Pay per contribution">{money(p.pay)}</Fact>
            <Fact term="Estimate">{minutes(p.estimated_minutes)}</Fact>
            <Fact term="Effective rate" className={p.meets_minimum_rate ? "rate" : "below"}>
              {perHour(p.effective_hourly_rate)}
            </Fact>
            <Fact term="Platform minimum">{perHour(p.minimum_hourly_rate)}</Fact>
            <Fact term="Freelancers per item">{p.replicas_per_item}</Fact>
            <Fact term="Licence">{p.licence}</Fact>
            <Fact term="Deadline">{p.deadline ? dateTime(p.deadline) : "none"}</Fact>
            <Fact term="Agreement">v{p.agreement_version}</Fact>
            <Fact term="Generative tools">{p.generative_tools_allowed ? "allowed, declared" : "not allowed"}</Fact>
          </Facts>
          {!p.meets_minimum_rate && (
            <p className="banner banner-warn">This pay is below the platform minimum hourly rate: the project cannot be published until the pay goes up or the estimate comes down.</p>
          )}
          <h3>What each contribution holds</h3>
          {!((p.output_spec as { fields?: unknown[] }).fields ?? []).length && <p className="muted">No output spec yet.</p>}
          <ul className="spec-list">
            {((p.output_spec as { fields?: { key: string; type: string; label: string; required: boolean }[] }).fields ?? []).map((f) => (
              <li key={f.key}>
                <strong>{f.label}</strong> <span className="chip">{f.type.replace("_", " ")}</span>
                {f.required && <span className="muted"> required</span>}
              </li>
            ))}
          </ul>
        </section>
        <section className="card">
          <h2>Progress</h2>
          {pr ? (
            <StackedBars
              rows={[
                {
                  title: "Files",
                  segments: [
                    { label: "ready", value: pr.files.ready ?? 0, tone: "green" },
                    { label: "ingesting", value: (pr.files.pending ?? 0) + (pr.files.uploading ?? 0), tone: "blue" },
                    { label: "failed", value: pr.files.failed ?? 0, tone: "red" },
                  ],
                },
                {
                  title: "Items",
                  segments: [
                    { label: "ready", value: pr.items.ready ?? 0, tone: "green" },
                    { label: "waiting", value: pr.items.waiting ?? 0, tone: "blue" },
                    { label: "failed", value: pr.items.failed ?? 0, tone: "red" },
                  ],
                },
                {
                  title: `Slots (${pr.tasks} tasks × ${p.replicas_per_item}${pr.gold_items ? `, plus ${pr.gold_items} gold` : ""})`,
                  segments: [
                    { label: "approved", value: pr.slots.approved ?? 0, tone: "green" },
                    { label: "submitted", value: pr.slots.submitted ?? 0, tone: "teal" },
                    { label: "in progress", value: pr.slots.in_progress ?? 0, tone: "amber" },
                    { label: "open", value: pr.slots.open ?? 0, tone: "grey" },
                  ],
                },
              ]}
            />
          ) : (
            <Loading />
          )}
        </section>
      </div>
      <Agreement projectId={p.id} />
      {(isAdmin || user?.role === "reviewer") && <GoldPanel project={p} items={items.data?.results ?? []} isAdmin={isAdmin} />}
      {(isAdmin || user?.role === "reviewer") && <ExamPanel project={p} isAdmin={isAdmin} />}
      <section className="card">
        <h2>Brief</h2>
        <div className="brief" dangerouslySetInnerHTML={{ __html: p.brief_html }} />
        {p.instructions_html && (
          <>
            <h3>Instructions</h3>
            <div className="brief" dangerouslySetInnerHTML={{ __html: p.instructions_html }} />
          </>
        )}
      </section>
      {p.examples.length > 0 && (
        <section className="card examples">
          <h2>Example contributions</h2>
          {p.examples.map((ex, i) => (
            <article key={i}>
              <h3>{ex.title}</h3>
              <p className="example-body">{ex.body}</p>
            </article>
          ))}
        </section>
      )}
      {isAdmin && p.status !== "closed" && (
        <section
          className={`card dropzone ${dragging ? "dropzone-active" : ""}`}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <h2>Add assets</h2>
          <p className="muted">
            Drop images, audio, video or text here, or{" "}
            <button className="linkish" onClick={() => fileInput.current?.click()}>
              choose files
            </button>
            . Files go straight to storage; each is checked, hashed and previewed.
          </p>
          <label className="check">
            <input type="checkbox" checked={oneItem} onChange={(e) => setOneItem(e.target.checked)} />
            Put the selected files together as one multimodal item (otherwise one item per file)
          </label>
          <input
            ref={fileInput}
            type="file"
            multiple
            hidden
            data-testid="file-input"
            onChange={(e) => {
              void upload(Array.from(e.target.files ?? []));
              e.target.value = "";
            }}
          />
          <ErrorBanner error={uploadError} />
          {uploads.length > 0 && (
            <ul className="uploads">
              {uploads.map((u, i) => (
                <li key={`${u.name}-${i}`}>
                  <span className="upload-name">{u.name}</span>
                  <ProgressBar value={u.loaded} max={u.size} label={`Upload of ${u.name}`} />
                  <span className={`upload-status ${u.status}`}>{u.error ?? u.status}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      {isAdmin && p.status !== "closed" && (
        <ImportPanel projectId={p.id} />
      )}
      <section className="card">
        <h2>Items</h2>
        <ErrorBanner error={items.error} />
        {items.data && items.data.results.length === 0 && (
          <EmptyState title="No items yet">Add assets above; files with the same item id form one multimodal item.</EmptyState>
        )}
        <div className="items">
          {items.data?.results.map((item) => (
            <article className="item" key={item.id}>
              <header>
                <strong>{item.external_id}</strong>
                <span className="muted small">{item.files.length} file{item.files.length === 1 ? "" : "s"}</span>
              </header>
              <div className="files">
                {item.files.map((f) => (
                  <div className={`file file-${f.status}`} key={f.id}>
                    {f.preview_url ? (
                      <img src={f.preview_url} alt={`Preview of ${f.name}`} className={f.kind === "audio" ? "wave" : "thumb"} loading="lazy" />
                    ) : (
                      <div className="thumb thumb-empty">{f.kind}</div>
                    )}
                    <div className="file-meta">
                      <span className="file-name" title={f.name}>
                        {f.name}
                      </span>
                      <span className="muted small">
                        {f.kind} · {bytes(f.size_bytes)}
                        {probeSummary(f.probe)}
                      </span>
                      <Badge value={f.status} />
                      {f.failure_reason && <span className="error small">{f.failure_reason}</span>}
                    </div>
                  </div>
                ))}
              </div>
              <ItemTimeline projectId={p.id} files={item.files} editable={isAdmin} />
            </article>
          ))}
        </div>
        {items.data && <Pager page={page} count={items.data.count} pageSize={25} onPage={(n) => setParams({ page: String(n) })} />}
      </section>
      <ActivityLog projectId={p.id} />
    </>
  );
}

const ACTIVITY_LABELS: Record<string, string> = {
  "project.created": "created the project",
  "project.updated": "changed",
  "project.publish": "published it",
  "project.pause": "paused it",
  "project.resume": "resumed it",
  "project.close": "closed it",
  "project.assets_uploaded": "uploaded",
  "project.assets_imported": "imported",
  "gold.set": "set the known answers of gold item",
  "gold.removed": "returned to the ordinary stream gold item",
};

export function describeActivity(e: Activity): string {
  const data = (e.details ?? {}) as Record<string, unknown>;
  const label = ACTIVITY_LABELS[e.action] ?? e.action;
  if (e.action === "project.updated" && Array.isArray(data.fields)) return `${label} ${data.fields.join(", ").replaceAll("_", " ")}`;
  if (e.action === "project.assets_uploaded") return `${label} ${String(data.files)} file${data.files === 1 ? "" : "s"} (${bytes(Number(data.bytes ?? 0))})`;
  if (e.action === "project.assets_imported") {
    const skipped = Number(data.skipped ?? 0);
    return `${label} ${String(data.created)} file${data.created === 1 ? "" : "s"} from ${String(data.source)}${skipped ? `, ${skipped} skipped` : ""}`;
  }
  if (e.action.startsWith("gold.") && data.item) return `${label} ${text(data.item)}`;
  return label;
}

function ActivityLog({ projectId }: { projectId: number }) {
  const [page, setPage] = useState(1);
  const log = useProjectActivity(projectId, page);
  return (
    <section className="card" aria-labelledby="activity-title">
      <h2 id="activity-title">Activity</h2>
      <ErrorBanner error={log.error} />
      {log.data && log.data.results.length === 0 && <p className="muted">Nothing yet.</p>}
      <ol className="activity">
        {log.data?.results.map((e) => {
          // The project's own events read as before; its work (claims, submissions, decisions) as in the audit log.
          const link = e.target_type === "project" ? null : objectLink(e);
          return (
            <li key={e.id}>
              <time dateTime={e.created_at}>{dateTime(e.created_at)}</time>
              <span>
                <strong>{e.actor?.name ?? "Atelier"}</strong> {describeEvent(e)}
                {link && (link.to ? <> <Link to={link.to}>{link.label}</Link></> : <span className="muted"> {link.label}</span>)}
              </span>
            </li>
          );
        })}
      </ol>
      {log.data && <Pager page={page} count={log.data.count} pageSize={ACTIVITY_PAGE_SIZE} onPage={setPage} />}
    </section>
  );
}

function Agreement({ projectId }: { projectId: number }) {
  const rows = useProjectAgreement(projectId);
  if (!rows.data || rows.data.length === 0) return null;
  return (
    <section className="card" aria-labelledby="agreement-title">
      <h2 id="agreement-title">Agreement between freelancers</h2>
      <p className="muted small">Krippendorff's alpha over submitted and approved work on the same items: 1 is full agreement, 0.8 and above is reliable.</p>
      <table className="table">
        <tbody>
          {rows.data.map((r) => (
            <tr key={r.key}>
              <td>{r.label}</td>
              <td className="num">{r.alpha === null ? "—" : r.alpha.toFixed(2)}</td>
              <td style={{ width: "40%" }}>
                {r.alpha !== null && <ProgressBar value={Math.max(0, r.alpha) * 100} max={100} label={`Agreement on ${r.label}`} />}
              </td>
              <td className="muted small">
                {r.note} · {r.items_compared} items compared
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
