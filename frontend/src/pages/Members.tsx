import { useEffect, useState, type FormEvent, type ReactNode } from "react";
import { asApiError, type ApiError } from "../api/client";
import type { Invitation, Member, Organization, StaffRole } from "../api/types";
import { useAuth } from "../auth";
import { DataTable, type Column, type DataTableProps } from "../components/DataTable";
import { EmptyState, ErrorBanner, Field, FormErrorBanner, Loading, Notice, PageHeader, Pager } from "../components/ui";
import { dateTime } from "../format";
import { useSubmission } from "../hooks";
import { useCreateInvitation, useInvitations, useResendInvitation, useRevokeInvitation } from "../features/organization/api/invitations";
import { useChangeMember, useMembers, type MemberChange } from "../features/organization/api/members";
import { useOrganization, useUpdateOrganization } from "../features/organization/api/organization";

const PAGE_SIZE = 25;
const ROLES: StaffRole[] = ["reviewer", "admin"];

/** The role a select chose (its options are the roles). */
function staffRole(value: string): StaffRole {
  return ROLES.find((r) => r === value) ?? "reviewer";
}

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

/** A button that asks first: the confirm dialog says what `pending` does, and runs it if confirmed. */
function ConfirmButton({ className, label, pending, confirm }: { className: string; label: string; pending: Pending; confirm: (p: Pending) => void }) {
  return (
    <button className={className} onClick={() => confirm(pending)}>
      {label}
    </button>
  );
}

/** Actions on a table's rows: the notice the last one left, or its error, shown in its own row. */
function useRowActions() {
  const [rowError, setRowError] = useState<{ id: number; message: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  async function run(id: number, action: () => Promise<string>, describe: (err: ApiError) => string = (err) => err.message) {
    setRowError(null);
    setNotice(null);
    try {
      setNotice(await action());
    } catch (err) {
      setRowError({ id, message: describe(asApiError(err)) });
    }
  }
  const errorIn = (id: number) =>
    rowError?.id === id && (
      <small className="error block" role="alert">
        {rowError.message}
      </small>
    );
  return { notice, setNotice, run, errorIn };
}

/** A paged list of the organisation's people: its heading, what the last action did, and a page of the table. */
function PagedSection<T>({
  id,
  title,
  notice,
  intro,
  list,
  page,
  onPage,
  table,
}: {
  id: string;
  title: string;
  notice: string | null;
  intro?: ReactNode;
  list: { data: { count: number; results: T[] } | undefined; error: ApiError | null; isFetching: boolean };
  page: number;
  onPage: (page: number) => void;
  table: Omit<DataTableProps<T>, "rows">;
}) {
  const { data, error, isFetching: loading } = list;
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {intro}
      <Notice message={notice} />
      <ErrorBanner error={error} />
      {loading && !data && <Loading />}
      {data && <DataTable stack rows={data.results} {...table} />}
      {data && <Pager page={page} count={data.count} pageSize={PAGE_SIZE} onPage={onPage} />}
    </section>
  );
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
  const save = useSubmission(asApiError);

  function submit(event: FormEvent) {
    event.preventDefault();
    void save.run(async () => {
      const org = await update.mutateAsync({ name, require_two_factor: twoFactor });
      setName(org.name);
      setTwoFactor(org.require_two_factor);
      return org.require_two_factor
        ? "Saved. Admins and reviewers must now use two-factor authentication."
        : "Saved. Two-factor authentication is optional for staff.";
    });
  }

  const changed = name !== data.name || twoFactor !== data.require_two_factor;
  return (
    <form className="card form" aria-labelledby="org-title" onSubmit={submit}>
      <h2 id="org-title">Organisation</h2>
      <Field label="Name" error={save.error} name="name">
        <input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} required />
      </Field>
      <label className="check">
        <input type="checkbox" checked={twoFactor} onChange={(e) => setTwoFactor(e.target.checked)} />
        Require two-factor authentication for staff
      </label>
      <small className="muted block">Admins and reviewers then need an authenticator app to use the console.</small>
      {!changed && <Notice message={save.done} />}
      <FormErrorBanner error={save.error} />
      <div className="form-actions">
        <button className="btn btn-primary" type="submit" disabled={save.busy || !changed}>
          Save
        </button>
      </div>
    </form>
  );
}

