import { describe, expect, it } from "vitest";
import { ApiError, readCookie, toApiError } from "./client";

describe("readCookie", () => {
  it("finds a cookie among others and decodes it", () => {
    expect(readCookie("csrftoken", "a=1; csrftoken=x%20y; b=2")).toBe("x y");
    expect(readCookie("missing", "a=1")).toBeNull();
  });
});

describe("toApiError", () => {
  it("reads the one error shape, fields included", async () => {
    const body = { error: { status: 409, code: "terms_fixed", message: "Pay is fixed.", fields: { "pay.amount": ["Fixed."] } } };
    const err = await toApiError(new Response(JSON.stringify(body), { status: 409 }));
    expect(err).toBeInstanceOf(ApiError);
    expect([err.status, err.code, err.message]).toEqual([409, "terms_fixed", "Pay is fixed."]);
    expect(err.fieldMessages("pay")).toEqual(["Fixed."]);
  });

  it("explains a body that is not the error shape", async () => {
    const err = await toApiError(new Response("<html>bad gateway</html>", { status: 502 }));
    expect([err.status, err.code, err.message]).toEqual([502, "http_error", "The server answered 502."]);
  });
});
