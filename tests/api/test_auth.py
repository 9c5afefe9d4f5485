"""Session login, logout, the current user, and the error shape of bad input."""

from __future__ import annotations

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def error(resp: object, status: int, code: str) -> dict:
    body = resp.json()  # type: ignore[attr-defined]
    assert resp.status_code == status, body  # type: ignore[attr-defined]
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "code", "message", "fields"}
    assert body["error"]["status"] == status
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


def test_login_starts_a_session_and_returns_the_user(api: APIClient, admin) -> None:
    resp = api.post("/api/v1/auth/login", {"username": admin.username, "password": PASSWORD})
    assert resp.status_code == 200
    assert resp.json() == {
        "id": admin.id,
        "username": admin.username,
        "email": admin.email,
        "role": "admin",
        "display_name": admin.username,
        "organization": {"id": admin.organization_id, "name": admin.organization.name},
        "is_staff": False,
        "allowed_token_scopes": ["export:read", "projects:read", "projects:write"],
    }
    me = api.get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["id"] == admin.id


def test_wrong_password_is_400_in_the_error_shape_and_logs_nobody_in(api: APIClient, admin) -> None:
    resp = api.post("/api/v1/auth/login", {"username": admin.username, "password": "nope"})
    err = error(resp, 400, "invalid_credentials")
    assert err["message"] == "Wrong username or password."
    error(api.get("/api/v1/me"), 401, "not_authenticated")


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(api: APIClient) -> None:
    resp = api.post("/api/v1/auth/login", {"username": "ghost", "password": "nope"})
    assert error(resp, 400, "invalid_credentials")["message"] == "Wrong username or password."


def test_missing_fields_are_named(api: APIClient) -> None:
    err = error(api.post("/api/v1/auth/login", {"username": "x"}), 400, "invalid")
    assert err["fields"] == {"password": ["This field is required."]}


def test_unknown_fields_are_refused(api: APIClient, admin) -> None:
    resp = api.post("/api/v1/auth/login", {"username": admin.username, "password": PASSWORD, "remember": True})
    err = error(resp, 400, "unknown_fields")
    assert err["fields"] == {"remember": ["Unknown field."]}
    error(api.get("/api/v1/me"), 401, "not_authenticated")


def test_malformed_json_is_a_parse_error(api: APIClient) -> None:
    resp = api.generic("POST", "/api/v1/auth/login", '{"username": "a", ', content_type="application/json")
    err = error(resp, 400, "parse_error")
    assert "JSON parse error" in err["message"]


def test_a_json_array_is_not_a_login(api: APIClient) -> None:
    resp = api.post("/api/v1/auth/login", ["admin", "pw"], format="json")
    err = error(resp, 400, "invalid")
    assert "Expected a dictionary" in err["message"]


def test_wrong_content_type_is_415(api: APIClient) -> None:
    resp = api.post("/api/v1/auth/login", "username=a&password=b", content_type="application/x-www-form-urlencoded")
    error(resp, 415, "unsupported_media_type")


def test_login_enforces_csrf_for_browsers(admin) -> None:
    browser = APIClient(enforce_csrf_checks=True)
    resp = browser.post("/api/v1/auth/login", {"username": admin.username, "password": PASSWORD})
    assert error(resp, 403, "csrf_failed")["message"].startswith("CSRF failed")
    token = browser.get("/api/v1/auth/csrf").json()["csrf_token"]
    resp = browser.post(
        "/api/v1/auth/login", {"username": admin.username, "password": PASSWORD}, HTTP_X_CSRFTOKEN=token
    )
    assert resp.status_code == 200


def test_logged_in_writes_need_the_csrf_header(admin) -> None:
    browser = APIClient(enforce_csrf_checks=True)
    token = browser.get("/api/v1/auth/csrf").json()["csrf_token"]
    browser.post("/api/v1/auth/login", {"username": admin.username, "password": PASSWORD}, HTTP_X_CSRFTOKEN=token)
    token = browser.cookies["csrftoken"].value
    resp = browser.post("/api/v1/tokens", {"name": "x", "scopes": ["projects:read"]})
    assert error(resp, 403, "permission_denied")["message"].startswith("CSRF Failed")
    resp = browser.post("/api/v1/tokens", {"name": "x", "scopes": ["projects:read"]}, HTTP_X_CSRFTOKEN=token)
    assert resp.status_code == 201


@override_settings(LOGIN_MAX_ATTEMPTS=3)
def test_repeated_failures_are_throttled_even_with_the_right_password(api: APIClient, admin) -> None:
    for _ in range(3):
        error(
            api.post("/api/v1/auth/login", {"username": admin.username, "password": "bad"}),
            400,
            "invalid_credentials",
        )
    resp = api.post("/api/v1/auth/login", {"username": admin.username, "password": PASSWORD})
    error(resp, 429, "throttled")
    assert int(resp["Retry-After"]) > 0
    error(api.get("/api/v1/me"), 401, "not_authenticated")


@override_settings(LOGIN_MAX_ATTEMPTS=3)
def test_many_people_can_log_in_from_one_address(api: APIClient, org) -> None:
    """Successful logins do not count against the address: an office of freelancers is not locked out."""
    for _ in range(6):
        user = UserFactory(role="reviewer", organization=org)
        resp = APIClient().post("/api/v1/auth/login", {"username": user.username, "password": PASSWORD})
        assert resp.status_code == 200, resp.json()


def test_logout_ends_the_session(client_for, admin) -> None:
    c = client_for(admin)
    assert c.post("/api/v1/auth/logout").status_code == 204
    error(c.get("/api/v1/me"), 401, "not_authenticated")


def test_anonymous_logout_is_401(api: APIClient) -> None:
    error(api.post("/api/v1/auth/logout"), 401, "not_authenticated")


def test_inactive_user_cannot_log_in(api: APIClient, admin) -> None:
    admin.is_active = False
    admin.save()
    error(
        api.post("/api/v1/auth/login", {"username": admin.username, "password": PASSWORD}),
        400,
        "invalid_credentials",
    )


def test_the_session_probe_answers_anonymous_callers_without_an_error(api: APIClient) -> None:
    """The console asks who is signed in on every page load: nobody signed in is an answer, not a 401."""
    resp = api.get("/api/v1/auth/session")
    assert resp.status_code == 200
    assert resp.json() == {"authenticated": False, "user": None}
    error(api.get("/api/v1/me"), 401, "not_authenticated")  # API clients still get the 401 from /me


def test_the_session_probe_gives_the_signed_in_user(api: APIClient, admin) -> None:
    api.post("/api/v1/auth/login", {"username": admin.username, "password": PASSWORD})
    resp = api.get("/api/v1/auth/session")
    assert resp.status_code == 200
    assert resp.json() == {"authenticated": True, "user": api.get("/api/v1/me").json()}
    api.post("/api/v1/auth/logout")
    assert api.get("/api/v1/auth/session").json() == {"authenticated": False, "user": None}


def test_the_session_probe_ignores_tokens(admin) -> None:
    """It reports the browser session only: a bearer token (even a bad one) is neither used nor refused."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer atl_not-a-token")
    resp = client.get("/api/v1/auth/session")
    assert resp.status_code == 200
    assert resp.json() == {"authenticated": False, "user": None}