function MembersTable({ admin, meId, confirm }: { admin: boolean; meId: number; confirm: (p: Pending) => void }) {
  const [page, setPage] = useState(1);
  const members = useMembers(page, PAGE_SIZE);
  const changeMember = useChangeMember();
  const { refresh } = useAuth();
  const rows = useRowActions();

  /** Change a member; the members are fetched again either way. */
  function act(member: Member, change: MemberChange, done: string) {
    return rows.run(member.id, async () => {
      await changeMember.mutateAsync(change);
      if (member.id === meId) await refresh(); // your own role changed: the console follows it
      return done;
    });
  }

  function roleSelect(m: Member) {
    return (
      <select
        aria-label={`Role of ${m.display_name}`}
        value={m.role}
        onChange={(e) => {
          const role = staffRole(e.target.value);
          void act(m, { memberId: m.id, role }, `${m.display_name} is now ${role === "admin" ? "an admin" : "a reviewer"}.`);
        }}
      >
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
    );
  }

  function actions(m: Member) {
    if (!m.is_active) {
      return (
        <ConfirmButton
          className="btn"
          label="Reactivate"
          confirm={confirm}
          pending={{
            title: `Re-activate ${m.display_name}?`,
            body: "They can sign in again with their password. Old sessions and API tokens stay ended.",
            action: "Re-activate",
            run: () => act(m, { memberId: m.id, active: true }, `${m.display_name} is active again.`),
          }}
        />
      );
    }
    if (m.id === meId) return null;
    return (
      <ConfirmButton
        className="btn btn-danger-ghost"
        label="Deactivate"
        confirm={confirm}
        pending={{
          title: `Deactivate ${m.display_name}?`,
          body: "They are signed out everywhere at once, their API tokens stop working and any work they hold goes back to the pool. You can re-activate them later.",
          action: "Deactivate",
          run: () => act(m, { memberId: m.id, active: false }, `${m.display_name} is deactivated.`),
        }}
      />
    );
  }

  const columns: Column<Member>[] = [
    {
      header: "Name",
      cell: (m) => (
        <>
          <strong>{m.display_name}</strong>
          {m.id === meId && <span className="muted"> (you)</span>}
        </>
      ),
    },
    { header: "Email", cell: (m) => m.email, td: () => ({ className: "break" }) },
    { header: "Role", cell: (m) => (admin && m.is_active ? roleSelect(m) : <span className={`role role-${m.role}`}>{m.role}</span>) },
    {
      header: "Status",
      cell: (m) => <span className={`badge badge-${m.is_active ? "green" : "grey"}`}>{m.is_active ? "active" : "deactivated"}</span>,
    },
    { header: "Two-factor", cell: (m) => (m.has_two_factor ? "yes" : "no") },
    { header: "Last login", cell: (m) => (m.last_login ? dateTime(m.last_login) : "never") },
    ...(admin
      ? [
          {
            header: "Actions",
            hiddenHeader: true,
            cell: (m: Member) => (
              <>
                {actions(m)}
                {rows.errorIn(m.id)}
              </>
            ),
            td: () => ({ className: "actions" }),
          },
        ]
      : []),
  ];

  return (
    <PagedSection id="members" title="Admins and reviewers" notice={rows.notice} list={members} page={page} onPage={setPage}
      intro={!admin && <p className="muted">Only admins can change roles or deactivate members.</p>}
      table={{
        className: "members",
        rowKey: (m) => m.id,
        rowProps: (m) => ({ className: m.is_active ? "" : "revoked", "aria-label": `Member ${m.display_name}` }),
        columns,
        empty: <EmptyState title="No members" />,
      }}
    />
  );
}

