import { LanguageSwitch } from "../../components/LanguageSwitch";
import { useCallback, useEffect, useRef, useState, type FormEvent, type Key, type LiHTMLAttributes, type ReactNode } from "react";
import { Trans, useTranslation } from "react-i18next";
import { useLocation } from "react-router";
import { needsTwoFactor, useAuth } from "../../auth";
import { Loading, Notice, PageHeader } from "../../components/ui";
import { count, dateTime } from "../../format";
import { i18n } from "../../i18n";
import { useSubmission } from "../../hooks";
import * as allauth from "./allauth";
import { asAllauthError, AuthField, CodeField, FieldErrors, FormError, PasswordField, PasswordInput } from "./ui";

const when = (seconds: number | null | undefined) => (seconds ? dateTime(new Date(seconds * 1000).toISOString()) : "—");

/** "Chrome on Linux" from a user agent string: enough to tell one's own devices apart. */
export function deviceName(userAgent: string): string {
  const ua = userAgent || "";
  const browser =
    /Edg\//.test(ua) ? "Edge" : /Firefox\//.test(ua) ? "Firefox" : /Chrom(e|ium)\//.test(ua) ? "Chrome" : /Safari\//.test(ua) ? "Safari" : null;
  const os = /Android/.test(ua)
    ? "Android"
    : /iPhone|iPad|iPod/.test(ua)
      ? "iOS"
      : /Windows/.test(ua)
        ? "Windows"
        : /Mac OS X|Macintosh/.test(ua)
          ? "macOS"
          : /Linux|X11/.test(ua)
            ? "Linux"
            : null;
  if (browser && os) return i18n.t("sessions.device", { ns: "account", browser, os });
  return browser ?? os ?? (ua ? ua.slice(0, 60) : i18n.t("sessions.unknownDevice", { ns: "account" }));
}

/** Some changes need the password (or a 2FA code) again when the login is not recent: `guard` runs an action and,
 * if allauth asks for that, shows a prompt and runs the action again once confirmed. */
function useReauth(hasTwoFactor: boolean) {
  const [retry, setRetry] = useState<(() => Promise<void>) | null>(null);
  const guard = useCallback(async (action: () => Promise<void>) => {
    try {
      await action();
    } catch (err) {
      if (err instanceof allauth.AllauthError && err.reauthenticationRequired) {
        setRetry(() => action);
        return;
      }
      throw err;
    }
  }, []);
  const prompt = retry ? (
    <ReauthPrompt
      hasTwoFactor={hasTwoFactor}
      onDone={async () => {
        const again = retry;
        setRetry(null);
        await again();
      }}
      onCancel={() => setRetry(null)}
    />
  ) : null;
  return { guard, prompt };
}

export function ReauthPrompt({ hasTwoFactor, onDone, onCancel }: { hasTwoFactor: boolean; onDone: () => Promise<void>; onCancel: () => void }) {
  const { t } = useTranslation("account");
  const [secret, setSecret] = useState("");
  const [useCode, setUseCode] = useState(false);
  const [error, setError] = useState<allauth.AllauthError | null>(null);
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal?.();
  }, []);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      await (useCode ? allauth.mfaReauthenticate(secret) : allauth.reauthenticate(secret));
      await onDone();
    } catch (err) {
      setError(asAllauthError(err));
    }
  }
  return (
    <dialog ref={ref} className="dialog reauth" aria-labelledby="reauth-title" onCancel={onCancel}>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <h2 id="reauth-title">{t("reauth.title")}</h2>
        <p className="muted">{useCode ? t("reauth.needsCode") : t("reauth.needsPassword")}</p>
        <div className="field">
          <label htmlFor="reauth-secret">{useCode ? t("mfa.code") : t("login.password")}</label>
          {useCode ? (
            <input id="reauth-secret" className="code-input" inputMode="numeric" autoComplete="one-time-code" value={secret} onChange={(e) => setSecret(e.target.value)} autoFocus />
          ) : (
            <PasswordInput id="reauth-secret" name="reauth-password" autoComplete="current-password" value={secret} onChange={setSecret} autoFocus />
          )}
          <FieldErrors error={error} param={useCode ? "code" : "password"} />
        </div>
        <FormError error={error} fields={["code", "password"]} />
        <div className="form-actions">
          <button className="btn btn-primary" type="submit" disabled={!secret}>
            {t("reauth.confirm")}
          </button>
          <button className="btn" type="button" onClick={onCancel}>
            {t("cancel")}
          </button>
          {hasTwoFactor && (
            <button type="button" className="linkish" onClick={() => { setUseCode((v) => !v); setSecret(""); }}>
              {useCode ? t("reauth.usePassword") : t("reauth.useCode")}
            </button>
          )}
        </div>
      </form>
    </dialog>
  );
}

