import { useState, type FormEvent } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Link, Navigate, useLocation, useSearchParams } from "react-router";
import { useAuth } from "../../auth";
import { Notice } from "../../components/ui";
import { useSubmission } from "../../hooks";
import * as allauth from "./allauth";
import { CodeStepForm, CodeStepPage, useCodeStep } from "./CodeStep";
import { landingFor, useFollowOutcome } from "./follow";
import { asAllauthError, AuthCard, AuthField, FormError, PasswordField, rememberCodeSentTo, useAllauthConfig } from "./ui";

export function LoginPage() {
  const { t } = useTranslation("account");
  const { user, login } = useAuth();
  const [params] = useSearchParams();
  const location = useLocation();
  const follow = useFollowOutcome();
  const { config } = useAllauthConfig();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const { busy, error, setError, run } = useSubmission(asAllauthError);
  const notice = (location.state as { notice?: string } | null)?.notice ?? (params.get("reset") ? t("login.resetDone") : null);

  if (user) return <Navigate to={landingFor(user, params.get("next"))} replace />;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!username.trim() || !password) {
      setError(new allauth.AllauthError(400, [], t("login.missing")));
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
    <AuthCard title={t("login.title")} subtitle={t("login.subtitle")}>
      <Notice message={notice} />
      <form onSubmit={submit} noValidate>
        <AuthField
          id="login-username"
          label={t("login.username")}
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
          label={t("login.password")}
          name="password"
          kind="current"
          value={password}
          onChange={setPassword}
          error={error}
          aside={
            <Link to="/account/password/reset" className="small">
              {t("login.forgot")}
            </Link>
          }
        />
        <FormError
          error={error}
          fields={["username", "email", "password"]}
          rateLimit={t("login.rateLimit")}
        />
        <button className="btn btn-primary btn-block" type="submit" disabled={busy}>
          {busy ? t("login.busy") : t("login.submit")}
        </button>
      </form>
      {signupOpen && (
        <p className="auth-alt">
          <Trans t={t} i18nKey="login.signup" components={{ a: <Link to={`/signup${query}`} /> }} />
        </p>
      )}
      <p className="hint">
        <Trans t={t} i18nKey="login.demo" components={{ code: <code /> }} />
      </p>
    </AuthCard>
  );
}

/** The second step of a login with two-factor on: a code from the authenticator app, or a recovery code. */
export function TwoFactorLoginPage() {
  const { t } = useTranslation("account");
  const { settle } = useAuth();
  const step = useCodeStep("mfa_authenticate", async (code) => settle(await allauth.mfaAuthenticate(code)));
  const [useRecovery, setUseRecovery] = useState(false);
  const canRecover = step.flow?.types?.includes("recovery_codes") ?? true;
  return (
    <CodeStepPage codeStep={step} title={t("mfa.title")} expired={t("mfa.expired")}>
      <AuthCard
        title={t("mfa.title")}
        subtitle={useRecovery ? t("mfa.subtitleRecovery") : t("mfa.subtitle")}
      >
        <CodeStepForm
          codeStep={step}
          id="mfa-code"
          label={useRecovery ? t("mfa.recoveryCode") : t("mfa.code")}
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
              {useRecovery ? t("mfa.useApp") : t("mfa.useRecovery")}
            </button>
          </p>
        )}
        <p className="auth-alt">
          <Link to="/login">{t("mfa.cancel")}</Link>
        </p>
      </AuthCard>
    </CodeStepPage>
  );
}
