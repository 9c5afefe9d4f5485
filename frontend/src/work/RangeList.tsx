/** The time ranges of a media view's notes as buttons (select one, and the player seeks to it), and the selected one
 * with its Remove button: the same for one clip (AvView) and for the item's timeline. */
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
  const chosen = ranges.find((r) => r.id === selected) ?? null;
  return (
    <>
      {ranges.length > 0 && (
        <ul className="range-list" aria-label="Time ranges of your notes">
          {ranges.map((r) => (
            <li key={r.id}>
              <button type="button" className={`range ${r.id === PENDING ? "range-pending" : ""}`} aria-pressed={r.id === selected} onClick={() => onPick(r)}>
                {r.id === PENDING ? "new" : `note ${r.label}`}: {describe(r)}
              </button>
            </li>
          ))}
        </ul>
      )}
      {chosen && !readOnly && (
        <div className="viewer-tools" data-testid="selected-range">
          <span className="small">
            {chosen.id === PENDING ? "The new range" : `Note ${chosen.label}'s range`}: {describe(chosen)}
          </span>
          <button type="button" className="btn btn-ghost" onClick={() => onRemove(chosen.id)}>
            Remove range <kbd>Del</kbd>
          </button>
        </div>
      )}
    </>
  );
}