function Section({ id, title, subtitle, children }: { id: string; title: string; subtitle?: ReactNode; children: ReactNode }) {
  return (
    <section className="card account-section" id={id} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {subtitle && <p className="muted section-subtitle">{subtitle}</p>}
      {children}
    </section>
  );
}

/** A list the section loads when it mounts, and again through `load`; a failure to load goes to `onError`. */
function useSectionList<T>(fetchList: () => Promise<T>, onError: (error: allauth.AllauthError) => void) {
  const [list, setList] = useState<T | null>(null);
  const load = useCallback(async () => {
    try {
      setList(await fetchList());
    } catch (err) {
      onError(asAllauthError(err));
    }
  }, [fetchList, onError]);
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the section loads its list when it mounts
    void load();
  }, [load]);
  return { list, setList, load };
}

type Guard = (action: () => Promise<void>) => Promise<void>;

/** A section's list (addresses, sessions): a spinner until it has loaded (unless loading failed), then an entry per
 * item with its details and, where there are any, the actions on it. */
function AccountList<T>({
  items,
  failed,
  className,
  itemKey,
  itemProps,
  main,
  actions,
}: {
  items: T[] | null;
  failed: boolean;
  className: string;
  itemKey: (item: T) => Key;
  itemProps?: (item: T) => LiHTMLAttributes<HTMLLIElement> & { "data-testid"?: string };
  main: (item: T) => ReactNode;
  actions: (item: T) => ReactNode;
}) {
  if (!items) return failed ? null : <Loading />;
  return (
    <ul className={className}>
      {items.map((item) => {
        const acts = actions(item);
        return (
          <li key={itemKey(item)} {...itemProps?.(item)}>
            <div className="account-list-main">{main(item)}</div>
            {acts !== null && <div className="account-list-actions">{acts}</div>}
          </li>
        );
      })}
    </ul>
  );
}

// --- Password --------------------------------------------------------------------------------------------------
function PasswordSection({ guard }: { guard: Guard }) {
  const { t } = useTranslation("account");
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const { busy, error, done, setDone, run } = useSubmission(asAllauthError);
  function submit(event: FormEvent) {
    event.preventDefault();
    void run(() =>
      guard(async () => {
        await allauth.changePassword(current, next);
        setCurrent("");
        setNext("");
        setDone(t("changePassword.done"));
      }),
    );
  }
  return (
    <Section id="password" title={t("login.password")}>
      <form className="form narrow" onSubmit={submit} noValidate>
        <PasswordField id="current-password" label={t("changePassword.current")} name="current_password" kind="current" value={current} onChange={setCurrent} error={error} />
        <PasswordField id="change-new-password" label={t("password.new")} name="new_password" kind="new" value={next} onChange={setNext} error={error} />
        <FormError error={error} fields={["current_password", "new_password"]} />
        <Notice message={done} />
        <div className="form-actions">
          <button className="btn btn-primary" type="submit" disabled={busy || !current || !next}>
            {busy ? t("saving") : t("changePassword.submit")}
          </button>
        </div>
      </form>
    </Section>
  );
}

