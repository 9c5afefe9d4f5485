import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
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
/** The channels of a preference, a column each. */
const IN_APP = "in_app";
const EMAIL = "email";

export function Bell() {
  const { t } = useTranslation("freelancer");
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
        aria-label={count ? t("bell.unread", { count }) : t("bell.label")}
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
            <p className="muted bell-empty">{t("bell.empty")}</p>
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
              {t("bell.all")}
            </Link>
          </div>
        </div>
      )}
    </div>
  );
}

export function NotificationsPage() {
  const { t } = useTranslation("freelancer");
  const [page, setPage] = useState(1);
  const [unread, setUnread] = useState(false);
  const { data, error, isFetching: loading } = useNotifications({ page, pageSize: PAGE, unread });
  const markRead = useMarkNotificationRead();
  const markAllRead = useMarkAllNotificationsRead();
  return (
    <>
      <PageHeader
        title={t("notifications.title")}
        subtitle={<Link to="/settings/notifications">{t("notifications.settingsLink")}</Link>}
        actions={
          <button className="btn" onClick={() => markAllRead.mutate()}>
            {t("notifications.markAll")}
          </button>
        }
      />
      <label className="check">
        <input type="checkbox" checked={unread} onChange={(e) => { setUnread(e.target.checked); setPage(1); }} /> {t("notifications.unreadOnly")}
      </label>
      <ErrorBanner error={error} />
      {loading && !data ? (
        <Loading />
      ) : !data || data.results.length === 0 ? (
        <EmptyState title={t("notifications.empty.title")}>{t("notifications.empty.body")}</EmptyState>
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
                  {t("notifications.markRead")}
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
  const { t } = useTranslation("freelancer");
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
      <PageHeader title={t("preferences.title")} subtitle={t("preferences.subtitle")} />
      <ErrorBanner error={error} />
      {loading || !items ? (
        <Loading />
      ) : (
        <table className="table preferences">
          <thead>
            <tr>
              <th scope="col">{t("preferences.kind")}</th>
              <th scope="col">{t("preferences.inApp")}</th>
              <th scope="col">{t("preferences.email")}</th>
            </tr>
          </thead>
          <tbody>
            {kinds.map((kind) => {
              const app = cell(kind, IN_APP);
              const mail = cell(kind, EMAIL);
              return (
                <tr key={kind}>
                  <th scope="row">{app?.label ?? kind}</th>
                  {[app, mail].map((p) =>
                    p ? (
                      <td key={p.channel}>
                        <input
                          type="checkbox"
                          checked={p.enabled}
                          aria-label={t("preferences.toggle", { kind: p.label, channel: p.channel === "email" ? "email" : "in_app" })}
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
