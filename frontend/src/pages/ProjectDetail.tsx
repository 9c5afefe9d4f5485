import { useQueryClient } from "@tanstack/react-query";
import type { TFunction } from "i18next";
import { useRef, useState, type DragEvent } from "react";
import { Trans, useTranslation } from "react-i18next";
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
import { bytes, count, date, dateTime, minutes, money, perHour, text } from "../format";
import { i18n } from "../i18n";
import { useProject } from "../features/projects/api/get-project";
import { ACTIVITY_PAGE_SIZE, useProjectActivity } from "../features/projects/api/get-project-activity";
import { useProjectAgreement } from "../features/projects/api/get-project-agreement";
import { useProjectItems } from "../features/projects/api/get-project-items";
import { useProjectProgress } from "../features/projects/api/get-project-progress";
import { projectKeys } from "../features/projects/api/keys";
import { useTransitionProject, type ProjectAction } from "../features/projects/api/transition-project";
import { isFieldType } from "../spec";
import { uploadFiles, type UploadState } from "../upload";
import { describeEvent, objectLink } from "./Audit";

const ACTIONS: Record<string, { action: ProjectAction; primary?: boolean }[]> = {
  draft: [{ action: "publish", primary: true }, { action: "close" }],
  published: [{ action: "pause" }, { action: "close" }],
  paused: [{ action: "resume", primary: true }, { action: "close" }],
  closed: [],
};

