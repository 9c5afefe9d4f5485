import { useCallback, useEffect, useRef, useState } from "react";
import { Link } from "react-router";
import { get, post, put } from "../api/client";
import type { Paginated } from "../api/types";
import { EmptyState, ErrorBanner, Loading, PageHeader, Pager } from "../components/ui";
import { dateTime } from "../format";
import { useApi } from "../hooks";

export interface NotificationRow {
  id: number;
  kind: string;
  title: string;
  body: string;
  link: string;
  created_at: string;
  read_at: string | null;
}
interface Preference {
  kind: string;
  label: string;
  channel: "in_app" | "email";
  enabled: boolean;
}

const PAGE = 20;
/** Sent when this tab marks notifications read, so the bell updates at once. */
const CHANGED = "atelier:notifications-changed";
const changed = () => window.dispatchEvent(new Event(CHANGED));

/** The unread count, polled every 30 s while the tab is visible, and on focus. */
export function useUnreadCount(): [number, () => void] {
  const [count, setCount] = useState(0);
  const refresh = useCallback(() => {
    if (document.visibilityState !== "visible") return;
    get<{ unread: number }>("/api/v1/notifications/unread-count")
      .then((r) => setCount(r.unread))
      .catch(() => undefined);
  }, []);
  useEffect(() => {
    refresh();
    const timer = window.setInterval(refresh, 30_000);
    window.addEventListener("focus", refresh);
    window.addEventListener(CHANGED, refresh);
    document.addEventListener("visibilitychange", refresh);
    return () => {
      window.removeEventListener(CHANGED, refresh);
      window.clearInterval(timer);
      window.removeEventListener("focus", refresh);
      document.removeEventListener("visibilitychange", refresh);
    };
  }, [refresh]);
  return [count, refresh];
}

export function Bell() {
  const [count, refresh] = useUnreadCount();
  const [open, setOpen] = useState(false);
  const [latest, setLatest] = useState<NotificationRow[] | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    void get<Paginated<NotificationRow>>("/api/v1/notifications?page_size=6").then((p) => setLatest(p.results));
    const close = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", close);
    return () => document.removeEventListener("mousedown", close);
  }, [open]);
  async function read(n: NotificationRow) {
    if (!n.read_at) await post(`/api/v1/notifications/${n.id}/read`);
    setOpen(false);
    refresh();
  }
  return (
    <div className="bell" ref={ref}>
      <button
        type="button"
        className="btn btn-ghost bell-button"
        aria-label={count ? `Notifications, ${count} unread` : "Notifications"}
        aria-expanded={open}
        onClick={() => setOpen((v) => !v)}
      >
        <svg aria-hidden="true" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
          <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        </svg>
        {count > 0 && <span className="bell-count">{count > 99 ? "99+" : count}</span>}
      </button>
      {open && (
        <div className="bell-menu" role="menu">
          {latest === null ? (
            <Loading />
          ) : latest.length === 0 ? (
            <p className="muted bell-empty">Nothing yet.</p>
          ) : (
            <ul>
              {latest.map((n) => (
                <li key={n.id} className={n.read_at ? "" : "unread"}>
                  <Link to={n.link || "/notifications"} onClick={() => void read(n)}>
                    <strong>{n.title}</strong>
                    <span className="muted">{dateTime(n.created_at)}</span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
          <div className="bell-foot">
            <Link to="/notifications" onClick={() => setOpen(false)}>
              See all
            </Link>
          </div>
        </div>
      )}
    </div>
  );
}

export function NotificationsPage() {
  const [page, setPage] = useState(1);
  const [unread, setUnread] = useState(false);
  const { data, error, loading, reload } = useApi<Paginated<NotificationRow>>(
    `/api/v1/notifications?page=${page}&page_size=${PAGE}${unread ? "&unread=true" : ""}`,
  );
  return (
    <>
      <PageHeader
        title="Notifications"
        subtitle={<Link to="/settings/notifications">Choose what you are told, and how</Link>}
        actions={
          <button className="btn" onClick={() => void post("/api/v1/notifications/read-all").then(() => { changed(); return reload(); })}>
            Mark all read
          </button>
        }
      />
      <label className="check">
        <input type="checkbox" checked={unread} onChange={(e) => { setUnread(e.target.checked); setPage(1); }} /> Unread only
      </label>
      <ErrorBanner error={error} />
      {loading && !data ? (
        <Loading />
      ) : !data || data.results.length === 0 ? (
        <EmptyState title="No notifications">Reviews, payouts and new projects show up here.</EmptyState>
      ) : (
        <ul className="notification-list">
          {data.results.map((n) => (
            <li key={n.id} className={n.read_at ? "" : "unread"}>
              <div>
                <strong>{n.link ? <Link to={n.link}>{n.title}</Link> : n.title}</strong>
                {n.body && <p>{n.body}</p>}
                <span className="muted">{dateTime(n.created_at)}</span>
              </div>
              {!n.read_at && (
                <button className="btn btn-ghost" onClick={() => void post(`/api/v1/notifications/${n.id}/read`).then(() => { changed(); return reload(); })}>
                  Mark read
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {data && <Pager page={page} count={data.count} pageSize={PAGE} onPage={setPage} />}
    </>
  );
}

export function NotificationPreferencesPage() {
  const { data, error, loading } = useApi<{ items: Preference[] }>("/api/v1/me/notification-preferences");
  const [items, setItems] = useState<Preference[] | null>(null);
  // eslint-disable-next-line react-hooks/set-state-in-effect -- the switches start from the preferences each time they load
  useEffect(() => setItems(data?.items ?? null), [data]);
  async function toggle(p: Preference) {
    const saved = await put<{ items: Preference[] }>("/api/v1/me/notification-preferences", {
      items: [{ kind: p.kind, channel: p.channel, enabled: !p.enabled }],
    });
    setItems(saved.items);
  }
  const kinds = [...new Set((items ?? []).map((p) => p.kind))];
  const cell = (kind: string, channel: string) => (items ?? []).find((p) => p.kind === kind && p.channel === channel);
  return (
    <>
      <PageHeader title="Notifications" subtitle="What Atelier tells you, in the app and by email. Everything is on until you switch it off." />
      <ErrorBanner error={error} />
      {loading || !items ? (
        <Loading />
      ) : (
        <table className="table preferences">
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">In the app</th>
              <th scope="col">Email</th>
            </tr>
          </thead>
          <tbody>
            {kinds.map((kind) => {
              const app = cell(kind, "in_app");
              const mail = cell(kind, "email");
              return (
                <tr key={kind}>
                  <th scope="row">{app?.label ?? kind}</th>
                  {[app, mail].map((p) =>
                    p ? (
                      <td key={p.channel}>
                        <input
                          type="checkbox"
                          checked={p.enabled}
                          aria-label={`${p.label}: ${p.channel === "email" ? "email" : "in the app"}`}
                          onChange={() => void toggle(p)}
                        />
                      </td>
                    ) : null,
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}
