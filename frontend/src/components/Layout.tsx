import { useMemo, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { NavLink, useLocation, useNavigate } from "react-router";
import { homeFor, isStaff, useAuth } from "../auth";
import { useShortcuts } from "../hooks";
import { LanguageSwitch } from "./LanguageSwitch";
import { ShortcutsDialog, usePageShortcutGroups } from "./Shortcuts";
import { Bell } from "../pages/Notifications";
import { BrandMark, useFocusOnArrival } from "./ui";

type NavLabel = `nav.${"tasks" | "earnings" | "profile" | "portfolio" | "projects" | "review" | "payouts" | "datasets" | "account" | "tokens" | "notifications" | "members" | "webhooks" | "audit"}`;

interface NavItem {
  to: string;
  label: NavLabel;
  icon: string;
  keys: string;
}

const FREELANCER: NavItem[] = [
  { to: "/tasks", label: "nav.tasks", icon: "✦", keys: "g t" },
  { to: "/earnings", label: "nav.earnings", icon: "◈", keys: "g e" },
  { to: "/profile", label: "nav.profile", icon: "◉", keys: "g f" },
  { to: "/portfolio", label: "nav.portfolio", icon: "❖", keys: "g b" },
];
const STAFF: NavItem[] = [
  { to: "/projects", label: "nav.projects", icon: "▦", keys: "g p" },
  { to: "/review", label: "nav.review", icon: "✓", keys: "g r" },
  { to: "/payouts", label: "nav.payouts", icon: "◈", keys: "g o" },
  { to: "/datasets", label: "nav.datasets", icon: "⬡", keys: "g d" },
];
const SETTINGS: NavItem[] = [
  { to: "/settings/account", label: "nav.account", icon: "◐", keys: "g a" },
  { to: "/settings/tokens", label: "nav.tokens", icon: "◇", keys: "g k" },
  { to: "/settings/notifications", label: "nav.notifications", icon: "◎", keys: "g n" },
];
const STAFF_SETTINGS: NavItem[] = [{ to: "/settings/members", label: "nav.members", icon: "☺", keys: "g m" }];
const ADMIN_SETTINGS: NavItem[] = [
  { to: "/settings/webhooks", label: "nav.webhooks", icon: "⇄", keys: "g w" },
  { to: "/settings/audit", label: "nav.audit", icon: "☰", keys: "g l" },
];

export function Layout({ children }: { children: ReactNode }) {
  const { user, logout, chooseLanguage } = useAuth();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [help, setHelp] = useState(false);
  const pageShortcuts = usePageShortcutGroups();
  // On a phone the menu folds behind a button; it closes on navigation and on Escape.
  // The menu is open on the page where it was opened: navigating closes it.
  const { pathname } = useLocation();
  const [menuOpenOn, setMenuOpenOn] = useState<string | null>(null);
  const menuOpen = menuOpenOn === pathname;
  const main = isStaff(user) ? STAFF : FREELANCER;
  const settings = useMemo(() => {
    const staff = isStaff(user) ? [...SETTINGS, ...STAFF_SETTINGS] : SETTINGS;
    return user?.role === "admin" ? [...staff, ...ADMIN_SETTINGS] : staff;
  }, [user]);

  const bindings = useMemo(() => {
    const b: Record<string, () => void> = {
      "?": () => setHelp((v) => !v),
      Escape: () => {
        setHelp(false);
        setMenuOpenOn(null);
      },
    };
    for (const item of [...main, ...settings]) b[item.keys] = () => void navigate(item.to);
    if (user) b["g h"] = () => void navigate(homeFor(user));
    return b;
  }, [main, settings, navigate, user]);
  useShortcuts(bindings);
  useFocusOnArrival();

  if (!user) return null;
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t("nav.skip")}
      </a>
      <aside className={`sidebar${menuOpen ? " sidebar-open" : ""}`}>
        <div className="sidebar-head">
          <div className="brand">
            <BrandMark />
          </div>
          <button
            type="button"
            className="menu-button"
            aria-expanded={menuOpen}
            aria-controls="main-nav"
            onClick={() => setMenuOpenOn(menuOpen ? null : pathname)}
          >
            <span aria-hidden="true">{menuOpen ? "✕" : "☰"}</span> {t("nav.menu")}
          </button>
        </div>
        <nav aria-label={t("nav.main")} id="main-nav">
          <NavItems items={main} />
          <div className="nav-section">{t("nav.settings")}</div>
          <NavItems items={settings} />
        </nav>
        <button className="sidebar-help" onClick={() => setHelp(true)}>
          {t("nav.shortcuts")} <kbd>?</kbd>
        </button>
        <LanguageSwitch onChosen={chooseLanguage} />
      </aside>
      <div className="content">
        <div className="topbar">
          {/* A freelancer belongs to no organisation; the role badge beside the name already says so. */}
          <div className="topbar-org">{user.organization?.name ?? ""}</div>
          <div className="topbar-user">
            <Bell />
            <span className="avatar" aria-hidden="true">
              {user.display_name.slice(0, 1).toUpperCase()}
            </span>
            <span>
              <strong>{user.display_name}</strong> <span className={`role role-${user.role}`}>{t(`role.${user.role}`)}</span>
            </span>
            <button
              className="btn btn-ghost"
              onClick={() => void logout().then(() => navigate("/login"))}
            >
              {t("nav.logout")}
            </button>
          </div>
        </div>
        <main className="main" id="main" tabIndex={-1}>
          {children}
        </main>
      </div>
      {help && (
        <ShortcutsDialog
          groups={[
            {
              title: t("nav.pages"),
              shortcuts: [
                ...[...main, ...settings].map((item) => ({ keys: [item.keys], label: t(item.label) })),
                { keys: ["g h"], label: t("nav.home") },
                { keys: ["?"], label: t("nav.toggleHelp") },
              ],
            },
            ...pageShortcuts,
          ]}
          onClose={() => setHelp(false)}
        />
      )}
    </div>
  );
}

function NavItems({ items }: { items: NavItem[] }) {
  const { t } = useTranslation();
  return items.map((item) => (
    <NavLink key={item.to} to={item.to} className="nav-link">
      <span className="nav-icon" aria-hidden="true">
        {item.icon}
      </span>
      {t(item.label)}
    </NavLink>
  ));
}
