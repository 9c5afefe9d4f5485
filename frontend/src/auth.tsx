import { useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, type ReactNode } from "react";
import type { User } from "./api/types";
import * as allauth from "./features/account/allauth";
import { saveLanguage, sessionQueryOptions } from "./features/session/api/session";
import { setLanguage, type Language } from "./i18n";

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
  /** Save a language chosen in the app on the account (signed in; nothing otherwise). */
  chooseLanguage: (language: Language) => Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  // The session is a query like any other, read once when the app loads and again on `refresh`.
  const session = useQuery({ ...sessionQueryOptions(), staleTime: Infinity });
  const user = session.data?.authenticated ? session.data.user : null;
  const loading = session.isPending;
  // Signed in, the app speaks the account's language (chosen on any device); it is kept in this browser too.
  const accountLanguage = user?.language;
  useEffect(() => {
    if (accountLanguage) void setLanguage(accountLanguage);
  }, [accountLanguage]);

  /** Drop everything cached but the session: what one person read is never shown to the next. */
  const forgetAllButSession = useCallback(
    () => queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionQueryOptions().queryKey[0] }),
    [queryClient],
  );

  const refresh = useCallback(async () => {
    const before = queryClient.getQueryData(sessionQueryOptions().queryKey)?.user?.id ?? null;
    const fresh = await queryClient.fetchQuery({ ...sessionQueryOptions(), staleTime: 0 });
    const who = fresh.authenticated ? fresh.user : null;
    if ((who?.id ?? null) !== before) forgetAllButSession();
    return who;
  }, [queryClient, forgetAllButSession]);

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
      forgetAllButSession();
      queryClient.setQueryData(sessionQueryOptions().queryKey, { authenticated: false, user: null });
    }
  }, [queryClient, forgetAllButSession]);

  const chooseLanguage = useCallback(
    async (language: Language) => {
      if (!user) return;
      const me = await saveLanguage(language);
      queryClient.setQueryData(sessionQueryOptions().queryKey, (old) => (old?.authenticated ? { ...old, user: me } : old));
    },
    [queryClient, user],
  );

  return (
    <AuthContext.Provider value={{ user, loading, login, settle, logout, refresh, chooseLanguage }}>{children}</AuthContext.Provider>
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
