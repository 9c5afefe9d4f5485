import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from "react";
import { get, post } from "./api/client";
import type { Session, User } from "./api/types";

interface AuthState {
  user: User | null;
  loading: boolean;
  login: (username: string, password: string) => Promise<User>;
  logout: () => Promise<void>;
  refresh: () => Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [loading, setLoading] = useState(true);

  // The session probe answers 200 whether or not someone is signed in, so an anonymous page load logs no failed
  // request in the console (/me answers 401 without credentials, as API clients expect).
  const refresh = useCallback(async () => {
    try {
      const session = await get<Session>("/api/v1/auth/session");
      setUser(session.authenticated ? session.user : null);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const login = useCallback(async (username: string, password: string) => {
    await get("/api/v1/auth/csrf");
    const me = await post<User>("/api/v1/auth/login", { username, password });
    await get("/api/v1/auth/csrf"); // the session changed: take the rotated CSRF token
    setUser(me);
    return me;
  }, []);

  const logout = useCallback(async () => {
    await post("/api/v1/auth/logout");
    setUser(null);
  }, []);

  return <AuthContext.Provider value={{ user, loading, login, logout, refresh }}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error("useAuth outside AuthProvider");
  return state;
}

export const isStaff = (u: User | null) => u?.role === "admin" || u?.role === "reviewer";
/** Where each role starts: a freelancer's tasks, a reviewer's queue, an admin's projects. */
export const homeFor = (u: User) => ({ freelancer: "/tasks", reviewer: "/review", admin: "/projects" })[u.role];
