/** The keyboard's way to a joint anchor (and the list beside a click on the skeleton): choose a joint, then anchor. */
import { useTranslation } from "react-i18next";

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
  const { t } = useTranslation("work");
  return (
    <>
      <label className="small inline-field">
        {t("joints.label")}
        <select value={value} onChange={(e) => onChange(e.target.value)} aria-label={t("joints.label")}>
          <option value="">{t("joints.choose")}</option>
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
