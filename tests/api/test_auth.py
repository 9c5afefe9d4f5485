"""The contract of allauth's headless API as Atelier uses it (/_allauth/browser/v1 and /_allauth/app/v1), against
real PostgreSQL, the real cache and a real SMTP server on loopback; and the error shape of our own /api/v1 routes.

Mail leaves after the transaction commits, so the tests that read the mailbox run in transactions of their own."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.usersessions.models import UserSession
from django.conf import settings
from rest_framework.test import APIClient

from annotations.models import FreelancerProfile, TermsAcceptance, User
from annotations.services.tokens import api_token_create
from tests.allauth_client import APP, BROWSER, Browser
from tests.conftest import need
from tests.factories import PASSWORD, UserFactory
from tests.smtp import code_in, html_of, link_in, text_of

pytestmark = pytest.mark.django_db
with_mail = pytest.mark.django_db(transaction=True)
NEW_PASSWORD = "a-New-passphrase-93"


def error(resp: Any, status: int, code: str) -> dict[str, Any]:
    """Our own /api/v1 error shape."""
    body = resp.json()
    assert resp.status_code == status, body
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "code", "message", "fields"}
    assert body["error"]["status"] == status
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return dict(body["error"])


def allauth_errors(resp: Any, status: int = 400) -> dict[str, str]:
    """allauth's error shape: {"status", "errors": [{"message", "code", "param"}]}, as {param: code}."""
    body = resp.json()
    assert resp.status_code == status, body
    assert body["status"] == status
    return {e.get("param", ""): e["code"] for e in body["errors"]}


def pending(resp: Any) -> list[str]:
    body = resp.json()
    assert resp.status_code == 401, body
    assert body["meta"]["is_authenticated"] is False
    return [f["id"] for f in body["data"]["flows"] if f.get("is_pending")]


def signup(browser: Browser, email: str, **extra: Any) -> Any:
    data = {
        "email": email,
        "password": "Very-secret-42x",
        "accept_terms": True,
        "terms_version": settings.CONTRIBUTOR_TERMS_VERSION,
    }
    return browser.post(f"{BROWSER}/auth/signup", {**data, **extra})


# --- Sign-up ----------------------------------------------------------------------------------------------------
@with_mail
def test_sign_up_makes_a_freelancer_who_verifies_by_the_code_in_the_mail(mailbox: Any) -> None:
    browser = Browser()
    resp = signup(browser, "new.person@example.com")
    assert pending(resp) == ["verify_email"]
    user = User.objects.get(email="new.person@example.com")
    assert (user.role, user.organization_id, user.is_active) == ("freelancer", None, True)
    assert FreelancerProfile.objects.filter(user=user).exists()
    assert list(TermsAcceptance.objects.filter(user=user).values_list("version", flat=True)) == [
        settings.CONTRIBUTOR_TERMS_VERSION
    ]
    assert browser.get("/api/v1/auth/session").json() == {"authenticated": False, "user": None}

    (mail,) = mailbox.wait_for("new.person@example.com")
    assert mail["Subject"] == "[Atelier] Your verification code"
    assert "Atelier" in text_of(mail) and settings.SITE_URL in text_of(mail)
    assert code_in(mail) in html_of(mail)

    verified = browser.post(f"{BROWSER}/auth/email/verify", {"key": code_in(mail)})
    assert verified.status_code == 200, verified.json()
    assert verified.json()["meta"]["is_authenticated"] is True
    assert verified.json()["data"]["user"]["role"] == "freelancer"
    session = browser.get("/api/v1/auth/session").json()
    assert session["authenticated"] is True
    assert session["user"]["id"] == user.pk
    assert (session["user"]["two_factor_enabled"], session["user"]["two_factor_required"]) == (False, False)
    assert browser.get("/api/v1/me").json()["id"] == user.pk


def test_a_wrong_verification_code_is_refused() -> None:
    browser = Browser()
    signup(browser, "wrong.code@example.com")
    assert allauth_errors(browser.post(f"{BROWSER}/auth/email/verify", {"key": "AAAA-BBBB"})) == {
        "key": "incorrect_code"
    }
    assert browser.get("/api/v1/auth/session").json()["authenticated"] is False


