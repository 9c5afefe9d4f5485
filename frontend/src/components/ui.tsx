import type { ReactNode } from "react";

export function PageHeader({ title, subtitle, actions }: { title: string; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle && <p className="muted">{subtitle}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </header>
  );
}

export function ErrorBanner({ error }: { error: Error | null }) {
  if (!error) return null;
  return (
    <div className="banner banner-error" role="alert">
      {error.message}
    </div>
  );
}

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <div className="loading" role="status">
      <span className="spinner" aria-hidden="true" /> {label}
    </div>
  );
}

export function EmptyState({ title, children, icon = "◌" }: { title: string; children?: ReactNode; icon?: string }) {
  return (
    <div className="empty">
      <div className="empty-icon" aria-hidden="true">
        {icon}
      </div>
      <h2>{title}</h2>
      {children && <div className="muted">{children}</div>}
    </div>
  );
}

const STATUS_TONE: Record<string, string> = {
  draft: "grey",
  published: "green",
  paused: "amber",
  closed: "dark",
  ready: "green",
  pending: "blue",
  uploading: "blue",
  failed: "red",
  in_progress: "blue",
  submitted: "amber",
  approved: "green",
  approve: "green",
  rejected: "red",
  reject: "red",
  revise: "amber",
  revision: "amber",
  returned: "grey",
  requested: "blue",
  sent: "amber",
  confirmed: "green",
  expired: "grey",
  queued: "blue",
  building: "amber",
  built: "green",
  cancelled: "grey",
  delivered: "green",
};

export function Badge({ value }: { value: string }) {
  return <span className={`badge badge-${STATUS_TONE[value] ?? "grey"}`}>{value.replace("_", " ")}</span>;
}

export function Pager({
  page,
  count,
  pageSize,
  onPage,
}: {
  page: number;
  count: number;
  pageSize: number;
  onPage: (page: number) => void;
}) {
  const pages = Math.max(1, Math.ceil(count / pageSize));
  if (pages <= 1) return null;
  return (
    <nav className="pager" aria-label="Pages">
      <button className="btn btn-ghost" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        ← Previous
      </button>
      <span className="muted">
        Page {page} of {pages} · {count} in all
      </span>
      <button className="btn btn-ghost" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        Next →
      </button>
    </nav>
  );
}

export function ProgressBar({ value, max, label }: { value: number; max: number; label?: string }) {
  const pct = max > 0 ? Math.min(100, Math.round((value / max) * 100)) : 0;
  return (
    <div className="progress" role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100} aria-label={label}>
      <div className="progress-fill" data-pct={pct} ref={(el) => el?.style.setProperty("width", `${pct}%`)} />
    </div>
  );
}

/** The mark and name at the head of every page. */
export function BrandMark() {
  return (
    <>
      <span className="brand-mark" aria-hidden="true">
        A
      </span>
      <span>Atelier</span>
    </>
  );
}
