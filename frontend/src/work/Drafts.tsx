/** Draft iterations: a timeline of immutable drafts, a form for the next one, and side-by-side comparison. */
import { type Evidence, typedShare } from "./evidence";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, asApiError } from "../api/client";
import type { components } from "../api/schema";
import { createDraft, requestDraftUpload } from "../features/work/api/contribution";
import { ErrorBanner, focusWhenShown, ProgressBar, Tabs } from "../components/ui";
import { bytes, dateTime } from "../format";
import { i18n } from "../i18n";
import { contentTypeOf, sendToStorage } from "../upload";
import type { Draft } from "../api/types";
import { compareTexts, foldUnchanged } from "./diff";

export type DraftView = Draft;

/** The IPTC digital source types a creator picks from for each draft, in plain words. */
export type SourceType = NonNullable<components["schemas"]["DraftInputRequest"]["source_type"]>;

/** The source types offered in the form (the ones with words in the catalogue, `source.<value>`). */
type OfferedSource = Extract<
  SourceType,
  "digitalCreation" | "humanEdits" | "digitalCapture" | "compositeCapture" | "algorithmicallyEnhanced" | "compositeWithTrainedAlgorithmicMedia" | "trainedAlgorithmicMedia"
>;

export const SOURCE_TYPES: { value: OfferedSource; generative?: boolean }[] = [
  { value: "digitalCreation" },
  { value: "humanEdits" },
  { value: "digitalCapture" },
  { value: "compositeCapture" },
  { value: "algorithmicallyEnhanced" },
  { value: "compositeWithTrainedAlgorithmicMedia", generative: true },
  { value: "trainedAlgorithmicMedia", generative: true },
];

/** A source type in plain words, in the language shown now (a value this app does not know is shown as it is). */
export function sourceLabel(value: string | undefined): string {
  const known = SOURCE_TYPES.find((s) => s.value === value)?.value;
  return known ? i18n.t(`source.${known}`, { ns: "work" }) : (value ?? "");
}

function newKey(): string {
  return globalThis.crypto?.randomUUID?.().replaceAll("-", "") ?? `${Date.now()}${Math.random().toString(16).slice(2)}`;
}

