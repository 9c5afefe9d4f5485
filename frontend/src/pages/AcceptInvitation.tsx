import { useState, type FormEvent, type ReactNode } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { ApiError, asApiError } from "../api/client";
import { homeFor, useAuth } from "../auth";
import { BrandMark, Field, FieldMessages, Loading } from "../components/ui";
import { MIN_PASSWORD_LENGTH } from "../features/account/allauth";
import { dateTime } from "../format";
import { i18n } from "../i18n";
import { useAcceptInvitation, useInvitationPreview, type InvitationAcceptance } from "../features/organization/api/invitation-link";

/** Why a link cannot be used, in words for the person holding it. */
export function linkProblem(err: ApiError): { title: string; body: string } {
  const t = (key: `invite.${"used" | "expired" | "revoked" | "superseded" | "invalid"}.${"title" | "body"}` | "invite.unavailable") =>
    i18n.t(key, { ns: "account" });
  switch (err.code) {
    case "invitation_used":
      return { title: t("invite.used.title"), body: t("invite.used.body") };
    case "invitation_expired":
      return { title: t("invite.expired.title"), body: t("invite.expired.body") };
    case "invitation_revoked":
      return { title: t("invite.revoked.title"), body: t("invite.revoked.body") };
    case "invitation_superseded":
      return { title: t("invite.superseded.title"), body: t("invite.superseded.body") };
    default:
      if (err.status === 404) {
        return { title: t("invite.invalid.title"), body: t("invite.invalid.body") };
      }
      return { title: t("invite.unavailable"), body: err.message };
  }
}

/** A failed acceptance, in words: the account to use, or the reason it cannot join. */
export function acceptProblem(err: ApiError, email: string): string {
  switch (err.code) {
    case "sign_in_required":
      return i18n.t("invite.problem.signIn", { ns: "account", email });
    case "wrong_account":
      return i18n.t("invite.problem.wrongAccount", { ns: "account", email });
    case "member_of_another_organization":
      return i18n.t("invite.problem.otherOrganisation", { ns: "account" });
    case "freelancer_account":
      return i18n.t("invite.problem.freelancer", { ns: "account" });
    default:
      return err.message;
  }
}

function AcceptProblem({ error, email }: { error: ApiError; email: string }) {
  return (
    <div className="banner banner-error" role="alert">
      {acceptProblem(error, email)}
    </div>
  );
}

/** Refusals that trying again as the same account cannot change. */
const FINAL = new Set(["wrong_account", "member_of_another_organization", "freelancer_account"]);

/** Passwords the form refuses before asking the server (which applies its own validators too). */
export function passwordProblem(password: string, confirm: string): string | null {
  if (password.length === 0) return null;
  if (password.length < MIN_PASSWORD_LENGTH) return i18n.t("invite.tooShort", { ns: "account", min: MIN_PASSWORD_LENGTH });
  if (confirm.length > 0 && confirm !== password) return i18n.t("password.differ", { ns: "account" });
  return null;
}

function NewPassword({ name, value, onChange }: { name: string; value: string; onChange: (value: string) => void }) {
  return <input name={name} type="password" autoComplete="new-password" value={value} onChange={(e) => onChange(e.target.value)} required />;
}

function Frame({ children }: { children: ReactNode }) {
  return (
    <div className="login-page">
      <div className="login-card invite-card">
        <div className="brand brand-large">
          <BrandMark />
        </div>
        {children}
      </div>
    </div>
  );
}

