import { useEffect, useState, type FormEvent, type ReactNode } from "react";
import type { ApiError } from "../api/client";
import type { Invitation, Member, Organization, StaffRole } from "../api/types";
import { useAuth } from "../auth";
import { EmptyState, ErrorBanner, Loading, PageHeader, Pager } from "../components/ui";
import { dateTime } from "../format";
import { useCreateInvitation, useInvitations, useResendInvitation, useRevokeInvitation } from "../features/organization/api/invitations";
import { useChangeMember, useMembers, type MemberChange } from "../features/organization/api/members";
import { useOrganization, useUpdateOrganization } from "../features/organization/api/organization";

const PAGE_SIZE = 25;
const ROLES: StaffRole[] = ["reviewer", "admin"];

/** When a resend may be tried again, in words: "now", "in 42 s", "in 3 min", or null when it may never be resent. */
export function resendWait(availableAt: string | null, now: number = Date.now()): string | null {
  if (availableAt === null) return null;
  const seconds = Math.ceil((new Date(availableAt).getTime() - now) / 1000);
  if (seconds <= 0) return "now";
  if (seconds < 90) return `in ${seconds} s`;
  return `in ${Math.ceil(seconds / 60)} min`;
}

/** The message to show for a failed resend: a 429 says when to retry, from the row's own schedule. */
export function resendError(err: ApiError, invitation: Invitation, now: number = Date.now()): string {
  if (err.status === 429) {
    const wait = resendWait(invitation.resend_available_at, now);
    return wait && wait !== "now" ? `Sent moments ago: you can resend it ${wait}.` : err.message;
  }
  return err.message;
}

/** A confirm dialog: the question, what happens, and the two buttons. */
function Confirm({
  title,
  children,
  action,
  onConfirm,
  onCancel,
}: {
  title: string;
  children: ReactNode;
  action: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onCancel();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onCancel]);
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="confirm-title" onClick={onCancel}>
      <div className="dialog" onClick={(e) => e.stopPropagation()}>
        <h2 id="confirm-title">{title}</h2>
        <p className="muted">{children}</p>
        <div className="form-actions">
          <button className="btn btn-ghost" onClick={onCancel} autoFocus>
            Cancel
          </button>
          <button className="btn btn-danger" onClick={onConfirm}>
            {action}
          </button>
        </div>
      </div>
    </div>
  );
}

interface Pending {
  title: string;
  body: string;
  action: string;
  run: () => Promise<void>;
}

function OrganizationBox() {
  const { data, error, isFetchedAfterMount } = useOrganization();
  if (error) return <ErrorBanner error={error} />;
  // The form starts from the organization as loaded on this visit, not a cached copy.
  if (!isFetchedAfterMount) return <Loading />;
  if (!data) return null;
  return <OrganizationForm organization={data} />;
}

function OrganizationForm({ organization: data }: { organization: Organization }) {
  const update = useUpdateOrganization();
  const [name, setName] = useState(data.name);
  const [twoFactor, setTwoFactor] = useState(data.require_two_factor);
  const [saved, setSaved] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function save(event: FormEvent) {
    event.preventDefault();
    setSaved(null);
    setSaveError(null);
    setBusy(true);
    try {
      const org = await update.mutateAsync({ name, require_two_factor: twoFactor });
      setName(org.name);
      setTwoFactor(org.require_two_factor);
      setSaved(
        org.require_two_factor
          ? "Saved. Admins and reviewers must now use two-factor authentication."
          : "Saved. Two-factor authentication is optional for staff.",
      );
    } catch (err) {
      setSaveError(err as ApiError);
    } finally {
      setBusy(false);
    }
  }

  const changed = name !== data.name || twoFactor !== data.require_two_factor;
  return (
    <form className="card form" aria-labelledby="org-title" onSubmit={(event) => void save(event)}>
      <h2 id="org-title">Organisation</h2>
      <label className="field">
        <span>Name</span>
        <input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} required />
        {saveError?.fieldMessages("name").map((m) => <small className="error" key={m}>{m}</small>)}
      </label>
      <label className="check">
        <input type="checkbox" checked={twoFactor} onChange={(e) => setTwoFactor(e.target.checked)} />
        Require two-factor authentication for staff
      </label>
      <small className="muted block">Admins and reviewers then need an authenticator app to use the console.</small>
      {saved && !changed && (
        <div className="banner banner-ok" role="status">
          {saved}
        </div>
      )}
      {saveError && Object.keys(saveError.fields).length === 0 && <ErrorBanner error={saveError} />}
      <div className="form-actions">
        <button className="btn btn-primary" type="submit" disabled={busy || !changed}>
          Save
        </button>
      </div>
    </form>
  );
}

