import { useEffect, useState, type FormEvent } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { useAuth } from "../../auth";
import { Loading } from "../../components/ui";
import { useSubmission } from "../../hooks";
import * as allauth from "./allauth";
import { landingFor } from "./follow";
import { asAllauthError, AuthCard, EmailField, FormError, PasswordField } from "./ui";

export function PasswordResetRequestPage() {
  const { t } = useTranslation("account");
  const [email, setEmail] = useState("");
  const [sent, setSent] = useState<string | null>(null);
  const { busy, error, run } = useSubmission(asAllauthError);

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      await allauth.requestPasswordReset(email);
      setSent(email.trim());
    });
  }

  if (sent) {
    return (
      <AuthCard title={t("reset.check")}>
        <div className="banner banner-ok" role="status">
          <Trans t={t} i18nKey="reset.sent" values={{ email: sent }} components={{ b: <strong /> }} />
        </div>
        <Link className="btn btn-block" to="/login">
          {t("backToLogin")}
        </Link>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={t("reset.title")} subtitle={t("reset.subtitle")}>
      <form onSubmit={submit} noValidate>
        <EmailField id="reset-email" value={email} onChange={setEmail} error={error} />
        <FormError error={error} fields={["email"]} rateLimit={t("reset.rateLimit")} />
        <button className="btn btn-primary btn-block" type="submit" disabled={busy || !email.trim()}>
          {busy ? t("reset.busy") : t("reset.submit")}
        </button>
      </form>
      <p className="auth-alt">
        <Trans t={t} i18nKey="reset.remembered" components={{ a: <Link to="/login" /> }} />
      </p>
    </AuthCard>
  );
}

/** The page the reset mail links to (HEADLESS_FRONTEND_URLS["account_reset_password_from_key"]). */
export function PasswordResetKeyPage() {
  const { t } = useTranslation("account");
  const { key = "" } = useParams();
  const { settle } = useAuth();
  const navigate = useNavigate();
  const [who, setWho] = useState<allauth.AllauthUser | null>(null);
  const [keyError, setKeyError] = useState<allauth.AllauthError | null>(null);
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [error, setError] = useState<allauth.AllauthError | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    allauth.getPasswordReset(key).then(
      (data) => setWho(data.user),
      (err: unknown) => setKeyError(asAllauthError(err)),
    );
  }, [key]);

  if (keyError) {
    return (
      <AuthCard title={t("resetKey.broken.title")}>
        <div className="banner banner-error" role="alert">
          {keyError.rateLimited ? t("error.rateLimited") : t("resetKey.broken.body")}
        </div>
        <Link className="btn btn-primary btn-block" to="/account/password/reset">
          {t("resetKey.broken.again")}
        </Link>
      </AuthCard>
    );
  }
  if (!who) return <Loading />;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (password !== confirm) {
      setError(new allauth.AllauthError(400, [{ message: t("password.differ"), code: "mismatch", param: "confirm" }]));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const outcome = await settle(await allauth.resetPassword(key, password));
      if (outcome.user) void navigate(landingFor(outcome.user, null), { replace: true });
      else if (outcome.flow.is_pending) void navigate(outcome.next, { state: { flow: outcome.flow } });
      else void navigate("/login", { replace: true, state: { notice: t("resetKey.done") } });
    } catch (err) {
      const e = asAllauthError(err);
      if (e.forField("key").length > 0) setKeyError(e);
      else setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthCard title={t("resetKey.title")} subtitle={<Trans t={t} i18nKey="resetKey.for" values={{ name: who.display }} components={{ b: <strong /> }} />}>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <PasswordField id="new-password" label={t("password.new")} name="password" kind="new" autoFocus value={password} onChange={setPassword} error={error} />
        <PasswordField id="confirm-password" label={t("password.repeat")} name="confirm" kind="repeat" value={confirm} onChange={setConfirm} error={error} />
        <FormError error={error} fields={["password", "confirm", "key"]} />
        <button className="btn btn-primary btn-block" type="submit" disabled={busy || !password}>
          {busy ? t("saving") : t("resetKey.submit")}
        </button>
      </form>
    </AuthCard>
  );
}
