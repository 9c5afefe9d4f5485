/** The task's media, a tab each, with the tools to anchor notes. The timed files of an item (audio, video, motion,
 * sensor) share one tab when there is more than one of them (or a motion take, a sensor series, or a file set off
 * on the item's clock): the timeline plays them together. A lone audio or video file keeps its own player. 3D models
 * and motion takes load three.js on demand, so tasks without them never download it. */
import { lazy, Suspense, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Note } from "./merge";
import { AvView, ImageView, TextView, type Anchor, type TaskFile, type Tool } from "./MediaViewer";
import { Timeline, isTimed, offsetOf, useTimedFiles } from "./timeline/Timeline";

const ModelView = lazy(() => import("./three/ModelView"));

type View = { key: string; label: string; timeline: TaskFile[] | null; file: TaskFile | null };

const TOOLS: { tool: Tool; label: `tools.${Tool}`; key: string }[] = [
  { tool: "pan", label: "tools.pan", key: "V" },
  { tool: "rectangle", label: "tools.rectangle", key: "R" },
  { tool: "polygon", label: "tools.polygon", key: "P" },
  { tool: "point", label: "tools.point", key: "O" },
];

export function MediaPanel({
  files,
  notes,
  pending,
  onAnchor,
  onReanchor,
  editable,
  tool = "pan",
  onTool,
}: {
  files: TaskFile[];
  notes: Note[];
  pending: Anchor | null;
  onAnchor: (a: Anchor | null) => void;
  onReanchor: (noteId: string, a: Anchor | null) => void;
  /** The work can be changed (false: review, submitted work). */
  editable: boolean;
  tool?: Tool;
  onTool?: (t: Tool) => void;
}) {
  const { t } = useTranslation("work");
  const [index, setIndex] = useState(0);
  const timed = useTimedFiles(files);
  const together = timed.length > 1 || timed.some((f) => f.kind === "motion" || f.kind === "sensor" || offsetOf(f) !== 0);
  const views: View[] = together
    ? [
        { key: "timeline", label: timed.length > 1 ? t("media.timeline", { count: timed.length }) : timed[0]!.name, timeline: timed, file: null },
        ...files.filter((f) => !isTimed(f)).map((f) => ({ key: String(f.id), label: f.name, timeline: null, file: f })),
      ]
    : files.map((f) => ({ key: String(f.id), label: f.name, timeline: null, file: f }));
  const view = views[Math.min(index, views.length - 1)];
  const file = view?.file ?? null;
  const none = () => undefined;

  return (
    <>
      <div className="filters" role="tablist" aria-label={t("media.files")}>
        {views.map((v, i) => (
          <button key={v.key} type="button" role="tab" aria-selected={v === view} className={`tab tab-plain ${v === view ? "tab-active" : ""}`} onClick={() => setIndex(i)}>
            {v.label}
          </button>
        ))}
      </div>
      {!view ? (
        <p className="muted">{t("media.none")}</p>
      ) : [...(view.timeline ?? []), ...(file ? [file] : [])].some((f) => !f.download_url) ? (
        <p className="muted">{t("media.held")}</p>
      ) : view.timeline ? (
        <Timeline key="timeline" files={view.timeline} notes={notes} pending={pending} onAnchor={onAnchor} onReanchor={onReanchor} readOnly={!editable} />
      ) : !file ? null : file.kind === "image" ? (
        <>
          {editable && onTool && (
            <div className="viewer-tools" role="toolbar" aria-label={t("tools.label")}>
              {TOOLS.map((x) => (
                <button key={x.tool} type="button" className={`btn ${tool === x.tool ? "btn-primary" : ""}`} aria-pressed={tool === x.tool} onClick={() => onTool(x.tool)}>
                  {t(x.label)} <kbd>{x.key}</kbd>
                </button>
              ))}
            </div>
          )}
          {/* Read-only work (submitted, approved) is looked at, not drawn on. */}
          <ImageView key={file.id} file={file} notes={notes} tool={editable ? tool : "pan"} pending={pending} onAnchor={onAnchor} onReanchor={onReanchor} editable={editable} />
        </>
      ) : file.kind === "text" ? (
        <>
          {editable && <p className="muted small">{t("media.selectPassage")}</p>}
          <TextView file={file} notes={notes} onAnchor={editable ? onAnchor : none} />
        </>
      ) : file.kind === "audio" || file.kind === "video" ? (
        <AvView key={file.id} file={file} notes={notes} pending={pending} onAnchor={onAnchor} onReanchor={onReanchor} readOnly={!editable} />
      ) : file.kind === "model" ? (
        <Suspense fallback={<p className="muted small">{t("media.loading3d")}</p>}>
          <ModelView key={file.id} file={file} notes={notes} pending={pending} onAnchor={onAnchor} readOnly={!editable} />
        </Suspense>
      ) : (
        <p className="muted">{t("media.noViewer", { name: file.name, kind: file.kind })}</p>
      )}
    </>
  );
}
