import { useState, type FormEvent } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Link, Navigate, useSearchParams } from "react-router";
import { usePlatform } from "../platform/api/get-platform";
import { useAuth } from "../../auth";
import { Loading, Notice } from "../../components/ui";
import { useSubmission } from "../../hooks";
import * as allauth from "./allauth";
import { CodeStepForm, CodeStepPage, useCodeStep } from "./CodeStep";
import { landingFor, useFollowOutcome } from "./follow";
import { asAllauthError, AuthCard, codeSentTo, EmailField, FieldErrors, FormError, PasswordField, rememberCodeSentTo, useAllauthConfig } from "./ui";

/** The contributor terms' version a sign-up accepts, from the platform's settings. */
function useTermsVersion(): { version: string | null; failed: boolean } {
  const platform = usePlatform();
  const version = platform.data?.contributor_terms_version || null;
  return { version, failed: platform.isError || (platform.isSuccess && !version) };
}

export function SignupPage() {
  const { t } = useTranslation("account");
  const { user, settle } = useAuth();
  const [params] = useSearchParams();
  const follow = useFollowOutcome();
  const { config, error: configError } = useAllauthConfig();
  const { version, failed: versionFailed } = useTermsVersion();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [accept, setAccept] = useState(false);
  const { busy, error, setError, run } = useSubmission(asAllauthError);

  if (user) return <Navigate to={landingFor(user, params.get("next"))} replace />;
  if (!config && !configError) return <Loading />;

  if (config && !config.account.is_open_for_signup) {
    return (
      <AuthCard title={t("signup.closed.title")} subtitle={t("signup.closed.subtitle")}>
        <div className="banner banner-warn" role="status">
          {t("signup.closed.body")}
        </div>
        <Link className="btn btn-primary btn-block" to="/login">
          {t("signup.closed.login")}
        </Link>
      </AuthCard>
    );
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!version) return;
    if (!accept) {
      setError(new allauth.AllauthError(400, [{ message: t("signup.acceptRequired"), code: "required", param: "accept_terms" }]));
      return;
    }
    void run(async () => {
      rememberCodeSentTo(email.trim());
      follow(await settle(await allauth.signup({ email: email.trim(), password, accept_terms: accept, terms_version: version })));
    });
  }

  return (
    <AuthCard title={t("signup.title")} subtitle={t("signup.subtitle")}>
      <form onSubmit={submit} noValidate>
        <EmailField id="signup-email" value={email} onChange={setEmail} error={error} />
        <PasswordField id="signup-password" label={t("signup.password")} name="password" kind="new" value={password} onChange={setPassword} error={error} />
        <div className="field">
          <label className="check terms-check">
            <input
              type="checkbox"
              name="accept_terms"
              checked={accept}
              onChange={(e) => setAccept(e.target.checked)}
              aria-describedby="signup-terms-error"
            />
            <span>
              <Trans t={t} i18nKey="signup.accept" components={{ a: <Link to="/terms" target="_blank" rel="noopener" /> }} />
              {version && <span className="muted">{t("signup.version", { version })}</span>}
            </span>
          </label>
          <FieldErrors error={error} param="accept_terms" id="signup-terms-error" />
          <FieldErrors error={error} param="terms_version" />
          {versionFailed && (
            <small className="error" role="alert">
              {t("signup.termsFailed")}
            </small>
          )}
        </div>
        <FormError
          error={error}
          fields={["email", "password", "accept_terms", "terms_version"]}
          rateLimit={t("signup.rateLimit")}
        />
        <button className="btn btn-primary btn-block" type="submit" disabled={busy || !version}>
          {busy ? t("signup.busy") : t("signup.submit")}
        </button>
      </form>
      <p className="auth-alt">
        <Trans t={t} i18nKey="signup.login" components={{ a: <Link to="/login" /> }} />
      </p>
    </AuthCard>
  );
}

/** The code from the verification mail: the step after sign-up, or after logging in with an unverified address. */
export function VerifyEmailPage() {
  const { t } = useTranslation("account");
  const { settle } = useAuth();
  const [notice, setNotice] = useState<string | null>(null);
  const step = useCodeStep("verify_email", async (code) => {
    setNotice(null);
    const outcome = await settle(await allauth.verifyEmail(code));
    rememberCodeSentTo(null);
    return outcome;
  });
  const sentTo = codeSentTo();

  async function resend() {
    step.setError(null);
    setNotice(null);
    try {
      await allauth.resendEmailCode();
      setNotice(t("verify.resent"));
    } catch (err) {
      const e = asAllauthError(err);
      step.setError(e.rateLimited ? e : new allauth.AllauthError(e.status, [], t("verify.resendFailed")));
    }
  }

  return (
    <CodeStepPage
      codeStep={step}
      title={t("verify.title")}
      expired={t("verify.expired")}
    >
      <AuthCard
        title={t("verify.check")}
        subtitle={
          sentTo ? (
            <Trans t={t} i18nKey="verify.sentTo" values={{ email: sentTo }} components={{ b: <strong /> }} />
          ) : (
            t("verify.sent")
          )
        }
      >
        <Notice message={notice} />
        <CodeStepForm
          codeStep={step}
          id="verify-code"
          label={t("verify.code")}
          param="key"
          name="code"
          autoCapitalize="characters"
          spellCheck={false}
          autoFocus
          required
          rateLimit={t("verify.rateLimit")}
        />
        <p className="auth-alt">
          <Trans t={t} i18nKey="verify.noMail" components={{ resend: <button type="button" className="linkish" onClick={() => void resend()} /> }} />
        </p>
      </AuthCard>
    </CodeStepPage>
  );
}

export function TermsPage() {
  const { t } = useTranslation("account");
  const { version } = useTermsVersion();
  return (
    <AuthCard title={t("terms.title")} subtitle={version ? t("terms.version", { version }) : undefined} wide>
      <div className="terms">
        <p>{t("terms.intro")}</p>
        <ul>
          <li>{t("terms.ownWork")}</li>
          <li>{t("terms.history")}</li>
          <li>{t("terms.licence")}</li>
          <li>{t("terms.credits")}</li>
          <li>{t("terms.close")}</li>
        </ul>
        <p className="muted small">{t("terms.changes")}</p>
      </div>
      <Link className="btn btn-block" to="/signup">
        {t("terms.back")}
      </Link>
    </AuthCard>
  );
}
