/** Draft iterations: a timeline of immutable drafts, a form for the next one, and side-by-side comparison. */
import { useState } from "react";
import { ApiError, post } from "../api/client";
import { ErrorBanner, ProgressBar } from "../components/ui";
import { bytes, dateTime } from "../format";
import { contentTypeOf, sendToStorage } from "../upload";
import { diffWords } from "./diff";

export interface DraftView {
  id: number;
  sequence: number;
  kind: string;
  body: string;
  name: string;
  content_type: string;
  size_bytes: number;
  change_note: string;
  what_failed: string;
  chain_sha256: string;
  created_at: string;
  download_url?: string | null;
}

function newKey(): string {
  return globalThis.crypto?.randomUUID?.().replaceAll("-", "") ?? `${Date.now()}${Math.random().toString(16).slice(2)}`;
}

export function DraftForm({
  contributionId,
  disabled,
  generativeAllowed,
  onSaved,
}: {
  contributionId: number;
  disabled: boolean;
  generativeAllowed: boolean;
  onSaved: () => Promise<void>;
}) {
  const [mode, setMode] = useState<"text" | "file">("text");
  const [text, setText] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [changeNote, setChangeNote] = useState("");
  const [whatFailed, setWhatFailed] = useState("");
  const [tools, setTools] = useState("");
  const [generative, setGenerative] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  // One key per draft being written: a retry after a flaky network saves it once.
  const [clientKey, setClientKey] = useState(newKey);

  async function save() {
    setBusy(true);
    setError(null);
    try {
      let source: Record<string, string> = { text };
      if (mode === "file") {
        if (!file) throw new ApiError(400, "invalid", "Choose a file.");
        const ticket = await post<{ upload_token: string; url: string; form_fields: Record<string, string>; expires_in: number }>(
          `/api/v1/contributions/${contributionId}/draft-uploads`,
          { name: file.name, size_bytes: file.size, content_type: contentTypeOf(file) },
        );
        setProgress(0);
        await sendToStorage({ ...ticket, file_id: 0, item_id: 0, item: "", name: file.name }, file, setProgress);
        source = { upload_token: ticket.upload_token };
      }
      await post(`/api/v1/contributions/${contributionId}/drafts`, {
        client_key: clientKey,
        change_note: changeNote,
        what_failed: whatFailed,
        tools: tools.split(",").map((t) => t.trim()).filter(Boolean),
        generative_tools_used: generative,
        ...source,
      });
      setText("");
      setFile(null);
      setChangeNote("");
      setWhatFailed("");
      setProgress(null);
      setClientKey(newKey());
      await onSaved();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, "error", String(err)));
    } finally {
      setBusy(false);
    }
  }

  return (
    <fieldset className="plain draft-form" disabled={disabled || busy}>
      <div className="filters" role="tablist" aria-label="Draft kind">
        {(["text", "file"] as const).map((m) => (
          <button key={m} type="button" role="tab" aria-selected={mode === m} className={`tab tab-plain ${mode === m ? "tab-active" : ""}`} onClick={() => setMode(m)}>
            {m === "text" ? "Write a text draft" : "Upload a file"}
          </button>
        ))}
      </div>
      {mode === "text" ? (
        <label className="field">
          <span>Draft text</span>
          <textarea rows={5} value={text} onChange={(e) => setText(e.target.value)} />
        </label>
      ) : (
        <label className="field">
          <span>Draft file (image, audio, video or text)</span>
          <input type="file" data-testid="draft-file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          {progress !== null && file && <ProgressBar value={progress} max={file.size} label={`Upload of ${file.name}`} />}
        </label>
      )}
      <label className="field">
        <span>What changed in this draft</span>
        <input value={changeNote} onChange={(e) => setChangeNote(e.target.value)} placeholder="e.g. Moved the horizon up; warmer sky" />
      </label>
      <label className="field">
        <span>What did not work, and why (optional)</span>
        <input value={whatFailed} onChange={(e) => setWhatFailed(e.target.value)} placeholder="e.g. The red boat pulled the eye away" />
      </label>
      <div className="row">
        <label className="field grow">
          <span>Tools used (comma separated)</span>
          <input value={tools} onChange={(e) => setTools(e.target.value)} placeholder="e.g. Krita, pencil" />
        </label>
        <label className="check" title={generativeAllowed ? "" : "This project does not accept generative tools"}>
          <input type="checkbox" checked={generative} disabled={!generativeAllowed} onChange={(e) => setGenerative(e.target.checked)} />
          Generative tools used
        </label>
      </div>
      <ErrorBanner error={error} />
      <button type="button" className="btn btn-primary" onClick={() => void save()}>
        {busy ? "Saving draft…" : "Save draft"} <kbd>D</kbd>
      </button>
    </fieldset>
  );
}

