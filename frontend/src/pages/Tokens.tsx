import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { CreatedToken, Token } from "../api/types";
import { useAuth } from "../auth";
import { DataTable, type Column } from "../components/DataTable";
import { Checkboxes, EmptyState, ErrorBanner, Field, FieldMessages, FormErrorBanner, Loading, PageHeader } from "../components/ui";
import { dateTime } from "../format";
import { useCreateToken } from "../features/tokens/api/create-token";
import { useTokens } from "../features/tokens/api/get-tokens";
import { useRevokeToken } from "../features/tokens/api/revoke-token";

type ScopeHelp = `tokens.scope.${"projectsRead" | "projectsWrite" | "exportRead"}`;

const SCOPE_HELP: Record<string, ScopeHelp> = {
  "projects:read": "tokens.scope.projectsRead",
  "projects:write": "tokens.scope.projectsWrite",
  "export:read": "tokens.scope.exportRead",
};

/** A token as the list shows it: its prefix, the secret left out. Code, the same in every language. */
const shownToken = (prefix: string) => `atl_${prefix}_…`;

/** How a script sends a token: code, the same in every language. */
const BEARER = "Authorization: Bearer <token>";

/** A new token starts with the narrowest useful scope checked: reading projects where the role may, else the
 * first scope it may grant. A token needs at least one. */
export function defaultScopes<S extends string>(allowed: readonly S[]): S[] {
  const read = allowed.find((s) => s === "projects:read");
  return read ? [read] : allowed.slice(0, 1);
}

export function TokensPage() {
  const { t } = useTranslation("freelancer");
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
  const scopeHelp = (scope: string) => {
    const help = SCOPE_HELP[scope];
    return help ? t(help) : undefined;
  };

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
    if (!window.confirm(t("tokens.confirmRevoke", { name: token.name }))) return;
    revokeToken.mutate(token.id);
  }

  const columns: Column<Token>[] = [
    { header: t("tokens.table.name"), cell: (token) => token.name },
    { header: t("tokens.table.token"), cell: (token) => <code>{shownToken(token.prefix)}</code> },
    { header: t("tokens.table.scopes"), cell: (token) => token.scopes.map((s) => <span className="chip" key={s}>{s}</span>) },
    { header: t("tokens.table.created"), cell: (token) => dateTime(token.created_at) },
    { header: t("tokens.table.lastUsed"), cell: (token) => dateTime(token.last_used_at) },
    { header: t("tokens.table.expires"), cell: (token) => (token.expires_at ? dateTime(token.expires_at) : t("tokens.never")) },
    {
      header: "",
      cell: (token) =>
        token.revoked_at ? (
          <span className="muted">{t("tokens.table.revoked", { when: dateTime(token.revoked_at) })}</span>
        ) : (
          <button className="btn btn-danger-ghost" onClick={() => revoke(token)}>{t("tokens.table.revoke")}</button>
        ),
    },
  ];

  return (
    <>
      <PageHeader title={t("tokens.title")} subtitle={t("tokens.subtitle", { header: BEARER })} />
      {created && (
        <div className="card secret" role="status">
          <strong>{t("tokens.created.copyNow")}</strong>
          <div className="secret-row">
            <code data-testid="new-token">{created.token}</code>
            <button
              className="btn"
              onClick={() => void Promise.resolve(navigator.clipboard?.writeText(created.token)).then(() => setCopied(true))}
            >
              {copied ? t("tokens.created.copied") : t("tokens.created.copy")}
            </button>
          </div>
        </div>
      )}
      <form className="card form" onSubmit={create}>
        <h2>{t("tokens.form.title")}</h2>
        <div className="row">
          <Field label={t("tokens.form.name")} className="grow" error={formError} name="name">
            <input value={name} onChange={(e) => setName(e.target.value)} placeholder={t("tokens.form.namePlaceholder")} />
          </Field>
          <Field label={t("tokens.form.expires")}>
            <select value={expires} onChange={(e) => setExpires(e.target.value)}>
              <option value="30">{t("tokens.form.inDays", { count: 30 })}</option>
              <option value="90">{t("tokens.form.inDays", { count: 90 })}</option>
              <option value="365">{t("tokens.form.inAYear")}</option>
              <option value="never">{t("tokens.never")}</option>
            </select>
          </Field>
        </div>
        <fieldset className="field" aria-describedby="scopes-hint">
          <legend>{t("tokens.form.scopes")}</legend>
          <small id="scopes-hint" className="muted">
            {t("tokens.form.scopesHint")}
          </small>
          <Checkboxes
            options={allowed}
            value={scopes}
            onChange={setScopes}
            label={(s) => (
              <>
                <code>{s}</code> <span className="muted">{scopeHelp(s)}</span>
              </>
            )}
          />
          {scopes.length === 0 ? (
            <small className="error">{t("tokens.form.scopesNeeded")}</small>
          ) : (
            <FieldMessages error={formError} name="scopes" />
          )}
        </fieldset>
        <FormErrorBanner error={formError} />
        <div className="form-actions">
          <button className="btn btn-primary" type="submit" disabled={scopes.length === 0}>
            {t("tokens.form.create")}
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
          empty={<EmptyState title={t("tokens.empty.title")} icon="◇">{t("tokens.empty.body")}</EmptyState>}
        />
      )}
    </>
  );
}