@pytest.mark.parametrize(
    ("change", "refused"),
    [
        ({"accept_terms": False}, {"accept_terms": "required"}),
        ({"accept_terms": None, "terms_version": None}, {"accept_terms": "required", "terms_version": "required"}),
        ({"terms_version": "1999-01"}, {"terms_version": "terms_changed"}),
    ],
)
def test_sign_up_needs_the_current_contributor_terms(change: dict[str, Any], refused: dict[str, str]) -> None:
    data = {
        "email": "terms@example.com",
        "password": "Very-secret-42x",
        "accept_terms": True,
        "terms_version": settings.CONTRIBUTOR_TERMS_VERSION,
    }
    data = {k: v for k, v in {**data, **change}.items() if v is not None}  # None: the field is left out
    assert allauth_errors(Browser().post(f"{BROWSER}/auth/signup", data)) == refused
    assert not User.objects.filter(email="terms@example.com").exists()
    assert not TermsAcceptance.objects.exists()


@with_mail
def test_sign_up_with_a_taken_email_does_not_reveal_it(mailbox: Any, freelancer: Any) -> None:
    """The same answer as a new address; the owner gets an "account already exists" mail instead of a code."""
    taken = signup(Browser(), freelancer.email)
    fresh = signup(Browser(), "someone.else@example.com")
    assert taken.status_code == fresh.status_code == 401
    assert taken.json() == fresh.json()
    assert User.objects.filter(email__iexact=freelancer.email).count() == 1
    (mail,) = mailbox.wait_for(freelancer.email)
    assert mail["Subject"] == "[Atelier] You already have an account"
    assert link_in(mail, "/account/password/reset").startswith(settings.SITE_URL)


def test_closed_sign_up_is_403(settings: Any) -> None:
    settings.SIGNUP_OPEN = False
    resp = signup(Browser(), "closed@example.com")
    assert resp.status_code == 403
    assert not User.objects.filter(email="closed@example.com").exists()


# --- Login and logout -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("by", ["username", "email"])
def test_login_by_username_or_email(admin: Any, by: str) -> None:
    browser = Browser()
    resp = browser.login(PASSWORD, **{by: getattr(admin, by)})
    assert resp.status_code == 200, resp.json()
    body = resp.json()
    assert body["meta"]["is_authenticated"] is True
    assert body["data"]["user"]["id"] == admin.pk
    assert (body["data"]["user"]["role"], body["data"]["user"]["organization_id"]) == ("admin", admin.organization_id)
    me = browser.get("/api/v1/me").json()
    assert me == {
        "id": admin.id,
        "username": admin.username,
        "email": admin.email,
        "role": "admin",
        "display_name": admin.username,
        "organization": {"id": admin.organization_id, "name": admin.organization.name},
        "is_staff": False,
        "language": "en",
        "allowed_token_scopes": ["export:read", "projects:read", "projects:write"],
        "two_factor_enabled": False,
        "two_factor_required": False,
        "onboarding_missing": [],
    }
    assert browser.get("/api/v1/auth/session").json() == {"authenticated": True, "user": me}


@pytest.mark.parametrize("who", ["wrong_password", "unknown_user"])
def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(admin: Any, who: str) -> None:
    browser = Browser()
    username = admin.username if who == "wrong_password" else "ghost"
    resp = browser.login("not-the-password", username=username)
    assert allauth_errors(resp) == {"password": "username_password_mismatch"}
    error(browser.get("/api/v1/me"), 401, "not_authenticated")


