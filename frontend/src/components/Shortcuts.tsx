/** The keyboard shortcuts overlay (`?`): page navigation from the layout, plus the keys of the page on screen. */
import { useTranslation } from "react-i18next";
import { useEffect, useSyncExternalStore } from "react";

export interface Shortcut {
  /** Alternatives, each one key or a combination such as "Ctrl+S". */
  keys: string[];
  label: string;
}

export interface ShortcutGroup {
  title: string;
  shortcuts: Shortcut[];
}

let pageGroups: ShortcutGroup[] = [];
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** A page lists its own keys in the overlay while it is on screen. Pass a stable (module-level or memoised) group. */
export function usePageShortcuts(group: ShortcutGroup): void {
  useEffect(() => {
    pageGroups = [...pageGroups, group];
    listeners.forEach((l) => l());
    return () => {
      pageGroups = pageGroups.filter((g) => g !== group);
      listeners.forEach((l) => l());
    };
  }, [group]);
}

export function usePageShortcutGroups(): ShortcutGroup[] {
  return useSyncExternalStore(subscribe, () => pageGroups);
}

export function ShortcutsDialog({ groups, onClose }: { groups: ShortcutGroup[]; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-label={t("nav.shortcuts")} onClick={onClose}>
      <div className="dialog dialog-shortcuts" onClick={(e) => e.stopPropagation()}>
        <h2>{t("nav.shortcuts")}</h2>
        {groups.map((g) => (
          <table className="table" key={g.title} aria-label={g.title}>
            <caption>{g.title}</caption>
            <tbody>
              {g.shortcuts.map((s) => (
                <tr key={s.label}>
                  <td>
                    {s.keys.map((k, i) => (
                      <span key={k}>
                        {i > 0 && ` ${t("shortcuts.or")} `}
                        <kbd>{k}</kbd>
                      </span>
                    ))}
                  </td>
                  <td>{s.label}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
        <button className="btn" onClick={onClose}>
          {t("close")}
        </button>
      </div>
    </div>
  );
}