// --- Email addresses -------------------------------------------------------------------------------------------
function EmailSection({ guard }: { guard: Guard }) {
  const { t } = useTranslation("account");
  const { refresh } = useAuth();
  const [adding, setAdding] = useState("");
  const [codeFor, setCodeFor] = useState<string | null>(null);
  const [code, setCode] = useState("");
  const { error, setError, done, setDone, run } = useSubmission(asAllauthError);
  const { list: emails, setList: setEmails, load } = useSectionList(allauth.listEmails, setError);

  function act(action: () => Promise<void>, message: string) {
    return run(() =>
      guard(async () => {
        await action();
        setDone(message);
      }),
    );
  }

  async function add(event: FormEvent) {
    event.preventDefault();
    const email = adding.trim();
    await act(async () => {
      setEmails(await allauth.addEmail(email));
      setAdding("");
      setCodeFor(email);
    }, t("emails.added", { email }));
  }

  async function verify(event: FormEvent) {
    event.preventDefault();
    const changed = codeFor;
    await act(async () => {
      await allauth.verifyEmail(code);
      setCode("");
      setCodeFor(null);
      await load();
      await refresh();
    }, t("emails.changed", { email: changed }));
  }

  return (
    <Section id="email" title={t("emails.title")} subtitle={t("emails.subtitle")}>
      <AccountList items={emails} failed={error !== null} className="account-list" itemKey={(e) => e.email}
        main={(e) => (
          <>
            <strong className="break">{e.email}</strong>{" "}
            {e.primary && <span className="badge badge-blue">{t("emails.primary")}</span>}{" "}
            {e.verified ? <span className="badge badge-green">{t("emails.verified")}</span> : <span className="badge badge-amber">{t("emails.unverified")}</span>}
          </>
        )}
        actions={(e) => (
          <>
            {!e.verified && (
              <button
                className="btn btn-ghost"
                onClick={() =>
                  void act(async () => {
                    await allauth.resendEmailVerification(e.email);
                    setCodeFor(e.email);
                  }, t("emails.codeSent", { email: e.email }))
                }
              >
                {t("code.verify")}
              </button>
            )}
            {!e.primary && e.verified && (
              <button className="btn btn-ghost" onClick={() => void act(async () => setEmails(await allauth.makePrimaryEmail(e.email)), t("emails.primaryDone", { email: e.email }))}>
                {t("emails.makePrimary")}
              </button>
            )}
            {!e.primary && (
              <button
                className="btn btn-danger-ghost"
                aria-label={t("emails.removeLabel", { email: e.email })}
                onClick={() => {
                  if (window.confirm(t("emails.removeConfirm", { email: e.email })))
                    void act(async () => setEmails(await allauth.removeEmail(e.email)), t("emails.removed", { email: e.email }));
                }}
              >
                {t("emails.remove")}
              </button>
            )}
          </>
        )}
      />
      <Notice message={done} />
      {codeFor && (
        <form className="row inline-form" onSubmit={(event) => void verify(event)} noValidate>
          <CodeField grow id="email-code" label={t("emails.codeLabel", { email: codeFor })} value={code} onChange={setCode} error={error} param="key" />
          <button className="btn btn-primary" type="submit" disabled={!code.trim()}>
            {t("emails.verifyAddress")}
          </button>
        </form>
      )}
      <form className="row inline-form" onSubmit={(event) => void add(event)} noValidate>
        <AuthField grow id="add-email" label={t("emails.new")} type="email" autoComplete="email" value={adding} onChange={setAdding} error={error} param="email" />
        <button className="btn" type="submit" disabled={!adding.trim()}>
          {t("emails.change")}
        </button>
      </form>
      <FormError error={error} fields={["email", "key"]} />
    </Section>
  );
}

// --- Sessions --------------------------------------------------------------------------------------------------
function SessionsSection() {
  const { t } = useTranslation("account");
  const { error, setError, done, run } = useSubmission(asAllauthError);
  const { list: sessions, load } = useSectionList(allauth.listSessions, setError);

  function end(ids: number[], message: string) {
    return run(async () => {
      // allauth answers the sessions left; ask again so the list is the server's, whatever the answer carries.
      await allauth.endSessions(ids);
      await load();
      return message;
    });
  }

  const others = sessions?.filter((s) => !s.is_current) ?? [];
  return (
    <Section id="sessions" title={t("sessions.title")} subtitle={t("sessions.subtitle")}>
      <AccountList items={sessions} failed={error !== null} className="account-list sessions" itemKey={(s) => s.id}
        itemProps={(s) => ({ className: s.is_current ? "current" : "", "data-testid": "session" })}
        main={(s) => (
          <>
            <strong>{deviceName(s.user_agent)}</strong> {s.is_current && <span className="badge badge-green">{t("sessions.thisDevice")}</span>}
            <div className="muted small">
              {t("sessions.signedIn", { ip: s.ip || t("sessions.unknownAddress"), when: when(s.created_at) })}
              {s.last_seen_at ? t("sessions.lastSeen", { when: when(s.last_seen_at) }) : ""}
            </div>
          </>
        )}
        actions={(s) =>
          s.is_current ? null : (
            <button className="btn btn-ghost" aria-label={t("sessions.signOutLabel", { device: deviceName(s.user_agent), ip: s.ip })} onClick={() => void end([s.id], t("sessions.signedOut"))}>
              {t("sessions.signOut")}
            </button>
          )
        }
      />
      <Notice message={done} />
      <FormError error={error} />
      <div className="form-actions">
        <button className="btn" disabled={others.length === 0} onClick={() => void end(others.map((s) => s.id), t("sessions.othersSignedOut"))}>
          {t("sessions.signOutOthers")}
        </button>
      </div>
    </Section>
  );
}