@with_mail
def test_an_unverified_login_is_sent_a_code_and_verifying_logs_in(mailbox: Any, org: Any) -> None:
    user = UserFactory.create(role="reviewer", organization=org, verified_email=False)
    browser = Browser()
    assert pending(browser.login(PASSWORD, username=user.username)) == ["verify_email"]
    error(browser.get("/api/v1/me"), 401, "not_authenticated")
    (mail,) = mailbox.wait_for(user.email)
    resp = browser.post(f"{BROWSER}/auth/email/verify", {"key": code_in(mail)})
    assert resp.status_code == 200, resp.json()
    assert browser.get("/api/v1/me").json()["id"] == user.pk


def test_logout_ends_the_session(admin: Any) -> None:
    browser = Browser()
    assert browser.login(PASSWORD, username=admin.username).status_code == 200
    resp = browser.delete(f"{BROWSER}/auth/session")
    assert resp.status_code == 401
    assert resp.json()["meta"]["is_authenticated"] is False
    error(browser.get("/api/v1/me"), 401, "not_authenticated")
    assert browser.get("/api/v1/auth/session").json() == {"authenticated": False, "user": None}


def test_the_browser_api_enforces_csrf(admin: Any) -> None:
    browser = Browser()
    resp = browser.client.post(
        f"{BROWSER}/auth/login", {"username": admin.username, "password": PASSWORD}, format="json"
    )
    assert error(resp, 403, "csrf_failed")["message"].startswith("CSRF check failed")
    error(browser.get("/api/v1/me"), 401, "not_authenticated")
    assert browser.login(PASSWORD, username=admin.username).status_code == 200


def test_logged_in_writes_to_our_api_need_the_csrf_header(admin: Any) -> None:
    browser = Browser()
    browser.login(PASSWORD, username=admin.username)
    resp = browser.client.post("/api/v1/tokens", {"name": "x", "scopes": ["projects:read"]}, format="json")
    assert error(resp, 403, "permission_denied")["message"].startswith("CSRF Failed")
    assert browser.post("/api/v1/tokens", {"name": "x", "scopes": ["projects:read"]}).status_code == 201


# --- Rate limit on failed logins (allauth, counted in the cache) -----------------------------------------------
def test_repeated_failures_lock_the_account_even_with_the_right_password(admin: Any) -> None:
    """allauth's login_failed limit (5 per 5 minutes per account, 10 a minute per address): it answers inside the
    login form, as a 400 with the code too_many_login_attempts."""
    browser = Browser()
    for _ in range(5):
        assert allauth_errors(browser.login("bad", username=admin.username)) == {
            "password": "username_password_mismatch"
        }
    resp = browser.login(PASSWORD, username=admin.username)
    assert allauth_errors(resp) == {"": "too_many_login_attempts"}
    error(browser.get("/api/v1/me"), 401, "not_authenticated")
    # Another account from the same address is not locked out by this one's failures.
    other = UserFactory.create(role="reviewer", organization=admin.organization)
    assert Browser().login(PASSWORD, username=other.username).status_code == 200


def test_too_many_login_attempts_from_one_address_are_429(settings: Any, admin: Any) -> None:
    """allauth's login limit per address (30 a minute by default; 3 here) answers 429 before the form runs."""
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}
    for _ in range(3):
        assert Browser().login("bad", username=admin.username).status_code == 400
    resp = Browser().login(PASSWORD, username=admin.username)
    assert resp.status_code == 429, resp.json()
    assert resp.json()["status"] == 429
    # Another address is not affected.
    assert Browser(REMOTE_ADDR="10.1.2.3").login(PASSWORD, username=admin.username).status_code == 200


def test_failed_logins_are_counted_in_redis(redis_url: str, admin: Any) -> None:
    import redis

    if "redis" not in settings.CACHES["default"]["BACKEND"].lower():
        need("Redis", "the cache is not Redis")
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    Browser().login("bad", username=admin.username)
    keys: list[bytes] = redis.Redis.from_url(redis_url).keys(f"{prefix}:*")  # type: ignore[assignment]
    assert any(b"rl:" in k or b"login_failed" in k for k in keys), keys


def test_many_people_can_log_in_from_one_address(org: Any) -> None:
    """Successful logins do not count as failures: an office of reviewers is not locked out."""
    for _ in range(7):
        user = UserFactory.create(role="reviewer", organization=org)
        assert Browser().login(PASSWORD, username=user.username).status_code == 200


