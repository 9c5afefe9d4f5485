/** The browser's client for django-allauth's headless API (/_allauth/browser/v1): session cookie, CSRF header on
 * writes, and allauth's envelope {status, data, meta, errors}.
 *
 * allauth answers a step of a flow with its own status codes, and some of them are not failures:
 * - 200: done; `meta.is_authenticated` says whether the browser is now signed in.
 * - 401 with `meta.is_authenticated: false`: not signed in (yet). `data.flows` lists what may happen next; one flow
 *   with `is_pending: true` is the step the person is in the middle of (verify their email, enter a 2FA code).
 *   Signing up, logging in with an unverified address, and a password reset without login all end here.
 * - 401 with `meta.is_authenticated: true`: signed in, but this request needs a fresh reauthentication first.
 * - 410: the session is gone (expired or ended elsewhere).
 * - 400: input errors, `errors[{message, code, param?}]`; 409: the flow is not (or no longer) pending; 429: too many
 *   attempts.
 * Each function answers an `AuthResult` for the flow answers and throws an `AllauthError` for the rest. */

import { readCookie } from "../../api/client";
import { currentLanguage, i18n } from "../../i18n";

export const BASE = "/_allauth/browser/v1";

export type FlowId =
  | "login"
  | "login_by_code"
  | "signup"
  | "verify_email"
  | "mfa_authenticate"
  | "mfa_reauthenticate"
  | "mfa_trust"
  | "reauthenticate"
  | "password_reset_by_code"
  | "provider_redirect"
  | "provider_signup";

export type AuthenticatorType = "totp" | "recovery_codes" | "webauthn";

export interface Flow {
  id: FlowId | (string & {}); // a known flow, or one this client does not know yet
  is_pending?: boolean;
  types?: AuthenticatorType[];
}

export interface AllauthUser {
  id: number;
  display: string;
  email?: string | null;
  username?: string | null;
  has_usable_password: boolean;
}

export interface AuthData {
  user?: AllauthUser;
  flows?: Flow[];
  methods?: { method: string; at: number; email?: string; username?: string; type?: string }[];
}

export interface Meta {
  is_authenticated?: boolean;
  session_token?: string;
  [key: string]: unknown;
}

export interface AllauthErrorItem {
  message: string;
  code: string;
  param?: string;
}

export interface Envelope<T> {
  status: number;
  data?: T;
  meta?: Meta;
  errors?: AllauthErrorItem[];
}

export interface Config {
  account: {
    login_methods?: string[];
    is_open_for_signup: boolean;
    email_verification_by_code_enabled: boolean;
    login_by_code_enabled: boolean;
    password_reset_by_code_enabled?: boolean;
  };
  mfa?: { supported_types: AuthenticatorType[]; passkey_login_enabled?: boolean };
  usersessions?: { track_activity: boolean };
}

export interface EmailAddress {
  email: string;
  verified: boolean;
  primary: boolean;
}

export interface UserSession {
  id: number;
  user_agent: string;
  ip: string;
  created_at: number;
  is_current: boolean;
  last_seen_at?: number;
}

export interface Authenticator {
  type: AuthenticatorType;
  created_at: number;
  last_used_at: number | null;
  total_code_count?: number;
  unused_code_count?: number;
  unused_codes?: string[];
}

export interface TotpSetup {
  secret: string;
  totp_url: string;
}

/** Where a flow answer leaves the browser. `pending` is the step to take next (null when there is none). */
export interface AuthResult {
  status: number;
  authenticated: boolean;
  pending: Flow | null;
  flows: Flow[];
  user: AllauthUser | null;
}

export class AllauthError extends Error {
  readonly status: number;
  readonly errors: AllauthErrorItem[];
  readonly flows: Flow[];

  constructor(status: number, errors: AllauthErrorItem[], message?: string, flows: Flow[] = []) {
    super(message ?? errorSummary(status, errors));
    this.name = "AllauthError";
    this.status = status;
    this.errors = errors;
    this.flows = flows;
  }

  /** The messages for one input field (`param`). */
  forField(param: string): string[] {
    return this.errors.filter((e) => e.param === param).map((e) => e.message);
  }

  /** The messages that belong to no field shown on the form (pass the names the form shows). */
  general(shown: string[] = []): string[] {
    const rest = this.errors.filter((e) => !e.param || !shown.includes(e.param)).map((e) => e.message);
    return rest.length > 0 || this.errors.length > 0 ? rest : [this.message];
  }

  get rateLimited(): boolean {
    return this.status === 429;
  }

