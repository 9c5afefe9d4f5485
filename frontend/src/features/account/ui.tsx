import { useEffect, useState, type ReactNode } from "react";
import { Link } from "react-router";
import { BrandMark } from "../../components/ui";
import { AllauthError, errorSummary, getConfig, type Config } from "./allauth";

/** The centred card the signed-out pages share (login, sign-up, codes, resets). */
export function AuthCard({ title, subtitle, children, wide }: { title: string; subtitle?: ReactNode; children: ReactNode; wide?: boolean }) {
  return (
    <div className="login-page">
      <main className={`login-card${wide ? " login-card-wide" : ""}`}>
        <Link to="/" className="brand brand-large" aria-label="Atelier home">
          <BrandMark />
        </Link>
        <h1 className="auth-title">{title}</h1>
        {subtitle && <p className="muted auth-subtitle">{subtitle}</p>}
        {children}
      </main>
    </div>
  );
}

/** A signed-out step (a code, a second factor) that can no longer be completed: why, and the way back. */
export function StepExpired({ title, children }: { title: string; children: ReactNode }) {
  return (
    <AuthCard title={title}>
      <div className="banner banner-warn" role="alert">
        {children}
      </div>
      <Link className="btn btn-primary btn-block" to="/login">
        Back to log in
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
        {shown ? "Hide" : "Show"}
      </button>
    </div>
  );
}

/** The email field of the sign-up and reset forms: labelled, with allauth's errors for `email` under it. */
export function EmailField({ id, value, onChange, error }: { id: string; value: string; onChange: (v: string) => void; error: AllauthError | null }) {
  return (
    <div className="field">
      <label htmlFor={id}>Email</label>
      <input
        id={id}
        name="email"
        type="email"
        autoComplete="email"
        autoFocus
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={`${id}-error`}
        aria-invalid={(error?.forField("email").length ?? 0) > 0 || undefined}
        required
      />
      <FieldErrors error={error} param="email" id={`${id}-error`} />
    </div>
  );
}