function MembersTable({ admin, meId, confirm }: { admin: boolean; meId: number; confirm: (p: Pending) => void }) {
  const [page, setPage] = useState(1);
  const { data, error, isFetching: loading } = useMembers(page, PAGE_SIZE);
  const changeMember = useChangeMember();
  const { refresh } = useAuth();
  const [rowError, setRowError] = useState<{ id: number; message: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  /** Change a member; the members are fetched again either way. */
  async function act(member: Member, change: MemberChange, done: string) {
    setRowError(null);
    setNotice(null);
    try {
      await changeMember.mutateAsync(change);
      setNotice(done);
      if (member.id === meId) await refresh(); // your own role changed: the console follows it
    } catch (err) {
      setRowError({ id: member.id, message: (err as ApiError).message });
    }
  }

  return (
    <section className="card" aria-labelledby="members-title">
      <h2 id="members-title">Admins and reviewers</h2>
      {!admin && <p className="muted">Only admins can change roles or deactivate members.</p>}
      {notice && (
        <div className="banner banner-ok" role="status">
          {notice}
        </div>
      )}
      <ErrorBanner error={error} />
      {loading && !data && <Loading />}
      {data && data.results.length === 0 && <EmptyState title="No members" />}
      {data && data.results.length > 0 && (
        <table className="table table-stack members">
          <thead>
            <tr>
              <th>Name</th>
              <th>Email</th>
              <th>Role</th>
              <th>Status</th>
              <th>Two-factor</th>
              <th>Last login</th>
              {admin && <th><span className="sr-only">Actions</span></th>}
            </tr>
          </thead>
          <tbody>
            {data.results.map((m) => (
              <tr key={m.id} className={m.is_active ? "" : "revoked"} aria-label={`Member ${m.display_name}`}>
                <td data-label="Name">
                  <strong>{m.display_name}</strong>
                  {m.id === meId && <span className="muted"> (you)</span>}
                </td>
                <td data-label="Email" className="break">{m.email}</td>
                <td data-label="Role">
                  {admin && m.is_active ? (
                    <select
                      aria-label={`Role of ${m.display_name}`}
                      value={m.role}
                      onChange={(e) => {
                        const role = e.target.value as StaffRole;
                        void act(
                          m,
                          { memberId: m.id, role },
                          `${m.display_name} is now ${role === "admin" ? "an admin" : "a reviewer"}.`,
                        );
                      }}
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <span className={`role role-${m.role}`}>{m.role}</span>
                  )}
                </td>
                <td data-label="Status">
                  <span className={`badge badge-${m.is_active ? "green" : "grey"}`}>{m.is_active ? "active" : "deactivated"}</span>
                </td>
                <td data-label="Two-factor">{m.has_two_factor ? "yes" : "no"}</td>
                <td data-label="Last login">{m.last_login ? dateTime(m.last_login) : "never"}</td>
                {admin && (
                  <td data-label="Actions" className="actions">
                    {m.is_active ? (
                      m.id !== meId && (
                        <button
                          className="btn btn-danger-ghost"
                          onClick={() =>
                            confirm({
                              title: `Deactivate ${m.display_name}?`,
                              body: "They are signed out everywhere at once, their API tokens stop working and any work they hold goes back to the pool. You can re-activate them later.",
                              action: "Deactivate",
                              run: () =>
                                act(m, { memberId: m.id, active: false }, `${m.display_name} is deactivated.`),
                            })
                          }
                        >
                          Deactivate
                        </button>
                      )
                    ) : (
                      <button
                        className="btn"
                        onClick={() =>
                          confirm({
                            title: `Re-activate ${m.display_name}?`,
                            body: "They can sign in again with their password. Old sessions and API tokens stay ended.",
                            action: "Re-activate",
                            run: () =>
                              act(m, { memberId: m.id, active: true }, `${m.display_name} is active again.`),
                          })
                        }
                      >
                        Reactivate
                      </button>
                    )}
                    {rowError?.id === m.id && (
                      <small className="error block" role="alert">
                        {rowError.message}
                      </small>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && <Pager page={page} count={data.count} pageSize={PAGE_SIZE} onPage={setPage} />}
    </section>
  );
}

function InviteForm({ onInvited }: { onInvited: (inv: Invitation) => void }) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<StaffRole>("reviewer");
  const [formError, setFormError] = useState<ApiError | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const createInvitation = useCreateInvitation();

  async function invite(event: FormEvent) {
    event.preventDefault();
    setFormError(null);
    setSent(null);
    setBusy(true);
    try {
      const inv = await createInvitation.mutateAsync({ email, role });
      setSent(`Invitation sent to ${inv.email}. The link works until ${dateTime(inv.expires_at)}.`);
      setEmail("");
      onInvited(inv);
    } catch (err) {
      setFormError(err as ApiError);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form" aria-labelledby="invite-title" onSubmit={(event) => void invite(event)}>
      <h2 id="invite-title">Invite someone</h2>
      <div className="row">
        <label className="field grow">
          <span>Email</span>
          <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required autoComplete="off" />
          {formError?.fieldMessages("email").map((m) => <small className="error" key={m}>{m}</small>)}
        </label>
        <label className="field">
          <span>Role</span>
          <select value={role} onChange={(e) => setRole(e.target.value as StaffRole)}>
            <option value="reviewer">reviewer</option>
            <option value="admin">admin</option>
          </select>
          {formError?.fieldMessages("role").map((m) => <small className="error" key={m}>{m}</small>)}
        </label>
      </div>
      {sent && (
        <div className="banner banner-ok" role="status">
          {sent}
        </div>
      )}
      {formError && Object.keys(formError.fields).length === 0 && <ErrorBanner error={formError} />}
      <div className="form-actions">
        <button className="btn btn-primary" type="submit" disabled={busy}>
          Send invitation
        </button>
      </div>
    </form>
  );
}

function InvitationsTable({ confirm }: { confirm: (p: Pending) => void }) {
  const [page, setPage] = useState(1);
  const { data, error, isFetching: loading } = useInvitations(page, PAGE_SIZE);
  const resendInvitation = useResendInvitation();
  const revokeInvitation = useRevokeInvitation();
  const [rowError, setRowError] = useState<{ id: number; message: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function resend(inv: Invitation) {
    setRowError(null);
    setNotice(null);
    try {
      const fresh = await resendInvitation.mutateAsync(inv.id);
      setNotice(`Sent again to ${fresh.email}: the earlier link no longer works.`);
    } catch (err) {
      setRowError({ id: inv.id, message: resendError(err as ApiError, inv) });
    }
  }

  async function revoke(inv: Invitation) {
    setRowError(null);
    setNotice(null);
    try {
      await revokeInvitation.mutateAsync(inv.id);
      setNotice(`The invitation to ${inv.email} is withdrawn.`);
    } catch (err) {
      setRowError({ id: inv.id, message: (err as ApiError).message });
    }
  }

  return (
    <>
      <InviteForm
        onInvited={() => {
          setNotice(null);
          setPage(1); // the new invitation is on the first page, fetched again
        }}
      />
      <section className="card" aria-labelledby="invitations-title">
        <h2 id="invitations-title">Pending invitations</h2>
        {notice && (
          <div className="banner banner-ok" role="status">
            {notice}
          </div>
        )}
        <ErrorBanner error={error} />
        {loading && !data && <Loading />}
        {data && data.results.length === 0 && <p className="muted">No invitations waiting for an answer.</p>}
        {data && data.results.length > 0 && (
          <table className="table table-stack invitations">
            <thead>
              <tr>
                <th>Email</th>
                <th>Role</th>
                <th>Sent</th>
                <th>Expires</th>
                <th><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {data.results.map((inv) => (
                <tr key={inv.id} aria-label={`Invitation ${inv.email}`}>
                  <td data-label="Email" className="break">{inv.email}</td>
                  <td data-label="Role">
                    <span className={`role role-${inv.role}`}>{inv.role}</span>
                  </td>
                  <td data-label="Sent">
                    {inv.sent_count === 1 ? "once" : `${inv.sent_count} times`}
                    <small className="muted block">last {dateTime(inv.last_sent_at)}</small>
                  </td>
                  <td data-label="Expires">
                    {inv.expired ? <span className="badge badge-grey">expired</span> : dateTime(inv.expires_at)}
                  </td>
                  <td data-label="Actions" className="actions">
                    <button
                      className="btn"
                      disabled={inv.resend_available_at === null}
                      title={inv.resend_available_at === null ? "Sent the maximum number of times" : undefined}
                      onClick={() => void resend(inv)}
                    >
                      Resend
                    </button>{" "}
                    <button
                      className="btn btn-danger-ghost"
                      onClick={() =>
                        confirm({
                          title: `Revoke the invitation to ${inv.email}?`,
                          body: "The link in their mail stops working. You can invite the address again later.",
                          action: "Revoke",
                          run: () => revoke(inv),
                        })
                      }
                    >
                      Revoke
                    </button>
                    {rowError?.id === inv.id && (
                      <small className="error block" role="alert">
                        {rowError.message}
                      </small>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {data && <Pager page={page} count={data.count} pageSize={PAGE_SIZE} onPage={setPage} />}
      </section>
    </>
  );
}

export function MembersPage() {
  const { user } = useAuth();
  const [pending, setPending] = useState<Pending | null>(null);
  if (!user) return null;
  const admin = user.role === "admin";
  return (
    <>
      <PageHeader
        title="Members"
        subtitle={admin ? "Who works in your organisation, their roles, and who is invited." : "Who works in your organisation."}
      />
      {admin && <OrganizationBox />}
      <MembersTable admin={admin} meId={user.id} confirm={setPending} />
      {admin && <InvitationsTable confirm={setPending} />}
      {pending && (
        <Confirm
          title={pending.title}
          action={pending.action}
          onCancel={() => setPending(null)}
          onConfirm={() => {
            const run = pending.run;
            setPending(null);
            void run();
          }}
        >
          {pending.body}
        </Confirm>
      )}
    </>
  );
}