export function DraftForm({
  contributionId,
  disabled,
  generativeAllowed,
  onSaved,
  evidence,
}: {
  contributionId: number;
  disabled: boolean;
  generativeAllowed: boolean;
  onSaved: () => Promise<void>;
  /** Typed and pasted counts since the last draft (taken, and so reset, when a draft is saved). */
  evidence?: () => Evidence;
}) {
  const { t } = useTranslation("work");
  const [mode, setMode] = useState<"text" | "file">("text");
  const [text, setText] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [changeNote, setChangeNote] = useState("");
  const [whatFailed, setWhatFailed] = useState("");
  const [tools, setTools] = useState("");
  const [generative, setGenerative] = useState(false);
  const [sourceType, setSourceType] = useState<SourceType>("digitalCreation");
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  // One key per draft being written: a retry after a flaky network saves it once.
  const [clientKey, setClientKey] = useState(newKey);

  async function save() {
    // The new draft joins the timeline; focus goes to it once saved (this form is disabled while it saves).
    const shown = document.querySelectorAll(".draft-timeline > li").length;
    setBusy(true);
    setError(null);
    try {
      let source: Record<string, string> = { text };
      if (mode === "file") {
        if (!file) throw new ApiError(400, "invalid", t("drafts.form.chooseFile"));
        const ticket = await requestDraftUpload(contributionId, { name: file.name, size_bytes: file.size, content_type: contentTypeOf(file) });
        setProgress(0);
        await sendToStorage({ ...ticket, file_id: 0, item_id: 0, item: "", name: file.name }, file, setProgress);
        source = { upload_token: ticket.upload_token };
      }
      const counted = evidence?.() ?? { typed: 0, pasted: 0 };
      await createDraft(contributionId, {
        typed_chars: counted.typed,
        pasted_chars: counted.pasted,
        client_key: clientKey,
        change_note: changeNote,
        what_failed: whatFailed,
        tools: tools.split(",").map((t) => t.trim()).filter(Boolean),
        generative_tools_used: generative,
        source_type: sourceType,
        ...source,
      });
      setText("");
      setFile(null);
      setChangeNote("");
      setWhatFailed("");
      setProgress(null);
      setClientKey(newKey());
      await onSaved();
      focusWhenShown(() => document.querySelectorAll<HTMLElement>(".draft-timeline > li")[shown]);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <fieldset className="plain draft-form" disabled={disabled || busy}>
      <Tabs plain label={t("drafts.form.kind")} options={["text", "file"]} value={mode} onChange={setMode} labelOf={(m) => (m === "text" ? t("drafts.form.writeText") : t("drafts.form.uploadFile"))} />
      {mode === "text" ? (
        <label className="field">
          <span>{t("drafts.form.text")}</span>
          <textarea rows={5} value={text} onChange={(e) => setText(e.target.value)} />
        </label>
      ) : (
        <label className="field">
          <span>{t("drafts.form.file")}</span>
          <input type="file" data-testid="draft-file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          {progress !== null && file && <ProgressBar value={progress} max={file.size} label={t("drafts.form.upload", { name: file.name })} />}
        </label>
      )}
      <label className="field">
        <span>{t("drafts.form.changed")}</span>
        <input data-change-note value={changeNote} onChange={(e) => setChangeNote(e.target.value)} placeholder={t("drafts.form.changedExample")} />
      </label>
      <label className="field">
        <span>{t("drafts.form.failed")}</span>
        <input value={whatFailed} onChange={(e) => setWhatFailed(e.target.value)} placeholder={t("drafts.form.failedExample")} />
      </label>
      <div className="row">
        <label className="field grow">
          <span>{t("drafts.form.tools")}</span>
          <input value={tools} onChange={(e) => setTools(e.target.value)} placeholder={t("drafts.form.toolsExample")} />
        </label>
        <label className="field">
          <span>{t("drafts.form.source")}</span>
          <select value={sourceType} onChange={(e) => setSourceType(SOURCE_TYPES.find((s) => s.value === e.target.value)?.value ?? sourceType)} aria-label={t("drafts.form.source")}>
            {SOURCE_TYPES.filter((s) => generativeAllowed || !s.generative).map((s) => (
              <option key={s.value} value={s.value}>
                {t(`source.${s.value}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="check" title={generativeAllowed ? "" : t("drafts.form.noGenerative")}>
          <input type="checkbox" checked={generative} disabled={!generativeAllowed} onChange={(e) => setGenerative(e.target.checked)} />
          {t("drafts.form.generative")}
        </label>
      </div>
      <ErrorBanner error={error} />
      <button type="button" className="btn btn-primary" onClick={() => void save()}>
        {busy ? t("drafts.form.saving") : t("drafts.form.save")} <kbd>D</kbd>
      </button>
    </fieldset>
  );
}

function DraftBody({ draft }: { draft: DraftView }) {
  const { t } = useTranslation("work");
  if (draft.kind === "text") return <pre className="draft-text">{draft.body}</pre>;
  if (draft.content_type.startsWith("image/")) return <img className="draft-image" src={draft.download_url ?? ""} alt={t("drafts.name", { sequence: draft.sequence })} />;
  if (draft.content_type.startsWith("audio/")) return <audio controls src={draft.download_url ?? undefined} />;
  if (draft.content_type.startsWith("video/")) return <video controls src={draft.download_url ?? undefined} className="draft-image" />;
  return (
    <a href={draft.download_url ?? "#"} target="_blank" rel="noreferrer">
      {draft.name}
    </a>
  );
}

export function DraftTimeline({ drafts, onCompare }: { drafts: DraftView[]; onCompare: (a: number, b: number) => void }) {
  const { t } = useTranslation("work");
  const [picked, setPicked] = useState<number[]>([]);
  function toggle(id: number) {
    const next = picked.includes(id) ? picked.filter((x) => x !== id) : [...picked, id].slice(-2);
    setPicked(next);
  }
  if (drafts.length === 0) return <p className="muted">{t("drafts.empty")}</p>;
  return (
    <div>
      <ol className="draft-timeline">
        {drafts.map((d) => (
          <li key={d.id} className={picked.includes(d.id) ? "picked" : ""}>
            <label className="check">
              <input type="checkbox" checked={picked.includes(d.id)} onChange={() => toggle(d.id)} aria-label={t("drafts.pick", { sequence: d.sequence })} />
              <strong>{t("drafts.name", { sequence: d.sequence })}</strong>
            </label>
            <span className="muted small">
              {dateTime(d.created_at)} · {d.kind === "text" ? t("drafts.characters", { count: d.body.length }) : `${d.name}, ${bytes(d.size_bytes)}`}
            </span>
            <span>{d.change_note}</span>
            {d.source_type && <span className="chip small">{sourceLabel(d.source_type)}</span>}
            {d.active_seconds !== undefined && (
              <span className="muted small" data-testid="draft-evidence">
                {t("drafts.evidence", { minutes: Math.round(d.active_seconds / 60), sessions: d.sessions })}
                {typedShare(d.typed_chars ?? 0, d.pasted_chars ?? 0) && ` · ${typedShare(d.typed_chars ?? 0, d.pasted_chars ?? 0)}`}
              </span>
            )}
            {d.what_failed && <span className="small failed-note">{t("drafts.failed", { what: d.what_failed })}</span>}
            <code className="small hash" title={t("drafts.hash")}>{d.chain_sha256.slice(0, 12)}</code>
          </li>
        ))}
      </ol>
      <button type="button" className="btn" disabled={picked.length !== 2} onClick={() => onCompare(picked[0]!, picked[1]!)}>
        {t("drafts.compare")}
      </button>
    </div>
  );
}

export function DraftCompare({ a, b, onClose }: { a: DraftView; b: DraftView; onClose: () => void }) {
  const { t } = useTranslation("work");
  const [first, second] = a.sequence < b.sequence ? [a, b] : [b, a];
  const [overlay, setOverlay] = useState(50);
  const [mode, setMode] = useState<"side" | "overlay">("side");
  const images = first.content_type.startsWith("image/") && second.content_type.startsWith("image/");
  const texts = first.kind === "text" && second.kind === "text";
  return (
    <section className="card compare" aria-label={t("drafts.compareLabel")}>
      <header className="row">
        <h2 className="grow">
          {t("drafts.comparing", { first: first.sequence, second: second.sequence })}
        </h2>
        {images && (
          <Tabs plain label={t("drafts.comparison")} options={["side", "overlay"]} value={mode} onChange={setMode} labelOf={(m) => (m === "side" ? t("drafts.sideBySide") : t("drafts.overlay"))} />
        )}
        <button type="button" className="btn" onClick={onClose}>
          {t("drafts.close")}
        </button>
      </header>
      {texts ? (
        <TextDiff before={first.body} after={second.body} />
      ) : images && mode === "overlay" ? (
        <div className="overlay-compare">
          <img src={first.download_url ?? ""} alt={t("drafts.name", { sequence: first.sequence })} />
          <img src={second.download_url ?? ""} alt={t("drafts.name", { sequence: second.sequence })} style={{ opacity: overlay / 100 }} />
          <input type="range" min={0} max={100} value={overlay} aria-label={t("drafts.blend")} onChange={(e) => setOverlay(Number(e.target.value))} />
        </div>
      ) : (
        <div className="grid-2">
          {[first, second].map((d) => (
            <div key={d.id}>
              <h3>{t("drafts.name", { sequence: d.sequence })}</h3>
              <p className="muted small">{d.change_note}</p>
              <DraftBody draft={d} />
            </div>
          ))}
        </div>
      )}
    </section>
  );
}

const LEVEL_NOTE = {
  words: null,
  lines: "diff.lines",
  whole: "diff.whole",
} as const;

/** Two text drafts compared, unchanged stretches folded (a click shows them). */
export function TextDiff({ before, after }: { before: string; after: string }) {
  const comparison = useMemo(() => compareTexts(before, after), [before, after]);
  const shown = useMemo(() => foldUnchanged(comparison.parts), [comparison]);
  const { t } = useTranslation("work");
  const [opened, setOpened] = useState<ReadonlySet<number>>(new Set());
  const note = LEVEL_NOTE[comparison.level];
  return (
    <>
      {note && <p className="muted small" data-testid="diff-level">{t(note)}</p>}
      <pre className="diff" data-testid="diff">
        {shown.map((p, i) =>
          p.kind === "folded" ? (
            opened.has(i) ? (
              <span key={i}>{p.text}</span>
            ) : (
              <button key={i} type="button" className="diff-fold" onClick={() => setOpened(new Set(opened).add(i))}>
                {t("diff.folded", { count: p.lines })}
              </button>
            )
          ) : p.kind === "same" ? (
            <span key={i}>{p.text}</span>
          ) : p.kind === "added" ? (
            <ins key={i}>{p.text}</ins>
          ) : (
            <del key={i}>{p.text}</del>
          ),
        )}
      </pre>
    </>
  );
}