function DraftBody({ draft }: { draft: DraftView }) {
  if (draft.kind === "text") return <pre className="draft-text">{draft.body}</pre>;
  if (draft.content_type.startsWith("image/")) return <img className="draft-image" src={draft.download_url ?? ""} alt={`Draft ${draft.sequence}`} />;
  if (draft.content_type.startsWith("audio/")) return <audio controls src={draft.download_url ?? undefined} />;
  if (draft.content_type.startsWith("video/")) return <video controls src={draft.download_url ?? undefined} className="draft-image" />;
  return (
    <a href={draft.download_url ?? "#"} target="_blank" rel="noreferrer">
      {draft.name}
    </a>
  );
}

export function DraftTimeline({ drafts, onCompare }: { drafts: DraftView[]; onCompare: (a: number, b: number) => void }) {
  const [picked, setPicked] = useState<number[]>([]);
  function toggle(id: number) {
    const next = picked.includes(id) ? picked.filter((x) => x !== id) : [...picked, id].slice(-2);
    setPicked(next);
  }
  if (drafts.length === 0) return <p className="muted">No drafts yet. Save one each time the work changes direction.</p>;
  return (
    <div>
      <ol className="draft-timeline">
        {drafts.map((d) => (
          <li key={d.id} className={picked.includes(d.id) ? "picked" : ""}>
            <label className="check">
              <input type="checkbox" checked={picked.includes(d.id)} onChange={() => toggle(d.id)} aria-label={`Pick draft ${d.sequence} to compare`} />
              <strong>Draft {d.sequence}</strong>
            </label>
            <span className="muted small">
              {dateTime(d.created_at)} · {d.kind === "text" ? `${d.body.length} characters` : `${d.name}, ${bytes(d.size_bytes)}`}
            </span>
            <span>{d.change_note}</span>
            {d.what_failed && <span className="small failed-note">Did not work: {d.what_failed}</span>}
            <code className="small hash" title="Chain hash: it covers this draft and every one before it">{d.chain_sha256.slice(0, 12)}</code>
          </li>
        ))}
      </ol>
      <button type="button" className="btn" disabled={picked.length !== 2} onClick={() => onCompare(picked[0]!, picked[1]!)}>
        Compare the two picked drafts
      </button>
    </div>
  );
}

export function DraftCompare({ a, b, onClose }: { a: DraftView; b: DraftView; onClose: () => void }) {
  const [first, second] = a.sequence < b.sequence ? [a, b] : [b, a];
  const [overlay, setOverlay] = useState(50);
  const [mode, setMode] = useState<"side" | "overlay">("side");
  const images = first.content_type.startsWith("image/") && second.content_type.startsWith("image/");
  const texts = first.kind === "text" && second.kind === "text";
  return (
    <section className="card compare" aria-label="Compare drafts">
      <header className="row">
        <h2 className="grow">
          Draft {first.sequence} → draft {second.sequence}
        </h2>
        {images && (
          <div className="filters" role="tablist" aria-label="Comparison">
            {(["side", "overlay"] as const).map((m) => (
              <button key={m} type="button" role="tab" aria-selected={mode === m} className={`tab tab-plain ${mode === m ? "tab-active" : ""}`} onClick={() => setMode(m)}>
                {m === "side" ? "Side by side" : "Overlay"}
              </button>
            ))}
          </div>
        )}
        <button type="button" className="btn" onClick={onClose}>
          Close
        </button>
      </header>
      {texts ? (
        <pre className="diff" data-testid="diff">
          {diffWords(first.body, second.body).map((p, i) =>
            p.kind === "same" ? <span key={i}>{p.text}</span> : p.kind === "added" ? <ins key={i}>{p.text}</ins> : <del key={i}>{p.text}</del>,
          )}
        </pre>
      ) : images && mode === "overlay" ? (
        <div className="overlay-compare">
          <img src={first.download_url ?? ""} alt={`Draft ${first.sequence}`} />
          <img src={second.download_url ?? ""} alt={`Draft ${second.sequence}`} style={{ opacity: overlay / 100 }} />
          <input type="range" min={0} max={100} value={overlay} aria-label="Blend" onChange={(e) => setOverlay(Number(e.target.value))} />
        </div>
      ) : (
        <div className="grid-2">
          {[first, second].map((d) => (
            <div key={d.id}>
              <h3>Draft {d.sequence}</h3>
              <p className="muted small">{d.change_note}</p>
              <DraftBody draft={d} />
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
