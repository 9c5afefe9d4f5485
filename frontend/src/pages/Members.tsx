import { useEffect, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { asApiError, type ApiError } from "../api/client";
import type { Invitation, Member, Organization, StaffRole } from "../api/types";
import { useAuth } from "../auth";
import { DataTable, type Column, type DataTableProps } from "../components/DataTable";
import { EmptyState, ErrorBanner, Field, FormErrorBanner, Loading, Notice, PageHeader, Pager } from "../components/ui";
import { count, dateTime } from "../format";
import { i18n } from "../i18n";
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

type OrgT = TFunction<"org">;
const orgT = (): OrgT => i18n.getFixedT(null, "org");

/** Seconds until a resend may be tried again (0 or less: now), or null when it may never be resent. */
function secondsToResend(availableAt: string | null, now: number): number | null {
  return availableAt === null ? null : Math.ceil((new Date(availableAt).getTime() - now) / 1000);
}

/** When a resend may be tried again, in words: "now", "in 42 s", "in 3 min", or null when it may never be resent. */
export function resendWait(availableAt: string | null, now: number = Date.now(), t: OrgT = orgT()): string | null {
  const seconds = secondsToResend(availableAt, now);
  if (seconds === null) return null;
  if (seconds <= 0) return t("members.resend.now");
  if (seconds < 90) return t("members.resend.inSeconds", { n: count(seconds) });
  return t("members.resend.inMinutes", { n: count(Math.ceil(seconds / 60)) });
}

/** The message to show for a failed resend: a 429 says when to retry, from the row's own schedule. */
export function resendError(err: ApiError, invitation: Invitation, now: number = Date.now(), t: OrgT = orgT()): string {
  if (err.status === 429) {
    const seconds = secondsToResend(invitation.resend_available_at, now);
    const wait = resendWait(invitation.resend_available_at, now, t);
    return wait && seconds !== null && seconds > 0 ? t("members.resend.throttled", { wait }) : err.message;
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
  const { t } = useTranslation("org");
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
            {t("members.confirm.cancel")}
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
  const { t } = useTranslation("org");
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
      return org.require_two_factor ? t("members.org.savedRequired") : t("members.org.savedOptional");
    });
  }

  const changed = name !== data.name || twoFactor !== data.require_two_factor;
  return (
    <form className="card form" aria-labelledby="org-title" onSubmit={submit}>
      <h2 id="org-title">{t("members.org.title")}</h2>
      <Field label={t("members.org.name")} error={save.error} name="name">
        <input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} required />
      </Field>
      <label className="check">
        <input type="checkbox" checked={twoFactor} onChange={(e) => setTwoFactor(e.target.checked)} />
        {t("members.org.requireTwoFactor")}
      </label>
      <small className="muted block">{t("members.org.twoFactorHint")}</small>
      {!changed && <Notice message={save.done} />}
      <FormErrorBanner error={save.error} />
      <div className="form-actions">
        <button className="btn btn-primary" type="submit" disabled={save.busy || !changed}>
          {t("members.org.save")}
        </button>
      </div>
    </form>
  );
}

function MembersTable({ admin, meId, confirm }: { admin: boolean; meId: number; confirm: (p: Pending) => void }) {
  const { t } = useTranslation("org");
  const { t: common } = useTranslation();
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
        aria-label={t("members.list.roleOf", { name: m.display_name })}
        value={m.role}
        onChange={(e) => {
          const role = staffRole(e.target.value);
          void act(m, { memberId: m.id, role }, t("members.list.roleChanged", { name: m.display_name, role }));
        }}
      >
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {common(`role.${r}`)}
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
          label={t("members.reactivate.button")}
          confirm={confirm}
          pending={{
            title: t("members.reactivate.title", { name: m.display_name }),
            body: t("members.reactivate.body"),
            action: t("members.reactivate.action"),
            run: () => act(m, { memberId: m.id, active: true }, t("members.reactivate.done", { name: m.display_name })),
          }}
        />
      );
    }
    if (m.id === meId) return null;
    return (
      <ConfirmButton
        className="btn btn-danger-ghost"
        label={t("members.deactivate.button")}
        confirm={confirm}
        pending={{
          title: t("members.deactivate.title", { name: m.display_name }),
          body: t("members.deactivate.body"),
          action: t("members.deactivate.button"),
          run: () => act(m, { memberId: m.id, active: false }, t("members.deactivate.done", { name: m.display_name })),
        }}
      />
    );
  }

  const columns: Column<Member>[] = [
    {
      header: t("members.list.name"),
      cell: (m) => (
        <>
          <strong>{m.display_name}</strong>
          {m.id === meId && <span className="muted"> {t("members.list.you")}</span>}
        </>
      ),
    },
    { header: t("members.list.email"), cell: (m) => m.email, td: () => ({ className: "break" }) },
    {
      header: t("members.list.role"),
      cell: (m) => (admin && m.is_active ? roleSelect(m) : <span className={`role role-${m.role}`}>{common(`role.${m.role}`)}</span>),
    },
    {
      header: t("members.list.status"),
      cell: (m) => (
        <span className={`badge badge-${m.is_active ? "green" : "grey"}`}>{m.is_active ? t("members.list.active") : t("members.list.deactivated")}</span>
      ),
    },
    { header: t("members.list.twoFactor"), cell: (m) => (m.has_two_factor ? t("members.list.yes") : t("members.list.no")) },
    { header: t("members.list.lastLogin"), cell: (m) => (m.last_login ? dateTime(m.last_login) : t("members.list.never")) },
    ...(admin
      ? [
          {
            header: t("members.list.actions"),
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
    <PagedSection id="members" title={t("members.list.title")} notice={rows.notice} list={members} page={page} onPage={setPage}
      intro={!admin && <p className="muted">{t("members.list.adminsOnly")}</p>}
      table={{
        className: "members",
        rowKey: (m) => m.id,
        rowProps: (m) => ({ className: m.is_active ? "" : "revoked", "aria-label": t("members.list.row", { name: m.display_name }) }),
        columns,
        empty: <EmptyState title={t("members.list.empty")} />,
      }}
    />
  );
}

function InviteForm({ onInvited }: { onInvited: (inv: Invitation) => void }) {
  const { t } = useTranslation("org");
  const { t: common } = useTranslation();
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
      return t("members.invite.sent", { email: inv.email, until: dateTime(inv.expires_at) });
    });
  }

  return (
    <form className="card form" aria-labelledby="invite-title" onSubmit={submit}>
      <h2 id="invite-title">{t("members.invite.title")}</h2>
      <div className="row">
        <Field label={t("members.list.email")} className="grow" error={invite.error} name="email">
          <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required autoComplete="off" />
        </Field>
        <Field label={t("members.list.role")} error={invite.error} name="role">
          <select value={role} onChange={(e) => setRole(staffRole(e.target.value))}>
            <option value="reviewer">{common("role.reviewer")}</option>
            <option value="admin">{common("role.admin")}</option>
          </select>
        </Field>
      </div>
      <Notice message={invite.done} />
      <FormErrorBanner error={invite.error} />
      <div className="form-actions">
        <button className="btn btn-primary" type="submit" disabled={invite.busy}>
          {t("members.invite.send")}
        </button>
      </div>
    </form>
  );
}