// --- Two-factor ------------------------------------------------------------------------------------------------
function RecoveryCodes({ codes }: { codes: string[] }) {
  const { t } = useTranslation("account");
  const [copied, setCopied] = useState(false);
  return (
    <div className="card secret recovery" role="status">
      <Trans t={t} i18nKey="recovery.keep" components={{ b: <strong /> }} />
      <ol className="recovery-codes" data-testid="recovery-codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ol>
      <button
        className="btn"
        onClick={() => void Promise.resolve(navigator.clipboard?.writeText(codes.join("\n"))).then(() => setCopied(true))}
      >
        {copied ? t("recovery.copied") : t("recovery.copy")}
      </button>
    </div>
  );
}

/** A button running one of the section's actions through `act` (none while another runs), after `confirm` is
 * confirmed if given. */
function ActionButton({
  className,
  busy,
  act,
  confirm,
  action,
  children,
}: {
  className: string;
  busy: boolean;
  act: Guard;
  confirm?: string;
  action: () => Promise<void>;
  children: ReactNode;
}) {
  return (
    <button
      className={className}
      disabled={busy}
      onClick={() => {
        if (!confirm || window.confirm(confirm)) void act(action);
      }}
    >
      {children}
    </button>
  );
}

function TwoFactorSection({ guard, onChange }: { guard: Guard; onChange: () => Promise<void> }) {
  const { t } = useTranslation("account");
  const [setup, setSetup] = useState<allauth.TotpSetup | null>(null);
  const [code, setCode] = useState("");
  const [codes, setCodes] = useState<string[] | null>(null);
  const { busy, error, setError, done, setDone, run } = useSubmission(asAllauthError);
  const { list: authenticators, load } = useSectionList(allauth.listAuthenticators, setError);

  const act = (action: () => Promise<void>) => run(() => guard(action));
  const buttons = { busy, act };

  const totp = authenticators?.find((a) => a.type === "totp") ?? null;
  const recovery = authenticators?.find((a) => a.type === "recovery_codes") ?? null;

  return (
    <Section id="two-factor" title={t("mfa.title")} subtitle={t("twoFactor.subtitle")}>
      {!authenticators && !error && <Loading />}
      {authenticators && !totp && !setup && (
        <div className="form-actions">
          <span className="badge badge-grey">{t("twoFactor.off")}</span>
          <ActionButton
            {...buttons}
            className="btn btn-primary"
            action={async () => {
              const answer = await allauth.getTotp();
              if ("setup" in answer) setSetup(answer.setup);
              else await load();
            }}
          >
            {t("twoFactor.setUp")}
          </ActionButton>
        </div>
      )}
      {setup && !totp && (
        <div className="totp-setup">
          <ol className="steps">
            <li>{t("twoFactor.step.scan")}</li>
            <li>{t("twoFactor.step.type")}</li>
            <li>{t("twoFactor.step.enter")}</li>
          </ol>
          <div className="totp-grid">
            <img className="qr" src={`/api/v1/me/totp-qr?uri=${encodeURIComponent(setup.totp_url)}`} alt={t("twoFactor.qr")} width={200} height={200} />
            <div>
              <div className="field">
                <span id="totp-secret-label">{t("twoFactor.key")}</span>
                <code className="totp-secret" aria-labelledby="totp-secret-label" data-testid="totp-secret">
                  {setup.secret}
                </code>
              </div>
              <form
                onSubmit={(event) => {
                  event.preventDefault();
                  void act(async () => {
                    await allauth.activateTotp(code);
                    setSetup(null);
                    setCode("");
                    await load();
                    const rc = await allauth.getRecoveryCodes();
                    if (rc?.unused_codes) setCodes(rc.unused_codes);
                    setDone(t("twoFactor.onDone"));
                    await onChange();
                  });
                }}
                noValidate
              >
                <CodeField id="totp-code" label={t("twoFactor.code")} name="code" inputMode="numeric" value={code} onChange={setCode} error={error} param="code" />
                <div className="form-actions">
                  <button className="btn btn-primary" type="submit" disabled={busy || !code.trim()}>
                    {t("twoFactor.turnOn")}
                  </button>
                  <button className="btn" type="button" onClick={() => setSetup(null)}>
                    {t("cancel")}
                  </button>
                </div>
              </form>
            </div>
          </div>
        </div>
      )}
      {totp && (
        <>
          <p>
            <span className="badge badge-green">{t("twoFactor.on")}</span>{" "}
            {totp.last_used_at
              ? t("twoFactor.addedUsed", { added: when(totp.created_at), used: when(totp.last_used_at) })
              : t("twoFactor.added", { added: when(totp.created_at) })}
          </p>
          <h3>{t("recovery.title")}</h3>
          <p className="muted">
            {recovery
              ? t("recovery.unused", { unused: count(recovery.unused_code_count ?? 0), total: count(recovery.total_code_count ?? 0) })
              : t("recovery.none")}{" "}
            {t("recovery.use")}
          </p>
          <div className="form-actions wrap">
            {recovery && (
              <ActionButton
                {...buttons}
                className="btn"
                action={async () => {
                  const rc = await allauth.getRecoveryCodes();
                  setCodes(rc?.unused_codes ?? []);
                }}
              >
                {t("recovery.show")}
              </ActionButton>
            )}
            <ActionButton
              {...buttons}
              className="btn"
              confirm={recovery ? t("recovery.regenerateConfirm") : undefined}
              action={async () => {
                const rc = await allauth.regenerateRecoveryCodes();
                setCodes(rc.unused_codes ?? []);
                await load();
                setDone(t("recovery.regenerated"));
              }}
            >
              {t("recovery.regenerate")}
            </ActionButton>
            <ActionButton
              {...buttons}
              className="btn btn-danger-ghost"
              confirm={t("twoFactor.offConfirm")}
              action={async () => {
                await allauth.deactivateTotp();
                setCodes(null);
                await load();
                setDone(t("twoFactor.offDone"));
                await onChange();
              }}
            >
              {t("twoFactor.turnOff")}
            </ActionButton>
          </div>
        </>
      )}
      {codes && <RecoveryCodes codes={codes} />}
      <Notice message={done} />
      <FormError error={error} fields={["code"]} />
    </Section>
  );
}

