import { useState, type FormEvent } from "react";
import type { CreatedToken, Token } from "../api/types";
import { useAuth } from "../auth";
import { DataTable, type Column } from "../components/DataTable";
import { Checkboxes, EmptyState, ErrorBanner, Field, FieldMessages, FormErrorBanner, Loading, PageHeader } from "../components/ui";
import { dateTime } from "../format";
import { useCreateToken } from "../features/tokens/api/create-token";
import { useTokens } from "../features/tokens/api/get-tokens";
import { useRevokeToken } from "../features/tokens/api/revoke-token";

const SCOPE_HELP: Record<string, string> = {
  "projects:read": "Read projects and their items",
  "projects:write": "Create and change projects, upload assets",
  "export:read": "Pull dataset versions and exports",
};

/** A new token starts with the narrowest useful scope checked: reading projects where the role may, else the
 * first scope it may grant. A token needs at least one. */
export function defaultScopes<S extends string>(allowed: readonly S[]): S[] {
  const read = allowed.find((s) => s === "projects:read");
  return read ? [read] : allowed.slice(0, 1);
}

export function TokensPage() {
  const { user } = useAuth();
  const { data, error, isFetching: loading } = useTokens();
  const createToken = useCreateToken();
  const revokeToken = useRevokeToken();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState(() => defaultScopes(user?.allowed_token_scopes ?? []));
  const [expires, setExpires] = useState("90");
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [copied, setCopied] = useState(false);
  const allowed = user?.allowed_token_scopes ?? [];

  const formError = createToken.error;

  function create(event: FormEvent) {
    event.preventDefault();
    setCopied(false);
    createToken.mutate(
      { name, scopes, expires_in_days: expires === "never" ? null : Number(expires) },
      {
        onSuccess: (token) => {
          setCreated(token);
          setName("");
          setScopes(defaultScopes(allowed));
        },
      },
    );
  }

  function revoke(token: Token) {
    if (!window.confirm(`Revoke “${token.name}”? Scripts using it stop working at once.`)) return;
    revokeToken.mutate(token.id);
  }

  const columns: Column<Token>[] = [
    { header: "Name", cell: (t) => t.name },
    { header: "Token", cell: (t) => <code>atl_{t.prefix}_…</code> },
    { header: "Scopes", cell: (t) => t.scopes.map((s) => <span className="chip" key={s}>{s}</span>) },
    { header: "Created", cell: (t) => dateTime(t.created_at) },
    { header: "Last used", cell: (t) => dateTime(t.last_used_at) },
    { header: "Expires", cell: (t) => (t.expires_at ? dateTime(t.expires_at) : "never") },
    {
      header: "",
      cell: (t) =>
        t.revoked_at ? (
          <span className="muted">revoked {dateTime(t.revoked_at)}</span>
        ) : (
          <button className="btn btn-danger-ghost" onClick={() => revoke(t)}>Revoke</button>
        ),
    },
  ];

  return (
    <>
      <PageHeader title="API tokens" subtitle="Personal tokens for scripts and pipelines: send them as Authorization: Bearer <token>." />
      {created && (
        <div className="card secret" role="status">
          <strong>Copy your new token now: it will not be shown again.</strong>
          <div className="secret-row">
            <code data-testid="new-token">{created.token}</code>
            <button
              className="btn"
              onClick={() => void Promise.resolve(navigator.clipboard?.writeText(created.token)).then(() => setCopied(true))}
            >
              {copied ? "Copied" : "Copy"}
            </button>
          </div>
        </div>
      )}
      <form className="card form" onSubmit={create}>
        <h2>New token</h2>
        <div className="row">
          <Field label="Name" className="grow" error={formError} name="name">
            <input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. nightly export" />
          </Field>
          <Field label="Expires">
            <select value={expires} onChange={(e) => setExpires(e.target.value)}>
              <option value="30">in 30 days</option>
              <option value="90">in 90 days</option>
              <option value="365">in a year</option>
              <option value="never">never</option>
            </select>
          </Field>
        </div>
        <fieldset className="field" aria-describedby="scopes-hint">
          <legend>Scopes</legend>
          <small id="scopes-hint" className="muted">
            Choose at least one: what the token may do. Give it only what the script needs.
          </small>
          <Checkboxes
            options={allowed}
            value={scopes}
            onChange={setScopes}
            label={(s) => (
              <>
                <code>{s}</code> <span className="muted">{SCOPE_HELP[s]}</span>
              </>
            )}
          />
          {scopes.length === 0 ? (
            <small className="error">Choose at least one scope.</small>
          ) : (
            <FieldMessages error={formError} name="scopes" />
          )}
        </fieldset>
        <FormErrorBanner error={formError} />
        <div className="form-actions">
          <button className="btn btn-primary" type="submit" disabled={scopes.length === 0}>
            Create token
          </button>
        </div>
      </form>
      <ErrorBanner error={error} />
      {loading && <Loading />}
      {data && (
        <DataTable
          className="card"
          rows={data.results}
          rowKey={(t) => t.id}
          rowProps={(t) => ({ className: t.revoked_at ? "revoked" : "" })}
          columns={columns}
          empty={<EmptyState title="No tokens yet" icon="◇">Create one above for a script or pipeline.</EmptyState>}
        />
      )}
    </>
  );
}
