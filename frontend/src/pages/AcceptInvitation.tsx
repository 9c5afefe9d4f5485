import { useState, type FormEvent, type ReactNode } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { ApiError, asApiError } from "../api/client";
import { homeFor, useAuth } from "../auth";
import { BrandMark, Field, FieldMessages, Loading } from "../components/ui";
import { MIN_PASSWORD_LENGTH } from "../features/account/allauth";
import { dateTime } from "../format";
import { useAcceptInvitation, useInvitationPreview, type InvitationAcceptance } from "../features/organization/api/invitation-link";

/** Why a link cannot be used, in words for the person holding it. */
export function linkProblem(err: ApiError): { title: string; body: string } {
  switch (err.code) {
    case "invitation_used":
      return { title: "This invitation has been accepted", body: "It was already used to join. Log in with the account it made." };
    case "invitation_expired":
      return { title: "This invitation has expired", body: "Ask the person who invited you to send it again." };
    case "invitation_revoked":
      return { title: "This invitation was withdrawn", body: "It no longer works. If you think that is a mistake, ask the person who invited you." };
    case "invitation_superseded":
      return { title: "A newer invitation was sent", body: "This link was replaced by a newer one: use the link in the most recent invitation mail." };
    default:
      if (err.status === 404) {
        return { title: "This invitation link is not valid", body: "Check that you opened the whole link from the mail, or ask for a new invitation." };
      }
      return { title: "The invitation cannot be opened", body: err.message };
  }
}

/** A failed acceptance, in words: the account to use, or the reason it cannot join. */
export function acceptProblem(err: ApiError, email: string): string {
  switch (err.code) {
    case "sign_in_required":
      return `An account with ${email} exists: log in as it to accept.`;
    case "wrong_account":
      return `This invitation is for ${email}. Log out and log in as that account to accept it.`;
    case "member_of_another_organization":
      return "Your account belongs to another organisation. An account can belong to one organisation only: ask to be invited at another address.";
    case "freelancer_account":
      return "This address belongs to a freelancer account, which cannot also be staff. Ask to be invited at another address.";
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
  if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (confirm.length > 0 && confirm !== password) return "The two passwords differ.";
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
    const problem = error ? linkProblem(error) : { title: "The invitation cannot be opened", body: "" };
    return (
      <Frame>
        <h1 className="invite-title">{problem.title}</h1>
        <p className="muted">{problem.body}</p>
        <Link className="btn btn-block" to={user ? homeFor(user) : "/login"}>
          {user ? "Go to Atelier" : "Log in"}
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
      setAcceptError(new ApiError(400, "invalid", "The two passwords differ.", { confirm: ["The two passwords differ."] }));
      return;
    }
    void accept({ display_name: displayName, password });
  }

  const next = `/invite/${token}`;
  const localProblem = passwordProblem(password, confirm);
  const general = acceptError && acceptError.fieldMessages("display_name").length + acceptError.fieldMessages("password").length + acceptError.fieldMessages("confirm").length === 0;

  return (
    <Frame>
      <h1 className="invite-title">Join {preview.organization}</h1>
      <p>
        <strong>{preview.inviter}</strong> invited you to join <strong>{preview.organization}</strong> as{" "}
        {preview.role === "admin" ? "an" : "a"} <span className={`role role-${preview.role}`}>{preview.role}</span>.
      </p>
      <dl className="invite-facts">
        <dt>Email</dt>
        <dd>{preview.email}</dd>
        <dt>Expires</dt>
        <dd>{dateTime(preview.expires_at)}</dd>
      </dl>
      {preview.mode === "sign_up" ? (
        <form onSubmit={(event) => void submit(event)} aria-label="Create your account">
          {user && (
            <div className="banner banner-info">
              You are logged in as {user.display_name}. Accepting signs you in as the new account for {preview.email}.
            </div>
          )}
          <Field label="Display name" error={acceptError} name="display_name">
            <input name="display_name" autoComplete="name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} maxLength={120} required autoFocus />
          </Field>
          <Field label="Password" error={acceptError} name="password">
            <NewPassword name="password" value={password} onChange={setPassword} />
          </Field>
          <Field label="Confirm password">
            <NewPassword name="confirm" value={confirm} onChange={setConfirm} />
            {localProblem ? <small className="error">{localProblem}</small> : <FieldMessages error={acceptError} name="confirm" />}
          </Field>
          {general && <AcceptProblem error={acceptError} email={preview.email} />}
          <button className="btn btn-primary btn-block" type="submit" disabled={busy || localProblem !== null}>
            {busy ? "Joining…" : `Join ${preview.organization}`}
          </button>
        </form>
      ) : user ? (
        <div>
          {acceptError && <AcceptProblem error={acceptError} email={preview.email} />}
          {acceptError && FINAL.has(acceptError.code) ? (
            <Link className="btn btn-block" to={homeFor(user)}>
              Go to Atelier
            </Link>
          ) : (
            <button className="btn btn-primary btn-block" disabled={busy} onClick={() => void accept(null)}>
              {busy ? "Joining…" : `Accept as ${user.display_name}`}
            </button>
          )}
        </div>
      ) : (
        <div>
          <p className="muted">An account with {preview.email} already exists. Log in as it, then accept here.</p>
          <Link className="btn btn-primary btn-block" to={`/login?next=${encodeURIComponent(next)}`}>
            Log in to accept
          </Link>
        </div>
      )}
    </Frame>
  );
}
