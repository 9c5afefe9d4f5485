import { useEffect, useState, type FormEvent } from "react";
import { Link, Navigate, useLocation, useNavigate, useSearchParams } from "react-router";
import { homeFor, needsTwoFactor, safeNext, TWO_FACTOR_SETUP, useAuth, type LoginOutcome } from "../../auth";
import type { User } from "../../api/types";
import { Loading } from "../../components/ui";
import * as allauth from "./allauth";
import { asAllauthError, AuthCard, FieldErrors, FormError, PasswordInput, rememberCodeSentTo, StepExpired, useAllauthConfig } from "./ui";

/** Where a signed-in person goes: an organisation that asks for 2FA first, then `next`, then their home. */
export function landingFor(user: User, next: string | null): string {
  if (needsTwoFactor(user)) return TWO_FACTOR_SETUP;
  return safeNext(next) ?? homeFor(user);
}

/** Follow a login outcome: into the console, or to the step that is pending (keeping `next`). */
export function useFollowOutcome() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  return (outcome: LoginOutcome) => {
    const next = params.get("next");
    if (outcome.user) {
      void navigate(landingFor(outcome.user, next), { replace: true });
    } else {
      const query = next ? `?next=${encodeURIComponent(next)}` : "";
      void navigate(outcome.next + query, { state: { flow: outcome.flow } });
    }
  };
}

export function LoginPage() {
  const { user, login } = useAuth();
  const [params] = useSearchParams();
  const location = useLocation();
  const follow = useFollowOutcome();
  const { config } = useAllauthConfig();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<allauth.AllauthError | null>(null);
  const [busy, setBusy] = useState(false);
  const notice = (location.state as { notice?: string } | null)?.notice ?? (params.get("reset") ? "Your password is set. Log in with it." : null);

  if (user) return <Navigate to={landingFor(user, params.get("next"))} replace />;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!username.trim() || !password) {
      setError(new allauth.AllauthError(400, [], "Enter your username or email and your password."));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      rememberCodeSentTo(username.includes("@") ? username.trim() : null);
      follow(await login(username, password));
    } catch (err) {
      setError(asAllauthError(err));
    } finally {
      setBusy(false);
    }
  }

  const signupOpen = config?.account.is_open_for_signup !== false;
  const query = params.get("next") ? `?next=${encodeURIComponent(params.get("next")!)}` : "";
  return (
    <AuthCard title="Log in" subtitle="Human creative work, with the process that made it.">
      {notice && (
        <div className="banner banner-ok" role="status">
          {notice}
        </div>
      )}
      <form onSubmit={(event) => void submit(event)} noValidate>
        <div className="field">
          <label htmlFor="login-username">Username or email</label>
          <input
            id="login-username"
            name="username"
            autoComplete="username"
            autoFocus
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            aria-invalid={(error?.forField("username").length ?? 0) + (error?.forField("email").length ?? 0) > 0 || undefined}
            aria-describedby="login-username-error"
            required
          />
          <FieldErrors error={error} param="username" id="login-username-error" />
          <FieldErrors error={error} param="email" />
        </div>
        <div className="field">
          <div className="label-row">
            <label htmlFor="login-password">Password</label>
            <Link to="/account/password/reset" className="small">
              Forgot your password?
            </Link>
          </div>
          <PasswordInput
            id="login-password"
            name="password"
            autoComplete="current-password"
            value={password}
            onChange={setPassword}
            describedBy="login-password-error"
            invalid={(error?.forField("password").length ?? 0) > 0}
          />
          <FieldErrors error={error} param="password" id="login-password-error" />
        </div>
        <FormError
          error={error}
          fields={["username", "email", "password"]}
          rateLimit="Too many failed attempts. Wait a few minutes before trying again, or reset your password."
        />
        <button className="btn btn-primary btn-block" type="submit" disabled={busy}>
          {busy ? "Logging in…" : "Log in"}
        </button>
      </form>
      {signupOpen && (
        <p className="auth-alt">
          New to Atelier? <Link to={`/signup${query}`}>Create an account</Link>
        </p>
      )}
      <p className="hint">
        Demo: <code>admin</code>, <code>reviewer</code> or <code>freelancer</code>, password <code>atelier-demo</code>
      </p>
    </AuthCard>
  );
}

/** The second step of a login with two-factor on: a code from the authenticator app, or a recovery code. */
export function TwoFactorLoginPage() {
  const { user, settle } = useAuth();
  const [params] = useSearchParams();
  const location = useLocation();
  const follow = useFollowOutcome();
  const [types, setTypes] = useState<allauth.AuthenticatorType[] | null>(
    (location.state as { flow?: allauth.Flow } | null)?.flow?.types ?? null,
  );
  const [pending, setPending] = useState<boolean | null>(types ? true : null);
  const [useRecovery, setUseRecovery] = useState(false);
  const [code, setCode] = useState("");
  const [error, setError] = useState<allauth.AllauthError | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (pending !== null) return;
    // A reload of this page: ask allauth whether the step is still open, and with which kinds of code.
    allauth.getAuthSession().then(
      (result) => {
        const flow = result.pending?.id === "mfa_authenticate" ? result.pending : null;
        setTypes(flow?.types ?? []);
        setPending(flow !== null);
      },
      () => setPending(false),
    );
  }, [pending]);

  if (user) return <Navigate to={landingFor(user, params.get("next"))} replace />;
  if (pending === null) return <Loading />;
  if (!pending) {
    return <StepExpired title="Two-factor authentication">This sign-in step has expired. Log in again.</StepExpired>;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      follow(await settle(await allauth.mfaAuthenticate(code)));
    } catch (err) {
      const e = asAllauthError(err);
      if (e.status === 409) setPending(false);
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const canRecover = types?.includes("recovery_codes") ?? true;
  return (
    <AuthCard
      title="Two-factor authentication"
      subtitle={useRecovery ? "Enter one of your recovery codes. Each works once." : "Enter the 6-digit code from your authenticator app."}
    >
      <form onSubmit={(event) => void submit(event)} noValidate>
        <div className="field">
          <label htmlFor="mfa-code">{useRecovery ? "Recovery code" : "Authentication code"}</label>
          <input
            id="mfa-code"
            name="code"
            className="code-input"
            inputMode={useRecovery ? "text" : "numeric"}
            autoComplete="one-time-code"
            autoFocus
            value={code}
            onChange={(e) => setCode(e.target.value)}
            aria-describedby="mfa-code-error"
            aria-invalid={(error?.forField("code").length ?? 0) > 0 || undefined}
            required
          />
          <FieldErrors error={error} param="code" id="mfa-code-error" />
        </div>
        <FormError error={error} fields={["code"]} />
        <button className="btn btn-primary btn-block" type="submit" disabled={busy || !code.trim()}>
          {busy ? "Checking…" : "Verify"}
        </button>
      </form>
      {canRecover && (
        <p className="auth-alt">
          <button
            type="button"
            className="linkish"
            onClick={() => {
              setUseRecovery((v) => !v);
              setCode("");
              setError(null);
            }}
          >
            {useRecovery ? "Use your authenticator app instead" : "Lost your device? Use a recovery code"}
          </button>
        </p>
      )}
      <p className="auth-alt">
        <Link to="/login">Cancel and log in again</Link>
      </p>
    </AuthCard>
  );
}