function probeSummary(probe: unknown, t: TFunction<"projects">): string {
  const p = (probe ?? {}) as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof p.width === "number" && typeof p.height === "number") parts.push(t("detail.file.dimensions", { width: p.width, height: p.height }));
  if (typeof p.duration_seconds === "number") parts.push(t("detail.file.duration", { seconds: p.duration_seconds }));
  if (typeof p.characters === "number") parts.push(t("detail.file.characters", { count: p.characters }));
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
  const { t } = useTranslation("projects");

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
      <Crumbs links={[{ to: "/projects", label: t("list.title") }]} current={p.title} />
      <PageHeader
        title={p.title}
        subtitle={
          <>
            <Badge value={p.status} /> · {t("detail.created", { date: date(p.created_at) })} ·{" "}
            {p.modalities.map((m) => t(`modality.${m}`)).join(", ")}
          </>
        }
        actions={
          isAdmin && (
            <>
              {p.status !== "closed" && (
                <Link className="btn" to={`/projects/${p.id}/edit`}>
                  {t("detail.edit")}
                </Link>
              )}
              {ACTIONS[p.status]?.map((a) => (
                <button key={a.action} className={`btn ${a.primary ? "btn-primary" : ""}`} onClick={() => transition.mutate(a.action)}>
                  {t(`detail.action.${a.action}`)}
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
          <h2>{t("detail.terms")}</h2>
          <Facts>
            <Fact term={t("detail.fact.pay")}>{money(p.pay)}</Fact>
            <Fact term={t("detail.fact.estimate")}>{minutes(p.estimated_minutes)}</Fact>
            <Fact term={t("detail.fact.rate")} className={p.meets_minimum_rate ? "rate" : "below"}>
              {perHour(p.effective_hourly_rate)}
            </Fact>
            <Fact term={t("detail.fact.minimum")}>{perHour(p.minimum_hourly_rate)}</Fact>
            <Fact term={t("detail.fact.replicas")}>{count(p.replicas_per_item)}</Fact>
            <Fact term={t("detail.fact.licence")}>{p.licence}</Fact>
            <Fact term={t("detail.fact.deadline")}>{p.deadline ? dateTime(p.deadline) : t("detail.fact.noDeadline")}</Fact>
            <Fact term={t("detail.fact.agreement")}>{t("detail.fact.agreementVersion", { version: p.agreement_version })}</Fact>
            <Fact term={t("detail.fact.generative")}>{p.generative_tools_allowed ? t("detail.fact.generativeAllowed") : t("detail.fact.generativeNotAllowed")}</Fact>
          </Facts>
          {!p.meets_minimum_rate && (
            <p className="banner banner-warn">{t("detail.belowMinimum")}</p>
          )}
          <h3>{t("detail.spec.title")}</h3>
          {!((p.output_spec as { fields?: unknown[] }).fields ?? []).length && <p className="muted">{t("detail.spec.empty")}</p>}
          <ul className="spec-list">
            {((p.output_spec as { fields?: { key: string; type: string; label: string; required: boolean }[] }).fields ?? []).map((f) => (
              <li key={f.key}>
                <strong>{f.label}</strong> <span className="chip">{isFieldType(f.type) ? t(`fieldName.${f.type}`) : f.type.replace("_", " ")}</span>
                {f.required && <span className="muted"> {t("detail.spec.required")}</span>}
              </li>
            ))}
          </ul>
        </section>
        <section className="card">
          <h2>{t("detail.progress.title")}</h2>
          {pr ? (
            <StackedBars
              rows={[
                {
                  title: t("detail.progress.files"),
                  segments: [
                    { label: t("detail.progress.ready"), value: pr.files.ready ?? 0, tone: "green" },
                    { label: t("detail.progress.ingesting"), value: (pr.files.pending ?? 0) + (pr.files.uploading ?? 0), tone: "blue" },
                    { label: t("detail.progress.failed"), value: pr.files.failed ?? 0, tone: "red" },
                  ],
                },
                {
                  title: t("detail.progress.items"),
                  segments: [
                    { label: t("detail.progress.ready"), value: pr.items.ready ?? 0, tone: "green" },
                    { label: t("detail.progress.waiting"), value: pr.items.waiting ?? 0, tone: "blue" },
                    { label: t("detail.progress.failed"), value: pr.items.failed ?? 0, tone: "red" },
                  ],
                },
                {
                  title: t("detail.progress.slots", { tasks: pr.tasks, replicas: p.replicas_per_item, gold: pr.gold_items ?? 0 }),
                  segments: [
                    { label: t("detail.progress.approved"), value: pr.slots.approved ?? 0, tone: "green" },
                    { label: t("detail.progress.submitted"), value: pr.slots.submitted ?? 0, tone: "teal" },
                    { label: t("detail.progress.inProgress"), value: pr.slots.in_progress ?? 0, tone: "amber" },
                    { label: t("detail.progress.open"), value: pr.slots.open ?? 0, tone: "grey" },
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
        <h2>{t("detail.brief")}</h2>
        <div className="brief" dangerouslySetInnerHTML={{ __html: p.brief_html }} />
        {p.instructions_html && (
          <>
            <h3>{t("detail.instructions")}</h3>
            <div className="brief" dangerouslySetInnerHTML={{ __html: p.instructions_html }} />
          </>
        )}
      </section>
      {p.examples.length > 0 && (
        <section className="card examples">
          <h2>{t("detail.examples")}</h2>
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
          <h2>{t("detail.assets.title")}</h2>
          <p className="muted">
            <Trans
              t={t}
              i18nKey="detail.assets.drop"
              components={{ choose: <button className="linkish" onClick={() => fileInput.current?.click()} /> }}
            />
          </p>
          <label className="check">
            <input type="checkbox" checked={oneItem} onChange={(e) => setOneItem(e.target.checked)} />
            {t("detail.assets.oneItem")}
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
                  <ProgressBar value={u.loaded} max={u.size} label={t("detail.assets.uploadOf", { name: u.name })} />
                  <span className={`upload-status ${u.status}`}>{u.error ?? t(`detail.upload.${u.status}`)}</span>
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
        <h2>{t("detail.items.title")}</h2>
        <ErrorBanner error={items.error} />
        {items.data && items.data.results.length === 0 && (
          <EmptyState title={t("detail.items.empty.title")}>{t("detail.items.empty.body")}</EmptyState>
        )}
        <div className="items">
          {items.data?.results.map((item) => (
            <article className="item" key={item.id}>
              <header>
                <strong>{item.external_id}</strong>
                <span className="muted small">{t("detail.items.files", { count: item.files.length })}</span>
              </header>
              <div className="files">
                {item.files.map((f) => (
                  <div className={`file file-${f.status}`} key={f.id}>
                    {f.preview_url ? (
                      <img src={f.preview_url} alt={t("detail.file.preview", { name: f.name })} className={f.kind === "audio" ? "wave" : "thumb"} loading="lazy" />
                    ) : (
                      <div className="thumb thumb-empty">{t(`modality.${f.kind}`)}</div>
                    )}
                    <div className="file-meta">
                      <span className="file-name" title={f.name}>
                        {f.name}
                      </span>
                      <span className="muted small">
                        {t(`modality.${f.kind}`)} · {bytes(f.size_bytes)}
                        {probeSummary(f.probe, t)}
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

/** The project's own events, as a sentence after the actor's name. */
const ACTIVITY_LABELS = {
  "project.created": "activity.created",
  "project.updated": "activity.updated",
  "project.publish": "activity.publish",
  "project.pause": "activity.pause",
  "project.resume": "activity.resume",
  "project.close": "activity.close",
  "project.assets_uploaded": "activity.uploaded",
  "project.assets_imported": "activity.imported",
  "gold.set": "activity.goldSet",
  "gold.removed": "activity.goldRemoved",
} as const;

/** The fields of a project a change can name (the API's names), as the activity says them. */
const PROJECT_FIELDS = [
  "title",
  "brief",
  "instructions",
  "examples",
  "modalities",
  "pay",
  "estimated_minutes",
  "output_spec",
  "replicas_per_item",
  "qualifications",
  "deadline",
  "agreement_version",
  "licence",
  "generative_tools_allowed",
  "review_period_hours",
  "rubric",
  "gold_rate",
  "required_exam_id",
] as const;

function fieldName(name: unknown, t: TFunction<"projects">): string {
  const known = PROJECT_FIELDS.find((f) => f === name);
  return known ? t(`activity.field.${known}`) : String(name).replaceAll("_", " ");
}

/** Outside React too (the audit log uses it): in the language the app shows now. */
export function describeActivity(e: Activity): string {
  const t = i18n.getFixedT(null, "projects");
  const data = (e.details ?? {}) as Record<string, unknown>;
  const action = e.action as keyof typeof ACTIVITY_LABELS;
  if (!(action in ACTIVITY_LABELS)) return e.action;
  if (action === "project.updated" && Array.isArray(data.fields))
    return t("activity.updatedFields", { fields: data.fields.map((f) => fieldName(f, t)).join(", ") });
  if (action === "project.assets_uploaded")
    return t("activity.uploadedFiles", { count: Number(data.files ?? 0), size: bytes(Number(data.bytes ?? 0)) });
  if (action === "project.assets_imported")
    return t("activity.importedFiles", { count: Number(data.created ?? 0), source: text(data.source), skipped: Number(data.skipped ?? 0) });
  if (action === "gold.set" && data.item) return t("activity.goldSetItem", { item: text(data.item) });
  if (action === "gold.removed" && data.item) return t("activity.goldRemovedItem", { item: text(data.item) });
  return t(ACTIVITY_LABELS[action]);
}

function ActivityLog({ projectId }: { projectId: number }) {
  const { t } = useTranslation("projects");
  const [page, setPage] = useState(1);
  const log = useProjectActivity(projectId, page);
  return (
    <section className="card" aria-labelledby="activity-title">
      <h2 id="activity-title">{t("activity.title")}</h2>
      <ErrorBanner error={log.error} />
      {log.data && log.data.results.length === 0 && <p className="muted">{t("activity.empty")}</p>}
      <ol className="activity">
        {log.data?.results.map((e) => {
          // The project's own events read as before; its work (claims, submissions, decisions) as in the audit log.
          const link = e.target_type === "project" ? null : objectLink(e);
          return (
            <li key={e.id}>
              <time dateTime={e.created_at}>{dateTime(e.created_at)}</time>
              <span>
                <strong>{e.actor?.name ?? t("activity.system")}</strong> {describeEvent(e)}
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
  const { t } = useTranslation("projects");
  const rows = useProjectAgreement(projectId);
  if (!rows.data || rows.data.length === 0) return null;
  return (
    <section className="card" aria-labelledby="agreement-title">
      <h2 id="agreement-title">{t("agreement.title")}</h2>
      <p className="muted small">{t("agreement.help")}</p>
      <table className="table">
        <tbody>
          {rows.data.map((r) => (
            <tr key={r.key}>
              <td>{r.label}</td>
              <td className="num">{r.alpha === null ? "—" : t("agreement.alpha", { alpha: r.alpha })}</td>
              <td style={{ width: "40%" }}>
                {r.alpha !== null && <ProgressBar value={Math.max(0, r.alpha) * 100} max={100} label={t("agreement.on", { label: r.label })} />}
              </td>
              <td className="muted small">
                {r.note} · {t("agreement.compared", { count: r.items_compared })}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