# --- Passwords --------------------------------------------------------------------------------------------------
@with_mail
def test_password_reset_by_the_link_in_the_mail(mailbox: Any, freelancer: Any) -> None:
    browser = Browser()
    assert browser.post(f"{BROWSER}/auth/password/request", {"email": freelancer.email}).status_code == 200
    (mail,) = mailbox.wait_for(freelancer.email)
    assert mail["Subject"] == "[Atelier] Reset your password"
    link = link_in(mail, "/account/password/reset/key/")
    assert link.startswith(settings.HEADLESS_FRONTEND_URLS["account_reset_password_from_key"].split("{key}")[0])
    assert link in html_of(mail)
    key = link.rsplit("/", 1)[-1]

    check = browser.get(f"{BROWSER}/auth/password/reset", HTTP_X_PASSWORD_RESET_KEY=key)
    assert check.status_code == 200, check.json()
    assert check.json()["data"]["user"]["id"] == freelancer.pk
    resp = browser.post(f"{BROWSER}/auth/password/reset", {"key": key, "password": NEW_PASSWORD})
    assert resp.status_code in (200, 401), resp.json()
    assert allauth_errors(Browser().login(PASSWORD, username=freelancer.username)) == {
        "password": "username_password_mismatch"
    }
    assert Browser().login(NEW_PASSWORD, username=freelancer.username).status_code == 200
    # The key is spent.
    again = browser.post(f"{BROWSER}/auth/password/reset", {"key": key, "password": "Another-one-77x"})
    assert allauth_errors(again) == {"key": "invalid_password_reset"}
    # And the person hears that their password was reset.
    assert mailbox.wait_for(freelancer.email, subject="was reset")


@with_mail
def test_a_reset_for_an_unknown_address_looks_the_same(mailbox: Any) -> None:
    resp = Browser().post(f"{BROWSER}/auth/password/request", {"email": "nobody@example.com"})
    assert resp.status_code == 200
    (mail,) = mailbox.wait_for("nobody@example.com")
    assert link_in(mail, "/signup").startswith(settings.SITE_URL)