function InvitationsTable({ confirm }: { confirm: (p: Pending) => void }) {
  const { t } = useTranslation("org");
  const { t: common } = useTranslation();
  const [page, setPage] = useState(1);
  const invitations = useInvitations(page, PAGE_SIZE);
  const resendInvitation = useResendInvitation();
  const revokeInvitation = useRevokeInvitation();
  const rows = useRowActions();

  function resend(inv: Invitation) {
    return rows.run(
      inv.id,
      async () => t("members.invitations.resent", { email: (await resendInvitation.mutateAsync(inv.id)).email }),
      (err) => resendError(err, inv, Date.now(), t),
    );
  }

  function revoke(inv: Invitation) {
    return rows.run(inv.id, async () => {
      await revokeInvitation.mutateAsync(inv.id);
      return t("members.invitations.revoked", { email: inv.email });
    });
  }

  const columns: Column<Invitation>[] = [
    { header: t("members.list.email"), cell: (inv) => inv.email, td: () => ({ className: "break" }) },
    { header: t("members.list.role"), cell: (inv) => <span className={`role role-${inv.role}`}>{common(`role.${inv.role}`)}</span> },
    {
      header: t("members.invitations.sent"),
      cell: (inv) => (
        <>
          {t("members.invitations.times", { count: inv.sent_count })}
          <small className="muted block">{t("members.invitations.last", { when: dateTime(inv.last_sent_at) })}</small>
        </>
      ),
    },
    {
      header: t("members.invitations.expires"),
      cell: (inv) => (inv.expired ? <span className="badge badge-grey">{t("members.invitations.expired")}</span> : dateTime(inv.expires_at)),
    },
    {
      header: t("members.list.actions"),
      hiddenHeader: true,
      td: () => ({ className: "actions" }),
      cell: (inv) => (
        <>
          <button
            className="btn"
            disabled={inv.resend_available_at === null}
            title={inv.resend_available_at === null ? t("members.invitations.maxSent") : undefined}
            onClick={() => void resend(inv)}
          >
            {t("members.invitations.resend")}
          </button>{" "}
          <ConfirmButton
            className="btn btn-danger-ghost"
            label={t("members.invitations.revoke")}
            confirm={confirm}
            pending={{
              title: t("members.invitations.revokeTitle", { email: inv.email }),
              body: t("members.invitations.revokeBody"),
              action: t("members.invitations.revoke"),
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
      <PagedSection id="invitations" title={t("members.invitations.title")} notice={rows.notice} list={invitations} page={page} onPage={setPage}
        table={{
          className: "invitations",
          rowKey: (inv) => inv.id,
          rowProps: (inv) => ({ "aria-label": t("members.invitations.row", { email: inv.email }) }),
          columns,
          empty: <p className="muted">{t("members.invitations.empty")}</p>,
        }}
      />
    </>
  );
}

export function MembersPage() {
  const { t } = useTranslation("org");
  const { user } = useAuth();
  const [pending, setPending] = useState<Pending | null>(null);
  if (!user) return null;
  const admin = user.role === "admin";
  return (
    <>
      <PageHeader
        title={t("members.title")}
        subtitle={admin ? t("members.subtitleAdmin") : t("members.subtitle")}
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
