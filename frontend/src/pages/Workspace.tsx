/** The creative workspace: the task's media with anchoring tools, intent, process notes, answers, drafts, submit. */
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { ApiError } from "../api/client";
import { disputeContribution, getWorkContribution, pingActivity, returnContribution, saveWork, submitContribution } from "../features/work/api/contribution";
import type { Contribution } from "../api/types";
import { Badge, ErrorBanner, focusWhenShown, Loading, PageHeader } from "../components/ui";
import { dateTime, perHour, text } from "../format";
import { usePageShortcuts, type ShortcutGroup } from "../components/Shortcuts";
import { useShortcuts } from "../hooks";
import { DraftCompare, DraftForm, DraftTimeline } from "../work/Drafts";
import { describeAnchor, type Anchor, type TaskFile, type Tool } from "../work/MediaViewer";
import { MediaPanel } from "../work/MediaPanel";
import { trackEvidence } from "../work/evidence";
import { MergePrompt } from "../work/MergePrompt";
import { NotesPanel, type NotesHandle } from "../work/Notes";
import { openWith, reconcileWith, type ServerWork } from "../work/sync";
import { useTimeOnTask } from "../work/useTimeOnTask";
import { SAVE_LABEL, autosaveDelay, saveReducer } from "../work/saveState";
import { forgetLocal, keepLocally, localCopy, mergeDocs, sameDoc, sameValue, type Choice, type Note, type WorkDoc } from "../work/merge";


type SpecField = { key: string; type: string; label: string; required: boolean; [k: string]: unknown };

type ShortcutKey = `workspace.keys.${"rectangle" | "polygon" | "point" | "pan" | "range" | "timeline" | "remove" | "newNote" | "editNote" | "draft" | "save"}`;

/** The page's keys in the shortcuts overlay: the keys themselves, and the catalogue key of what each does. */
const WORKSPACE_KEYS: { keys: string[]; label: ShortcutKey }[] = [
  { keys: ["R"], label: "workspace.keys.rectangle" },
  { keys: ["P"], label: "workspace.keys.polygon" },
  { keys: ["O"], label: "workspace.keys.point" },
  { keys: ["V"], label: "workspace.keys.pan" },
  { keys: ["[", "]"], label: "workspace.keys.range" },
  { keys: ["Space", "←", "→"], label: "workspace.keys.timeline" },
  { keys: ["Delete"], label: "workspace.keys.remove" },
  { keys: ["N"], label: "workspace.keys.newNote" },
  { keys: ["E"], label: "workspace.keys.editNote" },
  { keys: ["D"], label: "workspace.keys.draft" },
  { keys: ["S", "Ctrl+S"], label: "workspace.keys.save" },
];

/** The server's copy, as the sync decisions read it (work/sync.ts). */
function serverWork(c: Contribution): ServerWork {
  return { version: c.version, inProgress: c.state === "in_progress", doc: docOf(c) };
}

function docOf(c: Pick<Contribution, "intent" | "notes" | "answers">): WorkDoc {
  return { intent: c.intent, notes: c.notes as Note[], answers: (c.answers ?? {}) as Record<string, unknown> };
}