@with_mail
def test_change_password(mailbox: Any, admin: Any) -> None:
    browser = Browser()
    browser.login(PASSWORD, username=admin.username)
    wrong = browser.post(
        f"{BROWSER}/account/password/change", {"current_password": "nope", "new_password": NEW_PASSWORD}
    )
    assert allauth_errors(wrong) == {"current_password": "enter_current_password"}
    resp = browser.post(
        f"{BROWSER}/account/password/change", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert resp.status_code == 200, resp.json()
    assert browser.get("/api/v1/me").status_code == 200  # this session stays signed in
    assert Browser().login(PASSWORD, username=admin.username).status_code == 400
    assert Browser().login(NEW_PASSWORD, username=admin.username).status_code == 200
    (mail,) = mailbox.wait_for(admin.email, subject="password was changed")
    assert "/account/security" in text_of(mail)


# --- Email addresses --------------------------------------------------------------------------------------------
@with_mail
def test_add_verify_and_remove_an_email_address(mailbox: Any, freelancer: Any) -> None:
    browser = Browser()
    browser.login(PASSWORD, username=freelancer.username)
    old = freelancer.email
    resp = browser.post(f"{BROWSER}/account/email", {"email": "second@example.com"})
    assert resp.status_code == 200, resp.json()
    rows = {row["email"]: row for row in resp.json()["data"]}
    assert rows["second@example.com"]["verified"] is False
    (mail,) = mailbox.wait_for("second@example.com")
    verified = browser.post(f"{BROWSER}/auth/email/verify", {"key": code_in(mail)})
    assert verified.status_code == 200, verified.json()
    listed = {row["email"]: row for row in browser.get(f"{BROWSER}/account/email").json()["data"]}
    assert listed["second@example.com"]["verified"] is True
    assert listed["second@example.com"]["primary"] is True  # ACCOUNT_CHANGE_EMAIL: the new address replaces the old
    assert old not in listed
    assert mailbox.wait_for(old, subject="email address changed")
    freelancer.refresh_from_db()
    assert freelancer.email == "second@example.com"

    # A third address, added and then removed before it is verified.
    browser.post(f"{BROWSER}/account/email", {"email": "third@example.com"})
    removed = browser.delete(f"{BROWSER}/account/email", {"email": "third@example.com"})
    assert removed.status_code == 200, removed.json()
    assert [row["email"] for row in removed.json()["data"]] == ["second@example.com"]
    # The primary address cannot be removed: everyone keeps one for codes, resets and notices.
    kept = browser.delete(f"{BROWSER}/account/email", {"email": "second@example.com"})
    assert allauth_errors(kept) == {"email": "cannot_remove_primary_email"}
    assert [row["email"] for row in browser.get(f"{BROWSER}/account/email").json()["data"]] == ["second@example.com"]


# --- Sessions ---------------------------------------------------------------------------------------------------
def test_sessions_list_and_sign_out_everywhere_else(admin: Any) -> None:
    laptop, phone, tablet = Browser(), Browser(HTTP_USER_AGENT="Phone"), Browser(HTTP_USER_AGENT="Tablet")
    for browser in (laptop, phone, tablet):
        assert browser.login(PASSWORD, username=admin.username).status_code == 200
    listed = laptop.get(f"{BROWSER}/auth/sessions")
    assert listed.status_code == 200
    sessions = listed.json()["data"]
    assert len(sessions) == 3
    assert [s["is_current"] for s in sessions].count(True) == 1
    others = [s["id"] for s in sessions if not s["is_current"]]

    resp = laptop.delete(f"{BROWSER}/auth/sessions", {"sessions": others})
    assert resp.status_code == 200, resp.json()
    assert [s["is_current"] for s in resp.json()["data"]] == [True]
    assert laptop.get("/api/v1/me").status_code == 200
    for browser in (phone, tablet):
        error(browser.get("/api/v1/me"), 401, "not_authenticated")
        assert browser.get("/api/v1/auth/session").json()["authenticated"] is False
    assert UserSession.objects.filter(user=admin).count() == 1


def test_someone_else_s_session_cannot_be_ended(admin: Any, reviewer: Any) -> None:
    mine, theirs = Browser(), Browser()
    mine.login(PASSWORD, username=admin.username)
    theirs.login(PASSWORD, username=reviewer.username)
    their_id = UserSession.objects.get(user=reviewer).pk
    mine.delete(f"{BROWSER}/auth/sessions", {"sessions": [their_id]})
    assert theirs.get("/api/v1/me").status_code == 200


# --- App clients and API tokens ----------------------------------------------------------------------------------
def test_app_clients_log_in_for_a_session_token(admin: Any) -> None:
    app = APIClient()
    resp = app.post(f"{APP}/auth/login", {"username": admin.username, "password": PASSWORD}, format="json")
    assert resp.status_code == 200, resp.json()
    token = resp.json()["meta"]["session_token"]
    assert APIClient().get("/api/v1/me", HTTP_X_SESSION_TOKEN=token).json()["id"] == admin.pk
    assert APIClient().get(f"{APP}/auth/session", HTTP_X_SESSION_TOKEN=token).status_code == 200
    # No cookie session came of it, and a wrong token is nobody.
    assert app.get("/api/v1/auth/session").json()["authenticated"] is False
    error(APIClient().get("/api/v1/me", HTTP_X_SESSION_TOKEN="not-a-token"), 401, "not_authenticated")
    # Logging out the app session ends the token.
    assert APIClient().delete(f"{APP}/auth/session", HTTP_X_SESSION_TOKEN=token).status_code == 401
    error(APIClient().get("/api/v1/me", HTTP_X_SESSION_TOKEN=token), 401, "not_authenticated")


def test_api_tokens_still_authenticate(admin: Any) -> None:
    raw = api_token_create(user=admin, name="ci", scopes=["projects:read"], expires_in_days=1).raw
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get("/api/v1/me").json()["id"] == admin.pk
    assert client.get("/api/v1/projects").status_code == 200
    client.credentials(HTTP_AUTHORIZATION="Bearer atl_not-a-token")
    error(client.get("/api/v1/me"), 401, "authentication_failed")


# --- Deactivated people -------------------------------------------------------------------------------------------
def test_a_deactivated_person_is_refused_everywhere_at_once(admin: Any) -> None:
    browser = Browser()
    browser.login(PASSWORD, username=admin.username)
    app = APIClient().post(f"{APP}/auth/login", {"username": admin.username, "password": PASSWORD}, format="json")
    session_token = app.json()["meta"]["session_token"]
    raw = api_token_create(user=admin, name="ci", scopes=["projects:read"], expires_in_days=1).raw
    bearer = APIClient()
    bearer.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert browser.get("/api/v1/me").status_code == 200

    User.objects.filter(pk=admin.pk).update(is_active=False)

    error(browser.get("/api/v1/me"), 401, "not_authenticated")
    assert browser.get("/api/v1/auth/session").json() == {"authenticated": False, "user": None}
    error(APIClient().get("/api/v1/me", HTTP_X_SESSION_TOKEN=session_token), 401, "not_authenticated")
    error(bearer.get("/api/v1/me"), 401, "authentication_failed")
    again = Browser().login(PASSWORD, username=admin.username)
    assert again.status_code in (400, 401), again.json()
    assert again.json()["meta"]["is_authenticated"] is False if again.status_code == 401 else True
    error(Browser().get("/api/v1/me"), 401, "not_authenticated")


# --- The session probe and our own error shape --------------------------------------------------------------------
def test_the_session_probe_answers_anonymous_callers_without_an_error(api: APIClient) -> None:
    resp = api.get("/api/v1/auth/session")
    assert resp.status_code == 200
    assert resp.json() == {"authenticated": False, "user": None}
    error(api.get("/api/v1/me"), 401, "not_authenticated")


def test_the_session_probe_ignores_tokens() -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer atl_not-a-token")
    resp = client.get("/api/v1/auth/session")
    assert resp.json() == {"authenticated": False, "user": None}


def test_the_old_login_route_is_gone(api: APIClient) -> None:
    error(api.post("/api/v1/auth/login", {"username": "a", "password": "b"}), 404, "not_found")


def test_malformed_json_is_a_parse_error(client_for: Any, admin: Any) -> None:
    resp = client_for(admin).generic("POST", "/api/v1/tokens", '{"name": "a", ', content_type="application/json")
    assert "JSON parse error" in error(resp, 400, "parse_error")["message"]


def test_a_json_array_is_not_an_object(client_for: Any, admin: Any) -> None:
    resp = client_for(admin).post("/api/v1/tokens", ["x"], format="json")
    assert "Expected a dictionary" in error(resp, 400, "invalid")["message"]


def test_unknown_fields_are_refused(client_for: Any, freelancer: Any) -> None:
    resp = client_for(freelancer).patch("/api/v1/me/profile", {"display_name": "x", "remember": True}, format="json")
    assert error(resp, 400, "unknown_fields")["fields"] == {"remember": ["Unknown field."]}
    freelancer.refresh_from_db()
    assert freelancer.display_name != "x"


def test_wrong_content_type_is_415(client_for: Any, admin: Any) -> None:
    resp = client_for(admin).post("/api/v1/tokens", "name=a", content_type="application/x-www-form-urlencoded")
    error(resp, 415, "unsupported_media_type")


def test_allauth_serves_its_openapi_document(api: APIClient) -> None:
    resp = api.get("/_allauth/openapi.json")
    assert resp.status_code == 200
    spec = resp.json()
    assert spec["info"]["title"].startswith("django-allauth")
    assert any(p.endswith("/auth/login") for p in spec["paths"])
    assert api.get("/_allauth/openapi.yaml").status_code == 200
