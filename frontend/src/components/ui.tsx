import { Fragment, useEffect, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation } from "react-router";
import type { ApiError } from "../api/client";

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

/** Where a page sits: links to the pages above it, then its own name. */
export function Crumbs({ links, current }: { links: { to: string; label: ReactNode }[]; current: ReactNode }) {
  return (
    <p className="crumbs">
      {links.map((l) => (
        <Fragment key={l.to}>
          <Link to={l.to}>{l.label}</Link> /{" "}
        </Fragment>
      ))}
      {current}
    </p>
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

/** What an action did, announced to screen readers; nothing when there is no message. */
export function Notice({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <div className="banner banner-ok" role="status">
      {message}
    </div>
  );
}

export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <div className="loading" role="status">
      <span className="spinner" aria-hidden="true" /> {label ?? t("loading")}
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

const STATUS_TONE = {
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
} as const;

export type Status = keyof typeof STATUS_TONE;

function isStatus(value: string): value is Status {
  return Object.hasOwn(STATUS_TONE, value);
}

/** A state (of a project, a file, a contribution, a payout…) as a coloured word in the person's language. */
export function Badge({ value }: { value: string }) {
  const { t } = useTranslation();
  const label = isStatus(value) ? t(`status.${value}`) : value.replace("_", " ");
  return <span className={`badge badge-${isStatus(value) ? STATUS_TONE[value] : "grey"}`}>{label}</span>;
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
  const { t } = useTranslation();
  const pages = Math.max(1, Math.ceil(count / pageSize));
  if (pages <= 1) return null;
  return (
    <nav className="pager" aria-label={t("pager.label")}>
      <button className="btn btn-ghost" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        ← {t("pager.previous")}
      </button>
      <span className="muted">{t("pager.position", { page, pages, count })}</span>
      <button className="btn btn-ghost" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        {t("pager.next")} →
      </button>
    </nav>
  );
}

/** Terms and their values (a grid of small figures); each one a `Fact`. */
export function Facts({ children }: { children: ReactNode }) {
  return <dl className="facts">{children}</dl>;
}

export function Fact({ term, children, className, testId }: { term: ReactNode; children: ReactNode; className?: string; testId?: string }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd className={className} data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

/** The server's messages for one field of a form (`name`: "pay" also collects "pay.amount"). */
export function FieldMessages({ error, name }: { error: ApiError | null | undefined; name: string }) {
  return (
    <>
      {error?.fieldMessages(name).map((m) => (
        <small className="error" role="alert" key={m}>
          {m}
        </small>
      ))}
    </>
  );
}

/** A labelled form control: the label, the control (and any hint), then the server's messages for the field `name`. */
export function Field({
  label,
  children,
  error,
  name,
  className,
}: {
  label: ReactNode;
  children: ReactNode;
  error?: ApiError | null;
  name?: string;
  className?: string;
}) {
  return (
    <label className={className ? `field ${className}` : "field"}>
      <span>{label}</span>
      {children}
      {name && <FieldMessages error={error} name={name} />}
    </label>
  );
}

/** A row of tabs choosing a filter or a view; the chosen one is marked selected. `plain`: the lighter look of tabs
 * inside a card. */
export function Tabs<T extends string>({
  label,
  options,
  value,
  onChange,
  labelOf = String,
  plain = false,
}: {
  label: string;
  options: readonly T[];
  value: T;
  onChange: (value: T) => void;
  labelOf?: (option: T) => ReactNode;
  plain?: boolean;
}) {
  return (
    <div className="filters" role="tablist" aria-label={label}>
      {options.map((o) => (
        <button
          key={o || "all"}
          type="button"
          role="tab"
          aria-selected={o === value}
          className={`tab ${plain ? "tab-plain " : ""}${o === value ? "tab-active" : ""}`}
          onClick={() => onChange(o)}
        >
          {labelOf(o)}
        </button>
      ))}
    </div>
  );
}

/** A checkbox per option: ticking one adds it to `value` (at the end), unticking takes it out. `children` follow the
 * boxes (a hint). */
export function Checkboxes<T extends string | number>({
  options,
  value,
  onChange,
  label = String,
  className = "checks",
  itemClassName = "check",
  children,
}: {
  options: readonly T[];
  value: readonly T[];
  onChange: (value: T[]) => void;
  label?: (option: T) => ReactNode;
  className?: string;
  itemClassName?: string;
  children?: ReactNode;
}) {
  return (
    <div className={className}>
      {options.map((o) => (
        <label key={o} className={itemClassName}>
          <input type="checkbox" checked={value.includes(o)} onChange={(e) => onChange(e.target.checked ? [...value, o] : value.filter((x) => x !== o))} />
          {label(o)}
        </label>
      ))}
      {children}
    </div>
  );
}

/** A form's error that belongs to no one field (a field's own messages stand under it). */
export function FormErrorBanner({ error }: { error: ApiError | null | undefined }) {
  if (!error || Object.keys(error.fields).length > 0) return null;
  return <ErrorBanner error={error} />;
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
      {/* The letter is drawn by the style sheet (.brand-mark::before): a picture, not part of the name. */}
      <span className="brand-mark" aria-hidden="true" />
      <span>Atelier</span>
    </>
  );
}

/** Move focus to an element once it is on screen (looked for on each frame, for up to about two seconds): after an
 * action replaces the control that had focus, focus goes to what changed, so keyboard and screen-reader users follow
 * the result instead of being dropped at the top of the page. An element that takes no focus gets tabindex=-1. */
export function focusWhenShown(find: () => HTMLElement | null | undefined): void {
  let frames = 0;
  const look = () => {
    const el = find();
    if (el) {
      if (el.tabIndex < 0 && !el.hasAttribute("tabindex")) el.setAttribute("tabindex", "-1");
      el.focus();
    } else if (frames++ < 120) {
      window.requestAnimationFrame(look);
    }
  };
  window.requestAnimationFrame(look);
}

let arrivedAt: string | null = null;

/** After navigation inside the app, focus moves to the new page's main heading (or to the element the page marks
 * with data-focus-on-arrival, such as the confirmation of what was just done), as a full page load would start
 * there; the window's title follows the heading. The first load leaves focus where the browser puts it, and a page
 * that has already put focus inside its main region (a field with autofocus) keeps it. */
export function useFocusOnArrival(): void {
  const { pathname } = useLocation();
  useEffect(() => {
    if (arrivedAt === pathname) return;
    const first = arrivedAt === null;
    arrivedAt = pathname;
    let frames = 0;
    let handle = 0;
    const look = () => {
      const main = document.querySelector("main");
      const heading = main?.querySelector<HTMLElement>("h1");
      if (!main || !heading || main.querySelector(".loading")) {
        if (frames++ < 300) handle = window.requestAnimationFrame(look);
        return;
      }
      const title = heading.textContent?.trim();
      if (title) document.title = `${title} · Atelier`;
      const active = document.activeElement;
      if (first || (active && active !== document.body && main.contains(active))) return;
      const target = main.querySelector<HTMLElement>("[data-focus-on-arrival]") ?? heading;
      if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
      target.focus();
    };
    handle = window.requestAnimationFrame(look);
    return () => window.cancelAnimationFrame(handle);
  }, [pathname]);
}