export function AcceptInvitationPage() {
  const { t } = useTranslation("account");
  const { t: tc } = useTranslation();
  const { token = "" } = useParams();
  const { user, loading: authLoading, refresh } = useAuth();
  const navigate = useNavigate();
  const { data, error, isPending: loading } = useInvitationPreview(token);
  const acceptance = useAcceptInvitation(token);
  const [displayName, setDisplayName] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [acceptError, setAcceptError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  if (loading || authLoading) {
    return (
      <Frame>
        <Loading />
      </Frame>
    );
  }
  if (error || !data) {
    const problem = error ? linkProblem(error) : { title: t("invite.unavailable"), body: "" };
    return (
      <Frame>
        <h1 className="invite-title">{problem.title}</h1>
        <p className="muted">{problem.body}</p>
        <Link className="btn btn-block" to={user ? homeFor(user) : "/login"}>
          {user ? t("invite.goToAtelier") : t("invite.login")}
        </Link>
      </Frame>
    );
  }
  const preview = data;

  async function accept(body: InvitationAcceptance) {
    setBusy(true);
    setAcceptError(null);
    try {
      const me = await acceptance.mutateAsync(body);
      await refresh();
      void navigate(homeFor(me), { replace: true });
    } catch (err) {
      setAcceptError(asApiError(err));
      setBusy(false);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (password !== confirm) {
      const differ = t("password.differ");
      setAcceptError(new ApiError(400, "invalid", differ, { confirm: [differ] }));
      return;
    }
    void accept({ display_name: displayName, password });
  }

  const next = `/invite/${token}`;
  const localProblem = passwordProblem(password, confirm);
  const general = acceptError && acceptError.fieldMessages("display_name").length + acceptError.fieldMessages("password").length + acceptError.fieldMessages("confirm").length === 0;

  return (
    <Frame>
      <h1 className="invite-title">{t("invite.join", { organization: preview.organization })}</h1>
      <p>
        <Trans
          t={t}
          i18nKey="invite.invited"
          values={{ inviter: preview.inviter, organization: preview.organization, role: preview.role, roleName: tc(`role.${preview.role}`) }}
          components={{ b: <strong />, role: <span className={`role role-${preview.role}`} /> }}
        />
      </p>
      <dl className="invite-facts">
        <dt>{t("invite.email")}</dt>
        <dd>{preview.email}</dd>
        <dt>{t("invite.expires")}</dt>
        <dd>{dateTime(preview.expires_at)}</dd>
      </dl>
      {preview.mode === "sign_up" ? (
        <form onSubmit={(event) => void submit(event)} aria-label={t("signup.title")}>
          {user && (
            <div className="banner banner-info">
              {t("invite.loggedInAs", { name: user.display_name, email: preview.email })}
            </div>
          )}
          <Field label={t("invite.displayName")} error={acceptError} name="display_name">
            <input name="display_name" autoComplete="name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} maxLength={120} required autoFocus />
          </Field>
          <Field label={t("login.password")} error={acceptError} name="password">
            <NewPassword name="password" value={password} onChange={setPassword} />
          </Field>
          <Field label={t("invite.confirmPassword")}>
            <NewPassword name="confirm" value={confirm} onChange={setConfirm} />
            {localProblem ? <small className="error">{localProblem}</small> : <FieldMessages error={acceptError} name="confirm" />}
          </Field>
          {general && <AcceptProblem error={acceptError} email={preview.email} />}
          <button className="btn btn-primary btn-block" type="submit" disabled={busy || localProblem !== null}>
            {busy ? t("invite.joining") : t("invite.join", { organization: preview.organization })}
          </button>
        </form>
      ) : user ? (
        <div>
          {acceptError && <AcceptProblem error={acceptError} email={preview.email} />}
          {acceptError && FINAL.has(acceptError.code) ? (
            <Link className="btn btn-block" to={homeFor(user)}>
              {t("invite.goToAtelier")}
            </Link>
          ) : (
            <button className="btn btn-primary btn-block" disabled={busy} onClick={() => void accept(null)}>
              {busy ? t("invite.joining") : t("invite.acceptAs", { name: user.display_name })}
            </button>
          )}
        </div>
      ) : (
        <div>
          <p className="muted">{t("invite.accountExists", { email: preview.email })}</p>
          <Link className="btn btn-primary btn-block" to={`/login?next=${encodeURIComponent(next)}`}>
            {t("invite.loginToAccept")}
          </Link>
        </div>
      )}
    </Frame>
  );
}
