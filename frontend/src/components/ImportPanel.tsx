import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { asApiError, type ApiError } from "../api/client";
import type { ImportResult } from "../api/types";
import { useImportAssets, useImportInfo } from "../features/projects/api/imports";
import { count } from "../format";
import { ErrorBanner, Tabs } from "./ui";

const MODES = ["manifest", "prefix"] as const;
type Mode = (typeof MODES)[number];
/** What a CSV manifest looks like: data, the same in every language. */
const MANIFEST_EXAMPLE = "key,item\nshoot/scene-1/still.png,scene-1\nshoot/scene-1/room.wav,scene-1";

/** The manifest's format from its file name, else from its first character (JSONL lines start with "{"). */
export function manifestFormat(text: string, fileName = ""): "csv" | "jsonl" {
  if (/\.jsonl?$/i.test(fileName)) return "jsonl";
  if (/\.csv$/i.test(fileName)) return "csv";
  return text.trimStart().startsWith("{") ? "jsonl" : "csv";
}

/** Bulk import of objects already in the bucket: a CSV/JSONL manifest of keys, or everything under a prefix. An
 * import fetches the project page again (items, progress, activity). */
export function ImportPanel({ projectId }: { projectId: number }) {
  const { t } = useTranslation("projects");
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
      <h2 id="import-title">{t("import.title")}</h2>
      <p className="muted">
        <Trans
          t={t}
          i18nKey="import.help"
          values={{ root: info.data?.import_root ?? "…", max: info.data ? count(info.data.max_files) : "…" }}
          components={{ code: <code /> }}
        />
      </p>
      <Tabs
        plain
        label={t("import.source")}
        options={MODES}
        value={mode}
        onChange={setMode}
        labelOf={(m) => (m === "manifest" ? t("import.mode.manifest") : t("import.mode.prefix"))}
      />
      {mode === "manifest" ? (
        <>
          <label className="field">
            <span>{t("import.file")}</span>
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
              {t("import.paste")}{" "}
              <small className="muted">
                ({text ? t("import.pasted", { format: manifestFormat(text, fileName).toUpperCase(), count: text.trim().split("\n").length }) : t("import.pastedEmpty")})
              </small>
            </span>
            <textarea
              rows={5}
              value={text}
              spellCheck={false}
              className="mono"
              placeholder={MANIFEST_EXAMPLE}
              onChange={(e) => {
                setText(e.target.value);
                setFileName("");
              }}
            />
          </label>
        </>
      ) : (
        <label className="field">
          <span>{t("import.folder", { root: info.data?.import_root ?? t("import.rootUnknown") })}</span>
          <input value={prefix} onChange={(e) => setPrefix(e.target.value)} placeholder={t("import.folderPlaceholder")} />
        </label>
      )}
      <div className="form-actions">
        <button className="btn btn-primary" disabled={busy || (mode === "manifest" && !text.trim())} onClick={() => void submit()}>
          {busy ? t("import.importing") : t("import.import")}
        </button>
      </div>
      <ErrorBanner error={error} />
      {rowErrors.length > 0 && (
        <ul className="row-errors" aria-label={t("import.rowErrors")}>
          {rowErrors.slice(0, 20).map(([k, msgs]) => (
            <li key={k}>
              <strong>{t("import.row", { row: k.slice(5) })}</strong>: {msgs.join(" ")}
            </li>
          ))}
          {rowErrors.length > 20 && <li className="muted">{t("import.moreRows", { count: rowErrors.length - 20 })}</li>}
        </ul>
      )}
      {result && (
        <div className="banner banner-ok" role="status">
          {t("import.result", { count: result.created, already: result.already_imported, skipped: result.skipped_count })}
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
