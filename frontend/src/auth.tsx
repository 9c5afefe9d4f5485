import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from "react";
import { get } from "./api/client";
import type { Session, User } from "./api/types";
import * as allauth from "./features/account/allauth";

/** Where a login leaves the person: signed in (with who), or in the middle of a step (verify the email address,
 * enter a two-factor code) that `next` names the page for. */
export type LoginOutcome = { user: User; next?: undefined } | { user?: undefined; next: string; flow: allauth.Flow };

interface AuthState {
  user: User | null;
  loading: boolean;
  login: (username: string, password: string) => Promise<LoginOutcome>;
  /** After a flow step (sign-up, email code, 2FA code, reset): signed in → the user; a step left → where it is. */
  settle: (result: allauth.AuthResult) => Promise<LoginOutcome>;
  logout: () => Promise<void>;
  refresh: () => Promise<User | null>;
}

const AuthContext = createContext<AuthState | null>(null);

/** The user as our API shows them, with the field the organisation's 2FA policy adds (optional until it is in
 * the schema). */
export type SessionUser = User & { two_factor_required?: boolean };

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [loading, setLoading] = useState(true);

  // The session probe answers 200 whether or not someone is signed in, so an anonymous page load logs no failed
  // request in the console (/me answers 401 without credentials, as API clients expect).
  const refresh = useCallback(async () => {
    try {
      const session = await get<Session>("/api/v1/auth/session");
      const who = session.authenticated ? session.user : null;
      setUser(who);
      return who;
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const settle = useCallback(
    async (result: allauth.AuthResult): Promise<LoginOutcome> => {
      if (result.authenticated) {
        const me = await refresh();
        if (me) return { user: me };
      }
      const flow = result.pending ?? { id: "login" };
      return { next: allauth.pathForFlow(flow), flow };
    },
    [refresh],
  );

  const login = useCallback(
    async (username: string, password: string) => settle(await allauth.login(username, password)),
    [settle],
  );

  const logout = useCallback(async () => {
    try {
      await allauth.logout();
    } finally {
      setUser(null);
    }
  }, []);

  return (
    <AuthContext.Provider value={{ user, loading, login, settle, logout, refresh }}>{children}</AuthContext.Provider>
  );
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error("useAuth outside AuthProvider");
  return state;
}

export const isStaff = (u: User | null) => u?.role === "admin" || u?.role === "reviewer";
/** Where each role starts: a freelancer's tasks, a reviewer's queue, an admin's projects. */
export const homeFor = (u: User) => ({ freelancer: "/tasks", reviewer: "/review", admin: "/projects" })[u.role];
/** The organisation asks for two-factor and this person has none yet. */
export const needsTwoFactor = (u: User | null) => u?.two_factor_required === true;
export const TWO_FACTOR_SETUP = "/settings/account#two-factor";
/** A `next` query parameter that stays on this site. */
export const safeNext = (next: string | null) => (next && next.startsWith("/") && !next.startsWith("//") ? next : null);
