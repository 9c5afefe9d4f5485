/** The keyboard shortcuts overlay (`?`): page navigation from the layout, plus the keys of the page on screen. */
import { useTranslation } from "react-i18next";
import { useEffect, useRef, useSyncExternalStore, type KeyboardEvent } from "react";

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

/** A modal dialog's keyboard: focus moves into it when it opens, Tab and Shift+Tab stay inside it, and focus returns
 * to where it was when it closes. */
function useModalFocus() {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    box.current?.focus();
    return () => before?.focus?.();
  }, []);
  function onKeyDown(event: KeyboardEvent) {
    if (event.key !== "Tab" || !box.current) return;
    const focusable = [...box.current.querySelectorAll<HTMLElement>("button, a[href], input, select, textarea, [tabindex]:not([tabindex='-1'])")];
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) return;
    const active = document.activeElement;
    if (event.shiftKey && (active === first || active === box.current)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first.focus();
    }
  }
  return { box, onKeyDown };
}

export function ShortcutsDialog({ groups, onClose }: { groups: ShortcutGroup[]; onClose: () => void }) {
  const { t } = useTranslation();
  const { box, onKeyDown } = useModalFocus();
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-label={t("nav.shortcuts")} onClick={onClose} onKeyDown={onKeyDown}>
      <div className="dialog dialog-shortcuts" ref={box} tabIndex={-1} onClick={(e) => e.stopPropagation()}>
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
