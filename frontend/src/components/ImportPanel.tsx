import { useState } from "react";
import { asApiError, type ApiError } from "../api/client";
import type { ImportResult } from "../api/types";
import { useImportAssets, useImportInfo } from "../features/projects/api/imports";
import { ErrorBanner, Tabs } from "./ui";

const MODES = ["manifest", "prefix"] as const;
type Mode = (typeof MODES)[number];

/** The manifest's format from its file name, else from its first character (JSONL lines start with "{"). */
export function manifestFormat(text: string, fileName = ""): "csv" | "jsonl" {
  if (/\.jsonl?$/i.test(fileName)) return "jsonl";
  if (/\.csv$/i.test(fileName)) return "csv";
  return text.trimStart().startsWith("{") ? "jsonl" : "csv";
}

/** Bulk import of objects already in the bucket: a CSV/JSONL manifest of keys, or everything under a prefix. An
 * import fetches the project page again (items, progress, activity). */
export function ImportPanel({ projectId }: { projectId: number }) {
  const info = useImportInfo(projectId);
  const importAssets = useImportAssets(projectId);
  const [mode, setMode] = useState<Mode>("manifest");
  const [text, setText] = useState("");
  const [fileName, setFileName] = useState("");
  const [prefix, setPrefix] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);

  async function submit() {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const body = mode === "manifest" ? { manifest: text, format: manifestFormat(text, fileName) } : { prefix };
      setResult(await importAssets.mutateAsync(body));
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }

  const rowErrors = error ? Object.entries(error.fields).filter(([k]) => k.startsWith("rows.")) : [];
  return (
    <section className="card" aria-labelledby="import-title">
      <h2 id="import-title">Import from storage</h2>
      <p className="muted">
        Put objects under <code>{info.data?.import_root ?? "…"}</code> in the bucket with any S3 tool, then list them in a manifest (one
        file per row: <code>key</code>, optional <code>item</code>, <code>content_type</code>, <code>name</code>) or import a
        whole folder: each sub-folder becomes one multimodal item. Up to {info.data?.max_files.toLocaleString() ?? "…"} files
        at a time; importing again skips what is already here.
      </p>
      <Tabs
        plain
        label="Import source"
        options={MODES}
        value={mode}
        onChange={setMode}
        labelOf={(m) => (m === "manifest" ? "CSV / JSONL manifest" : "Folder (prefix)")}
      />
      {mode === "manifest" ? (
        <>
          <label className="field">
            <span>Manifest file</span>
            <input
              type="file"
              accept=".csv,.jsonl,.json,text/csv,application/json"
              data-testid="manifest-input"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (!file) return;
                setFileName(file.name);
                void file.text().then(setText);
              }}
            />
          </label>
          <label className="field">
            <span>
              …or paste it <small className="muted">({text ? `${manifestFormat(text, fileName).toUpperCase()}, ${text.trim().split("\n").length} lines` : "empty"})</small>
            </span>
            <textarea
              rows={5}
              value={text}
              spellCheck={false}
              className="mono"
              placeholder={"key,item\nshoot/scene-1/still.png,scene-1\nshoot/scene-1/room.wav,scene-1"}
              onChange={(e) => {
                setText(e.target.value);
                setFileName("");
              }}
            />
          </label>
        </>
      ) : (
        <label className="field">
          <span>Folder under {info.data?.import_root ?? "the import root"}</span>
          <input value={prefix} onChange={(e) => setPrefix(e.target.value)} placeholder="e.g. shoot-2026-11/ (blank: everything)" />
        </label>
      )}
      <div className="form-actions">
        <button className="btn btn-primary" disabled={busy || (mode === "manifest" && !text.trim())} onClick={() => void submit()}>
          {busy ? "Importing…" : "Import"}
        </button>
      </div>
      <ErrorBanner error={error} />
      {rowErrors.length > 0 && (
        <ul className="row-errors" aria-label="Rows that cannot be imported">
          {rowErrors.slice(0, 20).map(([k, msgs]) => (
            <li key={k}>
              <strong>Row {k.slice(5)}</strong>: {msgs.join(" ")}
            </li>
          ))}
          {rowErrors.length > 20 && <li className="muted">…and {rowErrors.length - 20} more rows.</li>}
        </ul>
      )}
      {result && (
        <div className="banner banner-ok" role="status">
          {result.created.toLocaleString()} file{result.created === 1 ? "" : "s"} queued for ingestion
          {result.already_imported > 0 && `, ${result.already_imported.toLocaleString()} already here`}
          {result.skipped_count > 0 && `, ${result.skipped_count.toLocaleString()} skipped`}.
          {result.skipped.length > 0 && (
            <ul className="small">
              {result.skipped.map((s) => (
                <li key={s.key}>
                  <code>{s.key}</code>: {s.reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
