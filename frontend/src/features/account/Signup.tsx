import { useState, type FormEvent } from "react";
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
      <AuthCard title="Sign-up is closed" subtitle="Atelier is not taking new accounts right now.">
        <div className="banner banner-warn" role="status">
          New contributors join by invitation for the moment. If someone invited you, use the link in their mail.
        </div>
        <Link className="btn btn-primary btn-block" to="/login">
          Log in to an existing account
        </Link>
      </AuthCard>
    );
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!version) return;
    if (!accept) {
      setError(new allauth.AllauthError(400, [{ message: "Accept the contributor terms to continue.", code: "required", param: "accept_terms" }]));
      return;
    }
    void run(async () => {
      rememberCodeSentTo(email.trim());
      follow(await settle(await allauth.signup({ email: email.trim(), password, accept_terms: accept, terms_version: version })));
    });
  }

  return (
    <AuthCard title="Create your account" subtitle="Contribute creative work, keep its history, get paid for it.">
      <form onSubmit={submit} noValidate>
        <EmailField id="signup-email" value={email} onChange={setEmail} error={error} />
        <PasswordField id="signup-password" label="Password" name="password" kind="new" value={password} onChange={setPassword} error={error} />
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
              I accept the <Link to="/terms" target="_blank" rel="noopener">contributor terms</Link>
              {version && <span className="muted"> (version {version})</span>}
            </span>
          </label>
          <FieldErrors error={error} param="accept_terms" id="signup-terms-error" />
          <FieldErrors error={error} param="terms_version" />
          {versionFailed && (
            <small className="error" role="alert">
              The contributor terms could not be loaded. Reload the page to try again.
            </small>
          )}
        </div>
        <FormError
          error={error}
          fields={["email", "password", "accept_terms", "terms_version"]}
          rateLimit="Too many sign-ups from here just now. Wait a minute, then try again."
        />
        <button className="btn btn-primary btn-block" type="submit" disabled={busy || !version}>
          {busy ? "Creating your account…" : "Create account"}
        </button>
      </form>
      <p className="auth-alt">
        Already have an account? <Link to="/login">Log in</Link>
      </p>
    </AuthCard>
  );
}

/** The code from the verification mail: the step after sign-up, or after logging in with an unverified address. */
export function VerifyEmailPage() {
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
      setNotice("A new code is on its way.");
    } catch (err) {
      const e = asAllauthError(err);
      step.setError(e.rateLimited ? e : new allauth.AllauthError(e.status, [], "No new code can be sent right now."));
    }
  }

  return (
    <CodeStepPage
      codeStep={step}
      title="Verify your email"
      expired="There is no code to enter right now: the step expired or too many wrong codes were tried. Log in again to get a new code."
    >
      <AuthCard
        title="Check your email"
        subtitle={
          sentTo ? (
            <>
              We sent a code to <strong>{sentTo}</strong>. Enter it below to finish.
            </>
          ) : (
            "We sent a code to your account's email address. Enter it below to finish."
          )
        }
      >
        <Notice message={notice} />
        <CodeStepForm
          codeStep={step}
          id="verify-code"
          label="Verification code"
          param="key"
          name="code"
          autoCapitalize="characters"
          spellCheck={false}
          autoFocus
          required
          rateLimit="Too many codes asked for. Wait a few minutes, then try again."
        />
        <p className="auth-alt">
          No mail? Check your spam folder, or{" "}
          <button type="button" className="linkish" onClick={() => void resend()}>
            send a new code
          </button>
          .
        </p>
      </AuthCard>
    </CodeStepPage>
  );
}

export function TermsPage() {
  const { version } = useTermsVersion();
  return (
    <AuthCard title="Contributor terms" subtitle={version ? `Version ${version}` : undefined} wide>
      <div className="terms">
        <p>These terms cover the work you contribute on Atelier. In short:</p>
        <ul>
          <li>You contribute only work you made yourself, and you say when a tool helped.</li>
          <li>Atelier keeps the history of each piece of work (drafts, notes, decisions) as its record of provenance.</li>
          <li>
            Accepted work is licensed to the organisation that posted the task, for the use its brief states; you are
            paid the stated rate for it.
          </li>
          <li>Your name appears in credits only where you agree to it; your portfolio is private until you publish it.</li>
          <li>You may close your account; the record of paid work is kept as the law asks.</li>
        </ul>
        <p className="muted small">
          When the terms change we ask you to accept the new version before you take new work.
        </p>
      </div>
      <Link className="btn btn-block" to="/signup">
        Back to sign-up
      </Link>
    </AuthCard>
  );
}