function InviteForm({ onInvited }: { onInvited: (inv: Invitation) => void }) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<StaffRole>("reviewer");
  const invite = useSubmission(asApiError);
  const createInvitation = useCreateInvitation();

  function submit(event: FormEvent) {
    event.preventDefault();
    void invite.run(async () => {
      const inv = await createInvitation.mutateAsync({ email, role });
      setEmail("");
      onInvited(inv);
      return `Invitation sent to ${inv.email}. The link works until ${dateTime(inv.expires_at)}.`;
    });
  }

  return (
    <form className="card form" aria-labelledby="invite-title" onSubmit={submit}>
      <h2 id="invite-title">Invite someone</h2>
      <div className="row">
        <Field label="Email" className="grow" error={invite.error} name="email">
          <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required autoComplete="off" />
        </Field>
        <Field label="Role" error={invite.error} name="role">
          <select value={role} onChange={(e) => setRole(staffRole(e.target.value))}>
            <option value="reviewer">reviewer</option>
            <option value="admin">admin</option>
          </select>
        </Field>
      </div>
      <Notice message={invite.done} />
      <FormErrorBanner error={invite.error} />
      <div className="form-actions">
        <button className="btn btn-primary" type="submit" disabled={invite.busy}>
          Send invitation
        </button>
      </div>
    </form>
  );
}

function InvitationsTable({ confirm }: { confirm: (p: Pending) => void }) {
  const [page, setPage] = useState(1);
  const invitations = useInvitations(page, PAGE_SIZE);
  const resendInvitation = useResendInvitation();
  const revokeInvitation = useRevokeInvitation();
  const rows = useRowActions();

  function resend(inv: Invitation) {
    return rows.run(
      inv.id,
      async () => `Sent again to ${(await resendInvitation.mutateAsync(inv.id)).email}: the earlier link no longer works.`,
      (err) => resendError(err, inv),
    );
  }

  function revoke(inv: Invitation) {
    return rows.run(inv.id, async () => {
      await revokeInvitation.mutateAsync(inv.id);
      return `The invitation to ${inv.email} is withdrawn.`;
    });
  }

  const columns: Column<Invitation>[] = [
    { header: "Email", cell: (inv) => inv.email, td: () => ({ className: "break" }) },
    { header: "Role", cell: (inv) => <span className={`role role-${inv.role}`}>{inv.role}</span> },
    {
      header: "Sent",
      cell: (inv) => (
        <>
          {inv.sent_count === 1 ? "once" : `${inv.sent_count} times`}
          <small className="muted block">last {dateTime(inv.last_sent_at)}</small>
        </>
      ),
    },
    { header: "Expires", cell: (inv) => (inv.expired ? <span className="badge badge-grey">expired</span> : dateTime(inv.expires_at)) },
    {
      header: "Actions",
      hiddenHeader: true,
      td: () => ({ className: "actions" }),
      cell: (inv) => (
        <>
          <button
            className="btn"
            disabled={inv.resend_available_at === null}
            title={inv.resend_available_at === null ? "Sent the maximum number of times" : undefined}
            onClick={() => void resend(inv)}
          >
            Resend
          </button>{" "}
          <ConfirmButton
            className="btn btn-danger-ghost"
            label="Revoke"
            confirm={confirm}
            pending={{
              title: `Revoke the invitation to ${inv.email}?`,
              body: "The link in their mail stops working. You can invite the address again later.",
              action: "Revoke",
              run: () => revoke(inv),
            }}
          />
          {rows.errorIn(inv.id)}
        </>
      ),
    },
  ];

  return (
    <>
      <InviteForm
        onInvited={() => {
          rows.setNotice(null);
          setPage(1); // the new invitation is on the first page, fetched again
        }}
      />
      <PagedSection id="invitations" title="Pending invitations" notice={rows.notice} list={invitations} page={page} onPage={setPage}
        table={{
          className: "invitations",
          rowKey: (inv) => inv.id,
          rowProps: (inv) => ({ "aria-label": `Invitation ${inv.email}` }),
          columns,
          empty: <p className="muted">No invitations waiting for an answer.</p>,
        }}
      />
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