export function WorkspacePage() {
  const { t } = useTranslation("work");
  const { id } = useParams();
  const cid = Number(id);
  const [contribution, setContribution] = useState<Contribution | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [doc, setDoc] = useState<WorkDoc | null>(null);
  const [saveState, dispatchSave] = useReducer(saveReducer, "saved");
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  const [conflict, setConflict] = useState<Contribution | null>(null);
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const [notice, setNotice] = useState<"workspace.notice.updated" | null>(null);
  const [restored, setRestored] = useState(false);
  const [tool, setTool] = useState<Tool>("rectangle");
  const [pending, setPending] = useState<Anchor | null>(null);
  const [comparing, setComparing] = useState<[number, number] | null>(null);
  const [submitTools, setSubmitTools] = useState("");
  const [submitGenerative, setSubmitGenerative] = useState(false);
  const [attested, setAttested] = useState(false);
  const [submitError, setSubmitError] = useState<ApiError | null>(null);
  const base = useRef<{ version: number; doc: WorkDoc } | null>(null);
  const docRef = useRef<WorkDoc | null>(null);
  const saving = useRef(false);
  // Typed and pasted character counts in this workspace's text fields, sent with the next draft.
  const tracker = useRef<ReturnType<typeof trackEvidence> | null>(null);
  const workspaceRoot = useCallback((el: HTMLDivElement | null) => {
    tracker.current?.stop();
    tracker.current = el ? trackEvidence(el) : null;
  }, []);
  const notesPanel = useRef<NotesHandle>(null);
  const draftNote = useRef<HTMLDivElement>(null);

  const active = contribution?.state === "in_progress";

  const adopt = useCallback((c: Contribution, keepDoc?: WorkDoc) => {
    setContribution(c);
    base.current = { version: c.version, doc: docOf(c) };
    const next = keepDoc ?? docOf(c);
    docRef.current = next;
    setDoc(next);
  }, []);

  // First load: the server's copy, unless this browser holds unsent edits. The local copy is compared with the
  // server's work without bookkeeping: the same work is no conflict, whatever the versions say.
  useEffect(() => {
    void getWorkContribution(cid)
      .then((c) => {
        const opening = openWith(localCopy(cid), serverWork(c));
        if (opening.kind === "server") {
          forgetLocal(cid);
          adopt(c);
          return;
        }
        adopt(c, opening.mine);
        if (opening.kind === "restore") {
          dispatchSave({ type: "restored" });
          setRestored(true);
          return;
        }
        base.current = opening.base;
        setConflict(c);
        dispatchSave({ type: "conflict" });
      })
      .catch((err) => setLoadError(err as ApiError));
  }, [cid, adopt]);

  /** What the server holds now, taken in: newer work adopted when this tab has nothing unsaved, a merge offered
   * when both changed, the version moved on when only bookkeeping changed (a draft saved elsewhere). */
  const reconcile = useCallback(
    (fresh: Contribution): "current" | "updated" | "conflict" => {
      const b = base.current;
      const mine = docRef.current;
      if (!b || !mine) return "current";
      switch (reconcileWith(b, mine, serverWork(fresh))) {
        case "stale":
          return "current";
        case "closed":
          forgetLocal(cid);
          adopt(fresh);
          dispatchSave({ type: "taken" });
          return "updated";
        case "same":
          setContribution(fresh);
          return "current";
        case "advance":
          base.current = { version: fresh.version, doc: docOf(fresh) };
          setContribution(fresh);
          if (!sameDoc(mine, base.current.doc)) keepLocally(cid, base.current, mine);
          return "current";
        case "adopt":
          forgetLocal(cid);
          adopt(fresh);
          dispatchSave({ type: "taken" });
          setNotice("workspace.notice.updated");
          return "updated";
        case "conflict":
          break;
      }
      setChoices({});
      setConflict(fresh);
      dispatchSave({ type: "conflict" });
      return "conflict";
    },
    [cid, adopt],
  );

  /** Ask the server whether this tab is behind (on focus, on becoming visible, before saying all is saved). */
  const checkBehind = useCallback(async () => {
    if (!base.current || saving.current || conflict) return "current";
    try {
      const fresh = await getWorkContribution(cid);
      return saving.current ? "current" : reconcile(fresh);
    } catch {
      return "current"; // offline: the next save finds out
    }
  }, [cid, conflict, reconcile]);

  const save = useCallback(async (flush = false) => {
    const current = docRef.current;
    if (!current || !base.current || saving.current || conflict) return;
    if (sameDoc(current, base.current.doc)) {
      forgetLocal(cid);
      // Nothing to send: still, say "All changes saved" only once the server has no newer work.
      if (flush || (await checkBehind()) === "current") dispatchSave({ type: "confirmed" });
      return;
    }
    saving.current = true;
    dispatchSave({ type: "sending" });
    try {
      const saved = await saveWork(cid, { version: base.current.version, ...current });
      base.current = { version: saved.version, doc: docOf(saved) };
      setContribution((old) => (old ? { ...old, ...saved } : old));
      const latest = docRef.current!;
      // Take the server's bookkeeping for notes (times, history); keep anything typed while the save was in flight.
      const stored = new Map((saved.notes as Note[]).map((n) => [n.id, n]));
      const merged = {
        ...latest,
        notes: latest.notes.map((n) => {
          const s = stored.get(n.id);
          if (!s) return n;
          return s.body === n.body && sameValue(s.anchor, n.anchor) ? s : { ...n, created_at: s.created_at, edited_at: s.edited_at, history: s.history };
        }),
      };
      docRef.current = merged;
      setDoc(merged);
      const pending = !sameDoc(latest, current);
      if (pending) keepLocally(cid, base.current, latest);
      else forgetLocal(cid);
      dispatchSave({ type: "sent", pending });
      setSaveError(null);
    } catch (err) {
      const e = err as ApiError;
      if (e.code === "stale_version") {
        saving.current = false;
        const fresh = await getWorkContribution(cid);
        // Only bookkeeping moved (a draft elsewhere): save again from the new version.
        if (reconcile(fresh) === "current" && !sameDoc(docRef.current!, base.current.doc)) dispatchSave({ type: "stale" });
      } else if (e.status === 0) {
        dispatchSave({ type: "offline" });
      } else {
        setSaveError(e);
        dispatchSave({ type: "failed" });
      }
    } finally {
      saving.current = false;
    }
  }, [cid, conflict, checkBehind, reconcile]);

  function edit(change: (d: WorkDoc) => WorkDoc) {
    if (!docRef.current || !base.current || !active) return;
    const next = change(docRef.current);
    docRef.current = next;
    setDoc(next);
    keepLocally(cid, base.current, next);
    setNotice(null);
    dispatchSave({ type: "edited" });
  }

  // Autosave a few seconds after the last change, and at once when the page loses focus.
  useEffect(() => {
    const delay = autosaveDelay(saveState);
    if (delay === null) return;
    const timer = window.setTimeout(() => void save(), delay);
    return () => window.clearTimeout(timer);
  }, [doc, saveState, save]);
  // Coming back to the tab: learn whether it was saved elsewhere meanwhile.
  useEffect(() => {
    const flush = () => void save(true);
    const check = () => void checkBehind();
    const onVisibility = () => (document.visibilityState === "hidden" ? flush() : check());
    window.addEventListener("blur", flush);
    window.addEventListener("focus", check);
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      window.removeEventListener("blur", flush);
      window.removeEventListener("focus", check);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [save, checkBehind]);

  // Time on task: tell the server while there is input, never while idle.
  const now = useTimeOnTask(active, () => {
    void pingActivity(cid)
      .then((c) => setContribution((old) => (old ? { ...old, active_seconds: c.active_seconds, lease_expires_at: c.lease_expires_at } : old)))
      .catch(() => undefined);
  });

  // Ctrl/Cmd+S saves now, even while typing.
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "s") {
        e.preventDefault();
        void save();
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [save]);

  const shortcuts = useMemo(
    () => ({
      r: () => setTool("rectangle"),
      p: () => setTool("polygon"),
      v: () => setTool("pan"),
      o: () => setTool("point"),
      n: () => notesPanel.current?.focusNew(),
      d: () => draftNote.current?.querySelector<HTMLInputElement>("input[data-change-note]")?.focus(),
      e: () => notesPanel.current?.editLast(),
      s: () => void save(),
    }),
    [save],
  );
  useShortcuts(shortcuts);
  const keysGroup = useMemo<ShortcutGroup>(
    () => ({ title: t("workspace.keys.title"), shortcuts: WORKSPACE_KEYS.map((s) => ({ keys: s.keys.map((k) => (k === "Space" ? t("keys.space") : k)), label: t(s.label) })) }),
    [t],
  );
  usePageShortcuts(keysGroup);

  // After a draft is saved: the version moved on; take in whatever else changed elsewhere too.
  async function reload() {
    reconcile(await getWorkContribution(cid));
  }

  function resolve(choice: "merge" | "mine" | "theirs") {
    if (!conflict || !base.current || !docRef.current) return;
    const theirs = docOf(conflict);
    const merged = mergeDocs(base.current.doc, docRef.current, theirs, choices);
    if (choice === "merge" && merged.open.length) return;
    const next = choice === "merge" ? merged.doc : choice === "mine" ? docRef.current : theirs;
    base.current = { version: conflict.version, doc: theirs };
    docRef.current = next;
    setDoc(next);
    setContribution(conflict);
    setConflict(null);
    setChoices({});
    const pending = !sameDoc(next, theirs);
    if (pending) keepLocally(cid, base.current, next);
    else forgetLocal(cid);
    dispatchSave({ type: "resolved", pending });
  }

  /** A note's anchor moved (or removed) on the media itself, as when a time range is dragged on the lane. */
  function reanchor(id: string, anchor: Anchor | null) {
    edit((d) => ({ ...d, notes: d.notes.map((x) => (x.id === id ? { ...x, anchor } : x)) }));
  }

  async function submit() {
    setSubmitError(null);
    await save();
    try {
      const done = await submitContribution(cid, {
        version: base.current?.version ?? 1,
        tools: submitTools.split(",").map((t) => t.trim()).filter(Boolean),
        generative_tools_used: submitGenerative,
        attested,
      });
      forgetLocal(cid);
      adopt(done);
      focusWhenShown(() => document.getElementById("work-state"));
    } catch (err) {
      setSubmitError(err as ApiError);
    }
  }

  async function giveBack() {
    if (!window.confirm(t("workspace.giveBack.confirm"))) return;
    await save();
    adopt(await returnContribution(cid));
    forgetLocal(cid);
  }

  if (loadError) return <ErrorBanner error={loadError} />;
  if (!contribution || !doc) return <Loading />;
  const c = contribution;
  const files = c.files as TaskFile[];
  const drafts = c.drafts;
  const spec = (c.project.output_spec as { fields?: SpecField[] }).fields ?? [];
  const leaseLeft = c.lease_expires_at ? Math.max(0, Math.round((new Date(c.lease_expires_at).getTime() - now) / 60000)) : null;
  const draftLabel = (id: number) => t("anchor.draft", { sequence: drafts.find((d) => d.id === id)?.sequence ?? "?" });
  const clock = (seconds: number) => {
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    return h ? t("workspace.clock.hours", { h, m }) : t("workspace.clock.minutes", { m, s: seconds % 60 });
  };
  const fieldErrors = (key: string) => submitError?.fieldMessages(key).map((m) => <small className="error" key={m}>{m}</small>);
  const [intentErrors, draftErrors, attestErrors] = (["intent", "drafts", "attested"] as const).map(fieldErrors);
  const pair = comparing ? ([drafts.find((d) => d.id === comparing[0]), drafts.find((d) => d.id === comparing[1])] as const) : null;

  return (
    <div className="workspace" ref={workspaceRoot}>
      <p className="crumbs">
        <Link to="/tasks">{t("workspace.crumbs.tasks")}</Link> / {c.project.title} / {c.item}
      </p>
      <PageHeader
        title={c.project.title}
        subtitle={
          <>
            <Badge value={c.state} /> · {t("workspace.subtitle", { item: c.item, rate: perHour(c.project.effective_hourly_rate), time: clock(c.active_seconds) })}
            {leaseLeft !== null && <> · {t("workspace.lease", { minutes: leaseLeft })}</>}
          </>
        }
        actions={
          <>
            <span className={`save-state save-${saveState}`} role="status" data-testid="save-state">
              {t(SAVE_LABEL[saveState])}
            </span>
            {active && (
              <button type="button" className="btn" onClick={() => void giveBack()}>
                {t("workspace.giveBack.button")}
              </button>
            )}
          </>
        }
      />
      {restored && (
        <div className="banner banner-warn" role="note">
          {t("workspace.restored")}
        </div>
      )}
      {notice && (
        <div className="banner" role="status">
          {t(notice)}
        </div>
      )}
      {/* eslint-disable react-hooks/refs -- the base stays put while a conflict is shown (saves and checks wait for it), and setting the conflict renders this */}
      {conflict && base.current && (
        <MergePrompt
          merge={mergeDocs(base.current.doc, doc, docOf(conflict), choices)}
          /* eslint-enable react-hooks/refs */
          mine={doc}
          theirs={docOf(conflict)}
          choices={choices}
          onChoose={(key, choice) => setChoices((old) => ({ ...old, [key]: choice }))}
          onResolve={resolve}
          describeAnchor={(a) => describeAnchor(a, files, draftLabel)}
          answerLabel={(key) => spec.find((f) => f.key === key)?.label ?? key}
        />
      )}
      <ErrorBanner error={saveError} />
      {!active && (
        <div className="banner banner-warn" role="note" id="work-state">
          {c.state === "submitted"
            ? t("workspace.state.submitted")
            : c.state === "approved"
              ? t("workspace.state.approved")
              : c.state === "rejected"
                ? t("workspace.state.rejected")
                : c.state === "revision"
                  ? t("workspace.state.revision")
                  : t("workspace.state.gone")}
        </div>
      )}
      {c.reviews.length > 0 && (
        <section className="card feedback" aria-labelledby="feedback-title">
          <h2 id="feedback-title">{t("workspace.feedback.title")}</h2>
          <ul className="plain-list">
            {c.reviews.map((r) => (
              <li key={r.id}>
                <Badge value={r.decision} /> {r.reason || (r.automatic ? t("workspace.feedback.automatic") : t("workspace.feedback.approved"))}{" "}
                <span className="muted small">
                  {r.reviewer ?? t("workspace.feedback.atelier")} · {dateTime(r.created_at)}
                </span>
              </li>
            ))}
          </ul>
          {c.state === "rejected" && !c.disputed_at && <DisputeForm contributionId={cid} onDone={(x) => adopt(x)} />}
          {c.disputed_at && (
            <p className="muted small">
              {t("workspace.dispute.sent", { dispute: c.dispute })}{" "}
              {c.dispute_outcome ? t("workspace.dispute.outcome", { outcome: c.dispute_outcome }) : t("workspace.dispute.waiting")}
            </p>
          )}
        </section>
      )}
      <div className="workspace-grid">
        <div className="workspace-media">
          <section className="card">
            <MediaPanel files={files} notes={doc.notes} pending={pending} onAnchor={setPending} onReanchor={reanchor} editable={active} tool={tool} onTool={setTool} />
          </section>
          <details className="card brief-card">
            <summary>
              <h2>{t("workspace.brief")}</h2>
            </summary>
            <div className="brief" dangerouslySetInnerHTML={{ __html: c.project.brief_html }} />
            <div className="brief" dangerouslySetInnerHTML={{ __html: c.project.instructions_html }} />
          </details>
        </div>
        <div className="workspace-side">
          <section className="card">
            <label className="field">
              <span>{t("workspace.intent")}</span>
              <textarea rows={4} value={doc.intent} disabled={!active} onChange={(e) => edit((d) => ({ ...d, intent: e.target.value }))} />
              {intentErrors}
            </label>
          </section>
          <NotesPanel
            ref={notesPanel}
            notes={doc.notes}
            active={active}
            pending={pending}
            setPending={setPending}
            drafts={drafts}
            describe={(a) => describeAnchor(a, files, draftLabel)}
            errors={fieldErrors("notes")}
            change={(f) => edit((d) => ({ ...d, notes: f(d.notes) }))}
          />
          {spec.some((f) => ["rating", "choice", "text", "file"].includes(f.type)) && (
            <section className="card">
              <h2>{t("workspace.answers.title")}</h2>
              {spec.map((f) => {
                const value = doc.answers[f.key];
                const set = (v: unknown) => edit((d) => ({ ...d, answers: { ...d.answers, [f.key]: v } }));
                if (f.type === "rating") {
                  const lo = Number(f.min);
                  const hi = Number(f.max);
                  return (
                    <fieldset className="field" key={f.key} disabled={!active}>
                      <legend>{f.label}</legend>
                      <div className="rating">
                        {Array.from({ length: hi - lo + 1 }, (_, i) => lo + i).map((v) => (
                          <button key={v} type="button" className={`btn ${value === v ? "btn-primary" : ""}`} aria-pressed={value === v} onClick={() => set(v)}>
                            {v}
                          </button>
                        ))}
                      </div>
                      {fieldErrors(`answers.${f.key}`)}
                    </fieldset>
                  );
                }
                if (f.type === "choice") {
                  const options = (f.options as string[]) ?? [];
                  const chosen = Array.isArray(value) ? (value as string[]) : [];
                  return (
                    <fieldset className="field" key={f.key} disabled={!active}>
                      <legend>{f.label}</legend>
                      {options.map((o) => (
                        <label className="check" key={o}>
                          <input
                            type={f.multiple ? "checkbox" : "radio"}
                            name={f.key}
                            checked={f.multiple ? chosen.includes(o) : value === o}
                            onChange={(e) => set(f.multiple ? (e.target.checked ? [...chosen, o] : chosen.filter((x) => x !== o)) : o)}
                          />
                          {o}
                        </label>
                      ))}
                      {fieldErrors(`answers.${f.key}`)}
                    </fieldset>
                  );
                }
                if (f.type === "text") {
                  return (
                    <label className="field" key={f.key}>
                      <span>{f.label}</span>
                      <textarea rows={3} disabled={!active} value={text(value)} onChange={(e) => set(e.target.value)} />
                      {fieldErrors(`answers.${f.key}`)}
                    </label>
                  );
                }
                if (f.type === "file") {
                  const chosen = Array.isArray(value) ? (value as number[]) : [];
                  return (
                    <fieldset className="field" key={f.key} disabled={!active}>
                      <legend>{t("workspace.answers.files", { label: f.label })}</legend>
                      {drafts.filter((d) => d.kind === "file").map((d) => (
                        <label className="check" key={d.id}>
                          <input type="checkbox" checked={chosen.includes(d.id)} onChange={(e) => set(e.target.checked ? [...chosen, d.id] : chosen.filter((x) => x !== d.id))} />
                          {t("workspace.answers.draft", { sequence: d.sequence, name: d.name })}
                        </label>
                      ))}
                      {fieldErrors(`answers.${f.key}`)}
                    </fieldset>
                  );
                }
                return null;
              })}
            </section>
          )}
        </div>
      </div>
      <section className="card" aria-labelledby="drafts-title">
        <h2 id="drafts-title">{t("drafts.title")}</h2>
        {draftErrors}
        <div className="grid-2">
          <DraftTimeline drafts={drafts} onCompare={(a, b) => setComparing([a, b])} />
          {active && (
            <div ref={draftNote}>
              <DraftForm contributionId={cid} disabled={!active} generativeAllowed={c.project.generative_tools_allowed} onSaved={reload} evidence={() => tracker.current?.take() ?? { typed: 0, pasted: 0 }} />
            </div>
          )}
        </div>
      </section>
      {pair && pair[0] && pair[1] && <DraftCompare a={pair[0]} b={pair[1]} onClose={() => setComparing(null)} />}
      {active && (
        <section className="card submit-card" aria-labelledby="submit-title">
          <h2 id="submit-title">{t("submit.title")}</h2>
          <div className="row">
            <label className="field grow">
              <span>{t("submit.tools")}</span>
              <input value={submitTools} onChange={(e) => setSubmitTools(e.target.value)} placeholder={t("submit.toolsExample")} />
            </label>
            <label className="check">
              <input type="checkbox" checked={submitGenerative} disabled={!c.project.generative_tools_allowed} onChange={(e) => setSubmitGenerative(e.target.checked)} />
              {t("submit.generative")} {c.project.generative_tools_allowed ? "" : t("submit.notAllowed")}
            </label>
          </div>
          <label className="check">
            <input type="checkbox" checked={attested} onChange={(e) => setAttested(e.target.checked)} />
            {t("submit.attest", { version: c.project.agreement_version, licence: c.project.licence })}
          </label>
          {attestErrors}
          {submitError && <div className="banner banner-error" role="alert">{submitError.message} {t("submit.seeFields")}</div>}
          <div className="form-actions">
            <button type="button" className="btn btn-primary" onClick={() => void submit()}>
              {t("submit.button")}
            </button>
          </div>
        </section>
      )}
      {c.state === "submitted" && (
        <section className="card">
          <h2>{t("provenance.title")}</h2>
          <dl className="facts">
            <div>
              <dt>{t("provenance.contentHash")}</dt>
              <dd><code>{c.content_sha256.slice(0, 16)}…</code></dd>
            </div>
            <div>
              <dt>{t("provenance.chainHead")}</dt>
              <dd><code>{c.chain_sha256.slice(0, 16) || "—"}</code></dd>
            </div>
            <div>
              <dt>{t("provenance.tools")}</dt>
              <dd>{c.tools.join(", ") || t("provenance.noTools")}</dd>
            </div>
          </dl>
        </section>
      )}
      <p className="muted small shortcuts-line">
        <Trans t={t} i18nKey="workspace.shortcuts" components={{ kbd: <kbd /> }} />
      </p>
    </div>
  );
}

function DisputeForm({ contributionId, onDone }: { contributionId: number; onDone: (c: Contribution) => void }) {
  const { t } = useTranslation("work");
  const [reason, setReason] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <div className="dispute">
      <label className="field">
        <span>{t("workspace.dispute.label")}</span>
        <textarea rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <ErrorBanner error={error} />
      <button
        type="button"
        className="btn"
        disabled={!reason.trim()}
        onClick={() =>
          void disputeContribution(contributionId, reason)
            .then(onDone)
            .catch((err) => setError(err as ApiError))
        }
      >
        {t("workspace.dispute.send")}
      </button>
    </div>
  );
}
