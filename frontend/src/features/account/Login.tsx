import { useState, type FormEvent } from "react";
import { Link, Navigate, useLocation, useSearchParams } from "react-router";
import { useAuth } from "../../auth";
import { Notice } from "../../components/ui";
import { useSubmission } from "../../hooks";
import * as allauth from "./allauth";
import { CodeStepForm, CodeStepPage, useCodeStep } from "./CodeStep";
import { landingFor, useFollowOutcome } from "./follow";
import { asAllauthError, AuthCard, AuthField, FormError, PasswordField, rememberCodeSentTo, useAllauthConfig } from "./ui";

export function LoginPage() {
  const { user, login } = useAuth();
  const [params] = useSearchParams();
  const location = useLocation();
  const follow = useFollowOutcome();
  const { config } = useAllauthConfig();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const { busy, error, setError, run } = useSubmission(asAllauthError);
  const notice = (location.state as { notice?: string } | null)?.notice ?? (params.get("reset") ? "Your password is set. Log in with it." : null);

  if (user) return <Navigate to={landingFor(user, params.get("next"))} replace />;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!username.trim() || !password) {
      setError(new allauth.AllauthError(400, [], "Enter your username or email and your password."));
      return;
    }
    void run(async () => {
      rememberCodeSentTo(username.includes("@") ? username.trim() : null);
      follow(await login(username, password));
    });
  }

  const signupOpen = config?.account.is_open_for_signup !== false;
  const query = params.get("next") ? `?next=${encodeURIComponent(params.get("next")!)}` : "";
  return (
    <AuthCard title="Log in" subtitle="Human creative work, with the process that made it.">
      <Notice message={notice} />
      <form onSubmit={submit} noValidate>
        <AuthField
          id="login-username"
          label="Username or email"
          name="username"
          autoComplete="username"
          autoFocus
          required
          value={username}
          onChange={setUsername}
          error={error}
          param={["username", "email"]}
        />
        <PasswordField
          id="login-password"
          label="Password"
          name="password"
          kind="current"
          value={password}
          onChange={setPassword}
          error={error}
          aside={
            <Link to="/account/password/reset" className="small">
              Forgot your password?
            </Link>
          }
        />
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
  const { settle } = useAuth();
  const step = useCodeStep("mfa_authenticate", async (code) => settle(await allauth.mfaAuthenticate(code)));
  const [useRecovery, setUseRecovery] = useState(false);
  const canRecover = step.flow?.types?.includes("recovery_codes") ?? true;
  return (
    <CodeStepPage codeStep={step} title="Two-factor authentication" expired="This sign-in step has expired. Log in again.">
      <AuthCard
        title="Two-factor authentication"
        subtitle={useRecovery ? "Enter one of your recovery codes. Each works once." : "Enter the 6-digit code from your authenticator app."}
      >
        <CodeStepForm
          codeStep={step}
          id="mfa-code"
          label={useRecovery ? "Recovery code" : "Authentication code"}
          param="code"
          name="code"
          inputMode={useRecovery ? "text" : "numeric"}
          autoFocus
          required
        />
        {canRecover && (
          <p className="auth-alt">
            <button
              type="button"
              className="linkish"
              onClick={() => {
                setUseRecovery((v) => !v);
                step.setCode("");
                step.setError(null);
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
    </CodeStepPage>
  );
}
