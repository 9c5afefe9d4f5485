/** The time ranges of a media view's notes as buttons (select one, and the player seeks to it), and the selected one
 * with its Remove button: the same for one clip (AvView) and for the item's timeline. */
import { useTranslation } from "react-i18next";
import { PENDING } from "./Waveform";

export interface ListedRange {
  id: string;
  label: string;
  start: number;
  end: number;
}

export function RangeList<R extends ListedRange>({
  ranges,
  selected,
  readOnly,
  describe,
  onPick,
  onRemove,
}: {
  ranges: R[];
  selected: string | null;
  readOnly: boolean;
  /** Where the range is, as the view says it ("0:01.20–0:02.00 on the item", "1.20–2.00 s"). */
  describe: (range: R) => string;
  onPick: (range: R) => void;
  onRemove: (id: string) => void;
}) {
  const { t } = useTranslation("work");
  const chosen = ranges.find((r) => r.id === selected) ?? null;
  return (
    <>
      {ranges.length > 0 && (
        <ul className="range-list" aria-label={t("ranges.list")}>
          {ranges.map((r) => (
            <li key={r.id}>
              <button type="button" className={`range ${r.id === PENDING ? "range-pending" : ""}`} aria-pressed={r.id === selected} onClick={() => onPick(r)}>
                {r.id === PENDING ? t("ranges.newItem", { range: describe(r) }) : t("ranges.noteItem", { label: r.label, range: describe(r) })}
              </button>
            </li>
          ))}
        </ul>
      )}
      {chosen && !readOnly && (
        <div className="viewer-tools" data-testid="selected-range">
          <span className="small">
            {chosen.id === PENDING ? t("ranges.newSelected", { range: describe(chosen) }) : t("ranges.noteSelected", { label: chosen.label, range: describe(chosen) })}
          </span>
          <button type="button" className="btn btn-ghost" onClick={() => onRemove(chosen.id)}>
            {t("ranges.remove")} <kbd>{t("keys.delete")}</kbd>
          </button>
        </div>
      )}
    </>
  );
}
