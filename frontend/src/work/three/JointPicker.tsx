/** The keyboard's way to a joint anchor (and the list beside a click on the skeleton): choose a joint, then anchor. */
export function JointPicker({
  names,
  value,
  onChange,
  readOnly,
  action,
  onAnchor,
}: {
  names: string[];
  value: string;
  onChange: (joint: string) => void;
  readOnly: boolean;
  /** The button's words, e.g. "Anchor to this joint at frame 24". */
  action: string;
  onAnchor: (joint: string) => void;
}) {
  return (
    <>
      <label className="small inline-field">
        Joint
        <select value={value} onChange={(e) => onChange(e.target.value)} aria-label="Joint">
          <option value="">choose a joint…</option>
          {names.map((n) => <option key={n} value={n}>{n}</option>)}
        </select>
      </label>
      {!readOnly && (
        <button type="button" className="btn" disabled={!value} onClick={() => onAnchor(value)}>
          {action}
        </button>
      )}
    </>
  );
}
