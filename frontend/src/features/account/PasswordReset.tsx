import { useEffect, useState, type FormEvent } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { useAuth } from "../../auth";
import { Loading } from "../../components/ui";
import { useSubmission } from "../../hooks";
import * as allauth from "./allauth";
import { landingFor } from "./follow";
import { asAllauthError, AuthCard, EmailField, FormError, PasswordField } from "./ui";

export function PasswordResetRequestPage() {
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
      <AuthCard title="Check your email">
        <div className="banner banner-ok" role="status">
          If an account uses <strong>{sent}</strong>, a link to set a new password is on its way. It works once and
          for a few days.
        </div>
        <Link className="btn btn-block" to="/login">
          Back to log in
        </Link>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Reset your password" subtitle="Enter your account's email address: we will mail you a link to set a new password.">
      <form onSubmit={submit} noValidate>
        <EmailField id="reset-email" value={email} onChange={setEmail} error={error} />
        <FormError error={error} fields={["email"]} rateLimit="Too many reset requests. Wait a few minutes, then try again." />
        <button className="btn btn-primary btn-block" type="submit" disabled={busy || !email.trim()}>
          {busy ? "Sending…" : "Send the link"}
        </button>
      </form>
      <p className="auth-alt">
        Remembered it? <Link to="/login">Log in</Link>
      </p>
    </AuthCard>
  );
}

/** The page the reset mail links to (HEADLESS_FRONTEND_URLS["account_reset_password_from_key"]). */
export function PasswordResetKeyPage() {
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
      <AuthCard title="This link does not work">
        <div className="banner banner-error" role="alert">
          {keyError.rateLimited
            ? "Too many attempts. Wait a few minutes, then try again."
            : "The link has expired or was already used. Ask for a new one."}
        </div>
        <Link className="btn btn-primary btn-block" to="/account/password/reset">
          Ask for a new link
        </Link>
      </AuthCard>
    );
  }
  if (!who) return <Loading />;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (password !== confirm) {
      setError(new allauth.AllauthError(400, [{ message: "The two passwords differ.", code: "mismatch", param: "confirm" }]));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const outcome = await settle(await allauth.resetPassword(key, password));
      if (outcome.user) void navigate(landingFor(outcome.user, null), { replace: true });
      else if (outcome.flow.is_pending) void navigate(outcome.next, { state: { flow: outcome.flow } });
      else void navigate("/login", { replace: true, state: { notice: "Your new password is set. Log in with it." } });
    } catch (err) {
      const e = asAllauthError(err);
      if (e.forField("key").length > 0) setKeyError(e);
      else setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthCard title="Set a new password" subtitle={<>For <strong>{who.display}</strong>.</>}>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <PasswordField id="new-password" label="New password" name="password" kind="new" autoFocus value={password} onChange={setPassword} error={error} />
        <PasswordField id="confirm-password" label="Repeat the new password" name="confirm" kind="repeat" value={confirm} onChange={setConfirm} error={error} />
        <FormError error={error} fields={["password", "confirm", "key"]} />
        <button className="btn btn-primary btn-block" type="submit" disabled={busy || !password}>
          {busy ? "Saving…" : "Set password"}
        </button>
      </form>
    </AuthCard>
  );
}