export function AccountSettingsPage() {
  const { t } = useTranslation("account");
  const { user, refresh, chooseLanguage } = useAuth();
  const { hash } = useLocation();
  const [hasTwoFactor, setHasTwoFactor] = useState(false);
  const { guard, prompt } = useReauth(hasTwoFactor);
  useEffect(() => {
    allauth.listAuthenticators().then(
      (list) => setHasTwoFactor(list.some((a) => a.type === "totp")),
      () => undefined,
    );
  }, []);
  useEffect(() => {
    if (hash) document.getElementById(hash.slice(1))?.scrollIntoView({ block: "start" });
  }, [hash]);

  return (
    <>
      <PageHeader
        title={t("settings.title")}
        subtitle={user ? <Trans t={t} i18nKey="settings.signedInAs" values={{ username: user.username }} components={{ b: <strong /> }} /> : undefined}
      />
      {needsTwoFactor(user) && (
        <div className="banner banner-warn" role="alert">
          <Trans t={t} i18nKey="settings.twoFactorRequired" components={{ b: <strong /> }} />
        </div>
      )}
      <nav className="account-nav" aria-label={t("settings.sections")}>
        <a href="#password">{t("settings.nav.password")}</a>
        <a href="#email">{t("settings.nav.email")}</a>
        <a href="#sessions">{t("settings.nav.sessions")}</a>
        <a href="#two-factor">{t("settings.nav.twoFactor")}</a>
        <a href="#language">{t("settings.nav.language")}</a>
      </nav>
      <PasswordSection guard={guard} />
      <EmailSection guard={guard} />
      <SessionsSection />
      <TwoFactorSection
        guard={guard}
        onChange={async () => {
          const list = await allauth.listAuthenticators();
          setHasTwoFactor(list.some((a) => a.type === "totp"));
          await refresh();
        }}
      />
      <Section id="language" title={t("settings.language.title")} subtitle={t("settings.language.subtitle")}>
        <LanguageSwitch onChosen={chooseLanguage} />
      </Section>
      {prompt}
    </>
  );
}