  /** Signed in, but the action needs the password (or a 2FA code) again first. */
  get reauthenticationRequired(): boolean {
    return this.status === 401 && this.flows.some((f) => f.id === "reauthenticate" || f.id === "mfa_reauthenticate");
  }
}

export function errorSummary(status: number, errors: AllauthErrorItem[] = []): string {
  if (errors.length > 0) return errors.map((e) => e.message).join(" ");
  switch (status) {
    case 0:
      return i18n.t("error.network", { ns: "account" });
    case 401:
      return i18n.t("error.notSignedIn", { ns: "account" });
    case 403:
      return i18n.t("error.forbidden", { ns: "account" });
    case 409:
      return i18n.t("error.stepClosed", { ns: "account" });
    case 410:
      return i18n.t("error.sessionEnded", { ns: "account" });
    case 429:
      return i18n.t("error.rateLimited", { ns: "account" });
    default:
      return i18n.t("error.status", { ns: "account", status });
  }
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** One request; answers the envelope whatever its status (network failures and non-JSON answers become
 * envelopes too, so the callers have one thing to look at). */
export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<Envelope<T>> {
  // allauth answers its messages (a wrong password, a taken address) in the page's language, and a sign-up records it.
  const headers: Record<string, string> = { Accept: "application/json", "Accept-Language": currentLanguage(), ...extraHeaders };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (UNSAFE.has(method) && path !== "/config") {
    let token = readCookie("csrftoken");
    if (!token) {
      // The first write of a fresh browser: GET /api/v1/auth/csrf sets the cookie.
      try {
        await fetch("/api/v1/auth/csrf", { credentials: "same-origin", headers: { Accept: "application/json" } });
      } catch {
        return { status: 0 };
      }
      token = readCookie("csrftoken");
    }
    if (token) headers["X-CSRFToken"] = token;
  }
  let response: Response;
  try {
    response = await fetch(BASE + path, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { status: 0 };
  }
  try {
    const envelope = (await response.json()) as Envelope<T>;
    return { ...envelope, status: typeof envelope.status === "number" ? envelope.status : response.status };
  } catch {
    return { status: response.status };
  }
}

export function pendingFlow(flows: Flow[] | undefined): Flow | null {
  return flows?.find((f) => f.is_pending) ?? null;
}

/** A flow step: 200 and 401 are answers (signed in, or the next step); everything else is an AllauthError. */
export function toAuthResult(envelope: Envelope<AuthData>): AuthResult {
  const { status } = envelope;
  const flows = envelope.data?.flows ?? [];
  if (status === 200 || (status === 401 && envelope.meta?.is_authenticated !== true)) {
    return {
      status,
      authenticated: envelope.meta?.is_authenticated === true,
      pending: pendingFlow(flows),
      flows,
      user: envelope.data?.user ?? null,
    };
  }
  throw new AllauthError(status, envelope.errors ?? [], undefined, flows);
}

/** A plain request: the data of a 200, else an AllauthError. */
export function dataOf<T>(envelope: Envelope<T>): T {
  if (envelope.status >= 200 && envelope.status < 300) return envelope.data as T;
  throw new AllauthError(envelope.status, envelope.errors ?? [], undefined, (envelope.data as AuthData | undefined)?.flows ?? []);
}

/** Where the console shows each pending step. */
export function pathForFlow(flow: Flow): string {
  switch (flow.id) {
    case "verify_email":
      return "/verify-email";
    case "mfa_authenticate":
      return "/login/2fa";
    case "password_reset_by_code":
      return "/account/password/reset";
    case "signup":
      return "/signup";
    default:
      return "/login";
  }
}

const flow = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
  toAuthResult(await request<AuthData>(method, path, body, headers));
const plain = async <T>(method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
  dataOf(await request<T>(method, path, body, headers));

// --- Meta and the session --------------------------------------------------------------------------------------
export const getConfig = () => plain<Config>("GET", "/config");
export const getAuthSession = () => flow("GET", "/auth/session");
/** Log out: allauth answers 401 (nobody signed in any more), which is success here. */
export const logout = () => flow("DELETE", "/auth/session");

// --- Logging in and signing up ---------------------------------------------------------------------------------
/** One field takes a username or an email address: an "@" makes it an email login. */
export function loginBody(login: string, password: string): Record<string, string> {
  const value = login.trim();
  return value.includes("@") ? { email: value, password } : { username: value, password };
}
export const login = (loginName: string, password: string) => flow("POST", "/auth/login", loginBody(loginName, password));
export const signup = (input: { email: string; password: string; accept_terms: boolean; terms_version: string }) =>
  flow("POST", "/auth/signup", input);
export const verifyEmail = (code: string) => flow("POST", "/auth/email/verify", { key: code.trim() });
export const resendEmailCode = () => plain<undefined>("POST", "/auth/email/verify/resend");
export const mfaAuthenticate = (code: string) => flow("POST", "/auth/2fa/authenticate", { code: code.trim() });
export const reauthenticate = (password: string) => flow("POST", "/auth/reauthenticate", { password });
export const mfaReauthenticate = (code: string) => flow("POST", "/auth/2fa/reauthenticate", { code: code.trim() });

// --- Passwords -------------------------------------------------------------------------------------------------
export const requestPasswordReset = (email: string) => plain<undefined>("POST", "/auth/password/request", { email: email.trim() });
/** Whether a reset key from the mail still works, and for whom. */
export const getPasswordReset = (key: string) =>
  plain<{ user: AllauthUser }>("GET", "/auth/password/reset", undefined, { "X-Password-Reset-Key": key });
/** Set the new password. Without login-on-reset allauth answers 401 (done, not signed in). */
export const resetPassword = (key: string, password: string) => flow("POST", "/auth/password/reset", { key, password });
export const changePassword = (current_password: string, new_password: string) =>
  flow("POST", "/account/password/change", { current_password, new_password });

// --- Email addresses -------------------------------------------------------------------------------------------
export const listEmails = () => plain<EmailAddress[]>("GET", "/account/email");
export const addEmail = (email: string) => plain<EmailAddress[]>("POST", "/account/email", { email: email.trim() });
export const removeEmail = (email: string) => plain<EmailAddress[]>("DELETE", "/account/email", { email });
export const makePrimaryEmail = (email: string) => plain<EmailAddress[]>("PATCH", "/account/email", { email, primary: true });
export const resendEmailVerification = (email: string) => plain<undefined>("PUT", "/account/email", { email });

// --- Sessions --------------------------------------------------------------------------------------------------
export const listSessions = () => plain<UserSession[]>("GET", "/auth/sessions");
export const endSessions = (ids: number[]) => plain<UserSession[]>("DELETE", "/auth/sessions", { sessions: ids });

// --- Two-factor ------------------------------------------------------------------------------------------------
export const listAuthenticators = () => plain<Authenticator[]>("GET", "/account/authenticators");
/** The TOTP authenticator, or (404) a fresh secret to set one up with. */
export async function getTotp(): Promise<{ active: Authenticator } | { setup: TotpSetup }> {
  const envelope = await request<Authenticator>("GET", "/account/authenticators/totp");
  if (envelope.status === 404 && typeof envelope.meta?.secret === "string") {
    return { setup: { secret: envelope.meta.secret, totp_url: typeof envelope.meta.totp_url === "string" ? envelope.meta.totp_url : "" } };
  }
  return { active: dataOf(envelope) };
}
export const activateTotp = (code: string) => plain<Authenticator>("POST", "/account/authenticators/totp", { code: code.trim() });
export const deactivateTotp = () => plain<undefined>("DELETE", "/account/authenticators/totp");
/** The unused recovery codes (null when there are none). */
export async function getRecoveryCodes(): Promise<Authenticator | null> {
  const envelope = await request<Authenticator>("GET", "/account/authenticators/recovery-codes");
  if (envelope.status === 404) return null;
  return dataOf(envelope);
}
export const regenerateRecoveryCodes = () => plain<Authenticator>("POST", "/account/authenticators/recovery-codes");

/** The server's MinimumLengthValidator (AUTH_PASSWORD_VALIDATORS; tests/test_settings_contract.py keeps them equal). */
export const MIN_PASSWORD_LENGTH = 10;

/** The catalogue keys (namespace `account`) of the strength meter's words, by score. */
export const STRENGTH_LABELS = ["strength.tooShort", "strength.weak", "strength.fair", "strength.good", "strength.strong"] as const;
export type StrengthLabel = (typeof STRENGTH_LABELS)[number];

/** Password strength, as a hint while typing (the server's validators decide). `label` is a catalogue key (namespace
 * `account`), null for an empty password. */
export function passwordStrength(password: string): { score: 0 | 1 | 2 | 3 | 4; label: StrengthLabel | null } {
  if (!password) return { score: 0, label: null };
  if (password.length < MIN_PASSWORD_LENGTH) return { score: 0, label: "strength.tooShort" };
  let score = 1;
  if (password.length >= 14) score++;
  if (/[a-z]/.test(password) && /[A-Z]/.test(password)) score++;
  if (/\d/.test(password) && /[^A-Za-z0-9]/.test(password)) score++;
  const s = Math.min(4, score) as 0 | 1 | 2 | 3 | 4;
  return { score: s, label: STRENGTH_LABELS[s] };
}
