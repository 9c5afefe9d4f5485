import { useEffect, useState, type FormEvent } from "react";
import { ApiError, patch } from "../api/client";
import type { Profile } from "../api/types";
import { ErrorBanner, Loading, PageHeader } from "../components/ui";
import { useApi } from "../hooks";

const MODALITIES = ["image", "audio", "video", "text"] as const;

export function ProfilePage() {
  const { data, error, loading, setData } = useApi<Profile>("/api/v1/me/profile");
  const [form, setForm] = useState<Profile | null>(null);
  const [skills, setSkills] = useState("");
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (data) {
      setForm(data);
      setSkills(data.skills.join(", "));
    }
  }, [data]);

  async function save(event: FormEvent) {
    event.preventDefault();
    if (!form) return;
    setSaveError(null);
    setSaved(false);
    try {
      const { reputation: _readOnly, ...editable } = form;
      void _readOnly;
      const body = { ...editable, skills: skills.split(",").map((s) => s.trim()).filter(Boolean) };
      setData(await patch<Profile>("/api/v1/me/profile", body));
      setSaved(true);
    } catch (err) {
      setSaveError(err as ApiError);
    }
  }

  return (
    <>
      <PageHeader title="Profile" subtitle="What you do and how you are paid. Projects use it to offer you work you qualify for." />
      <ErrorBanner error={error} />
      {loading && <Loading />}
      {form && (
        <form className="card form narrow" onSubmit={save}>
          <p className="muted" data-testid="reputation">
            Reputation: <strong>{Math.round(form.reputation * 100)}%</strong> of your reviewed work approved
            {form.reputation === 0 ? " (counted once three pieces are reviewed)" : ""}. Some projects ask for a minimum.
          </p>
          <label className="field">
            <span>Display name</span>
            <input value={form.display_name} onChange={(e) => setForm({ ...form, display_name: e.target.value })} />
          </label>
          <label className="field">
            <span>Skills (comma separated)</span>
            <input value={skills} onChange={(e) => setSkills(e.target.value)} placeholder="illustration, foley, copywriting" />
          </label>
          <fieldset className="field">
            <legend>Media you work in</legend>
            <div className="checks">
              {MODALITIES.map((m) => (
                <label key={m} className="check">
                  <input
                    type="checkbox"
                    checked={form.modalities.includes(m)}
                    onChange={(e) =>
                      setForm({
                        ...form,
                        modalities: e.target.checked ? [...form.modalities, m] : form.modalities.filter((x) => x !== m),
                      })
                    }
                  />
                  {m}
                </label>
              ))}
            </div>
          </fieldset>
          <div className="row">
            <label className="field">
              <span>Country (ISO code)</span>
              <input value={form.country} maxLength={2} onChange={(e) => setForm({ ...form, country: e.target.value })} />
              {saveError?.fieldMessages("country").map((m) => <small className="error" key={m}>{m}</small>)}
            </label>
            <label className="field">
              <span>Payout currency</span>
              <input value={form.payout_currency} maxLength={3} onChange={(e) => setForm({ ...form, payout_currency: e.target.value })} />
              {saveError?.fieldMessages("payout_currency").map((m) => <small className="error" key={m}>{m}</small>)}
            </label>
          </div>
          {saveError && Object.keys(saveError.fields).length === 0 && <ErrorBanner error={saveError} />}
          <div className="form-actions">
            <button className="btn btn-primary" type="submit">Save profile</button>
            {saved && <span className="ok">Saved.</span>}
          </div>
        </form>
      )}
    </>
  );
}
