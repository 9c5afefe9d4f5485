import { LanguageSwitch } from "../../components/LanguageSwitch";
import { useEffect, useState, type ComponentProps, type InputHTMLAttributes, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { BrandMark, useFocusOnArrival } from "../../components/ui";
import { AllauthError, errorSummary, getConfig, MIN_PASSWORD_LENGTH, passwordStrength, type Config } from "./allauth";

/** The centred card the signed-out pages share (login, sign-up, codes, resets). */
export function AuthCard({ title, subtitle, children, wide }: { title: string; subtitle?: ReactNode; children: ReactNode; wide?: boolean }) {
  const { t } = useTranslation("account");
  useFocusOnArrival();
  return (
    <div className="login-page">
      <main className={`login-card${wide ? " login-card-wide" : ""}`}>
        <Link to="/" className="brand brand-large" aria-label={t("card.home")}>
          <BrandMark />
        </Link>
        <h1 className="auth-title">{title}</h1>
        {subtitle && <p className="muted auth-subtitle">{subtitle}</p>}
        {children}
        <LanguageSwitch className="auth-language" />
      </main>
    </div>
  );
}

/** A signed-out step (a code, a second factor) that can no longer be completed: why, and the way back. */
export function StepExpired({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation("account");
  return (
    <AuthCard title={title}>
      <div className="banner banner-warn" role="alert">
        {children}
      </div>
      <Link className="btn btn-primary btn-block" to="/login">
        {t("backToLogin")}
      </Link>
    </AuthCard>
  );
}

/** The messages allauth gave for one field, tied to the input by id (aria-describedby). */
export function FieldErrors({ error, param, id }: { error: AllauthError | null; param: string; id?: string }) {
  const messages = error?.forField(param) ?? [];
  if (messages.length === 0) return null;
  return (
    <small className="error" id={id} role="alert">
      {messages.join(" ")}
    </small>
  );
}

/** What belongs to no field on the form: a wrong login, a rate limit, a lost connection. */
export function FormError({ error, fields = [], rateLimit }: { error: AllauthError | null; fields?: string[]; rateLimit?: string }) {
  if (!error) return null;
  if (error.rateLimited) {
    return (
      <div className="banner banner-warn" role="alert">
        {rateLimit ?? errorSummary(429)}
      </div>
    );
  }
  const messages = error.general(fields);
  if (messages.length === 0) return null;
  return (
    <div className="banner banner-error" role="alert">
      {messages.join(" ")}
    </div>
  );
}

export function asAllauthError(err: unknown): AllauthError {
  return err instanceof AllauthError ? err : new AllauthError(0, [], err instanceof Error ? err.message : String(err));
}

let configCache: Promise<Config> | null = null;

/** allauth's configuration (is sign-up open, which 2FA types): asked once a page load. */
export function useAllauthConfig() {
  const [config, setConfig] = useState<Config | null>(null);
  const [error, setError] = useState<AllauthError | null>(null);
  useEffect(() => {
    let live = true;
    configCache ??= getConfig();
    configCache.then(
      (c) => live && setConfig(c),
      (e: unknown) => {
        configCache = null;
        if (live) setError(asAllauthError(e));
      },
    );
    return () => {
      live = false;
    };
  }, []);
  return { config, error };
}

/** Where the last verification code went, kept for the verify page across a reload of the tab. */
const CODE_SENT_TO = "atelier.code_sent_to";
export const rememberCodeSentTo = (email: string | null) => {
  try {
    if (email) sessionStorage.setItem(CODE_SENT_TO, email);
    else sessionStorage.removeItem(CODE_SENT_TO);
  } catch {
    /* storage off: the page says "your address" instead */
  }
};
export const codeSentTo = (): string | null => {
  try {
    return sessionStorage.getItem(CODE_SENT_TO);
  } catch {
    return null;
  }
};

/** A password input with a show/hide toggle. */
export function PasswordInput({
  id,
  name,
  value,
  onChange,
  autoComplete,
  describedBy,
  invalid,
  autoFocus,
}: {
  id: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  autoComplete: string;
  describedBy?: string;
  invalid?: boolean;
  autoFocus?: boolean;
}) {
  const { t } = useTranslation("account");
  const [shown, setShown] = useState(false);
  return (
    <div className="password-row">
      <input
        id={id}
        name={name}
        type={shown ? "text" : "password"}
        autoComplete={autoComplete}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={describedBy}
        aria-invalid={invalid || undefined}
        autoFocus={autoFocus}
        required
      />
      <button type="button" className="btn btn-ghost password-toggle" aria-pressed={shown} aria-controls={id} onClick={() => setShown((v) => !v)}>
        {shown ? t("password.hide") : t("password.show")}
      </button>
    </div>
  );
}

export function PasswordStrength({ password, id }: { password: string; id: string }) {
  const { t } = useTranslation("account");
  const { score, label } = passwordStrength(password);
  return (
    <div className="strength" id={id} aria-live="polite">
      <div className={`strength-bar strength-${score}`} aria-hidden="true">
        <span />
        <span />
        <span />
        <span />
      </div>
      <small className="muted">
        {label ? t("strength.labelled", { label: t(label) }) : ""}
        {t("strength.hint", { min: MIN_PASSWORD_LENGTH })}
      </small>
    </div>
  );
}

/** True when allauth gave messages for the field, for the input's aria-invalid. */
export function invalidFor(error: AllauthError | null, ...params: string[]): true | undefined {
  return params.some((param) => (error?.forField(param).length ?? 0) > 0) || undefined;
}

/** A labelled password field with allauth's errors for `param` under it (`#<id>-error`). `kind`: the password one has,
 * a new one (with the strength meter as its hint, `#<id>-hint`), or the new one again. `aside` stands beside the label
 * (a "forgot your password?" link). */
export function PasswordField({
  id,
  label,
  name,
  kind,
  value,
  onChange,
  error,
  param = name,
  autoFocus,
  aside,
}: {
  id: string;
  label: string;
  name: string;
  kind: "current" | "new" | "repeat";
  value: string;
  onChange: (value: string) => void;
  error: AllauthError | null;
  param?: string;
  autoFocus?: boolean;
  aside?: ReactNode;
}) {
  const strength = kind === "new";
  const labelled = <label htmlFor={id}>{label}</label>;
  return (
    <div className="field">
      {aside ? (
        <div className="label-row">
          {labelled}
          {aside}
        </div>
      ) : (
        labelled
      )}
      <PasswordInput
        id={id}
        name={name}
        autoComplete={kind === "current" ? "current-password" : "new-password"}
        autoFocus={autoFocus}
        value={value}
        onChange={onChange}
        describedBy={strength ? `${id}-hint ${id}-error` : `${id}-error`}
        invalid={invalidFor(error, param)}
      />
      {strength && <PasswordStrength password={value} id={`${id}-hint`} />}
      <FieldErrors error={error} param={param} id={`${id}-error`} />
    </div>
  );
}

/** A labelled input of the signed-out and account forms, with allauth's errors under it: those for `param` (or for
 * each of several, the first tied to the input as `#<id>-error`). Other attributes go to the input. */
export function AuthField({
  id,
  label,
  onChange,
  error,
  param,
  grow = false,
  ...input
}: {
  id: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  error: AllauthError | null;
  param: string | string[];
  grow?: boolean;
} & Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "value" | "onChange">) {
  const params = typeof param === "string" ? [param] : param;
  return (
    <div className={grow ? "field grow" : "field"}>
      <label htmlFor={id}>{label}</label>
      <input id={id} {...input} onChange={(e) => onChange(e.target.value)} aria-describedby={`${id}-error`} aria-invalid={invalidFor(error, ...params)} />
      {params.map((p, i) => (
        <FieldErrors key={p} error={error} param={p} id={i === 0 ? `${id}-error` : undefined} />
      ))}
    </div>
  );
}

/** A one-time code's field (from a mail or an authenticator app). */
export function CodeField(props: ComponentProps<typeof AuthField> & { param: string }) {
  return <AuthField className="code-input" autoComplete="one-time-code" {...props} />;
}

/** The email field of the sign-up and reset forms: labelled, with allauth's errors for `email` under it. */
export function EmailField({ id, value, onChange, error }: { id: string; value: string; onChange: (v: string) => void; error: AllauthError | null }) {
  const { t } = useTranslation("account");
  return <AuthField id={id} label={t("email.label")} name="email" type="email" autoComplete="email" autoFocus required value={value} onChange={onChange} error={error} param="email" />;
}
