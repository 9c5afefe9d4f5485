import { useEffect, useRef, useState } from "react";
import { Link } from "react-router";
import { EmptyState, ErrorBanner, Loading, PageHeader, Pager } from "../components/ui";
import { useNotifications } from "../features/notifications/api/get-notifications";
import { useUnreadCount } from "../features/notifications/api/get-unread-count";
import { useMarkAllNotificationsRead, useMarkNotificationRead } from "../features/notifications/api/mark-read";
import { useNotificationPreferences, useUpdateNotificationPreferences, type Preference } from "../features/notifications/api/preferences";
import type { components } from "../api/schema";
import { dateTime } from "../format";

type NotificationRow = components["schemas"]["NotificationOutput"];

const PAGE = 20;
const BELL_PAGE = 6;

export function Bell() {
  const count = useUnreadCount();
  const [open, setOpen] = useState(false);
  const latest = useNotifications({ page: 1, pageSize: BELL_PAGE, unread: false }, { enabled: open }).data?.results ?? null;
  const markRead = useMarkNotificationRead();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", close);
    return () => document.removeEventListener("mousedown", close);
  }, [open]);
  function read(n: NotificationRow) {
    if (n.read_at) setOpen(false);
    else markRead.mutate(n.id, { onSuccess: () => setOpen(false) });
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
                  <Link to={n.link || "/notifications"} onClick={() => read(n)}>
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
  const { data, error, isFetching: loading } = useNotifications({ page, pageSize: PAGE, unread });
  const markRead = useMarkNotificationRead();
  const markAllRead = useMarkAllNotificationsRead();
  return (
    <>
      <PageHeader
        title="Notifications"
        subtitle={<Link to="/settings/notifications">Choose what you are told, and how</Link>}
        actions={
          <button className="btn" onClick={() => markAllRead.mutate()}>
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
                <button className="btn btn-ghost" onClick={() => markRead.mutate(n.id)}>
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
  const { data, error, isFetching: loading } = useNotificationPreferences();
  const update = useUpdateNotificationPreferences();
  const items = data?.items ?? null;
  function toggle(p: Preference) {
    update.mutate([{ kind: p.kind, channel: p.channel, enabled: !p.enabled }]);
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
                          onChange={() => toggle(p)}
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
