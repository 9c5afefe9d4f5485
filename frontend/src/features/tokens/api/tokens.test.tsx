import { QueryClientProvider } from "@tanstack/react-query";
import { act, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { makeQueryClient } from "../../../api/queryClient";
import { useCreateToken } from "./create-token";
import { useTokens } from "./get-tokens";

afterEach(() => {
  vi.unstubAllGlobals();
});

const TOKEN = { id: 1, name: "nightly", prefix: "abc", scopes: ["projects:read"], created_at: "2026-12-01T00:00:00Z", last_used_at: null, expires_at: null, revoked_at: null };

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

/** A server that holds a list of tokens: GET lists them, POST adds one. */
function stubServer() {
  const tokens: unknown[] = [];
  const fetch = vi.fn((request: Request) => {
    if (request.method === "POST") {
      tokens.push({ ...TOKEN, id: tokens.length + 1 });
      return Promise.resolve(json({ ...TOKEN, id: tokens.length, token: "atl_abc_secret" }, 201));
    }
    return Promise.resolve(json({ count: tokens.length, next: null, previous: null, results: tokens }));
  });
  vi.stubGlobal("fetch", fetch);
  return fetch;
}

function wrapper() {
  const queryClient = makeQueryClient();
  return ({ children }: { children: ReactNode }) => <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}

describe("the tokens hooks", () => {
  it("list the tokens, with the request's signal so a stale one can be cancelled", async () => {
    const fetch = stubServer();
    const { result } = renderHook(() => useTokens(), { wrapper: wrapper() });
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(result.current.data?.count).toBe(0);
    const request = fetch.mock.calls[0]![0];
    expect(request.url).toMatch(/\/api\/v1\/tokens\?page_size=100$/);
    expect(request.signal).toBeInstanceOf(AbortSignal);
  });

  it("creating a token fetches the list again", async () => {
    const fetch = stubServer();
    const { result } = renderHook(() => ({ list: useTokens(), create: useCreateToken() }), { wrapper: wrapper() });
    await waitFor(() => expect(result.current.list.data?.count).toBe(0));

    let created: { token: string } | undefined;
    await act(async () => {
      created = await result.current.create.mutateAsync({ name: "nightly", scopes: ["projects:read"] });
    });

    expect(created?.token).toBe("atl_abc_secret");
    await waitFor(() => expect(result.current.list.data?.count).toBe(1));
    expect(fetch.mock.calls.map(([r]) => r.method)).toEqual(["GET", "POST", "GET"]);
  });

  it("a refused token is the mutation's ApiError, with its fields", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(() => Promise.resolve(json({ error: { status: 400, code: "invalid", message: "Some fields are invalid.", fields: { name: ["Required."] } } }, 400))),
    );
    const { result } = renderHook(() => useCreateToken(), { wrapper: wrapper() });
    act(() => result.current.mutate({ name: "", scopes: ["projects:read"] }));
    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(result.current.error?.fieldMessages("name")).toEqual(["Required."]);
  });
});
