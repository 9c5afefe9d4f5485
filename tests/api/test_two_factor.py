"""Two-factor authentication through allauth's headless API (an authenticator app and recovery codes, the code
computed here as the app would), and an organization's policy that its staff have it (Organization.require_two_factor:
403 two_factor_required on every /api/v1 route but the session probe, the CSRF token and /me)."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from rest_framework.test import APIClient

from annotations.api.permissions import TWO_FACTOR_REQUIRED_MESSAGE
from annotations.services.tokens import api_token_create
from tests.allauth_client import APP, BROWSER, Browser, totp_code
from tests.factories import PASSWORD, OrganizationFactory, UserFactory
from tests.smtp import text_of

pytestmark = pytest.mark.django_db
TOTP = f"{BROWSER}/account/authenticators/totp"
RECOVERY = f"{BROWSER}/account/authenticators/recovery-codes"


@pytest.fixture(autouse=True)
def _one_period_of_slack(settings: Any) -> None:
    """allauth refuses a TOTP code used once already; with one period of tolerance a test can sign in again at once
    with the next period's code instead of waiting 30 seconds."""
    settings.MFA_TOTP_TOLERANCE = 1


def error(resp: Any, status: int, code: str) -> dict[str, Any]:
    body = resp.json()
    assert resp.status_code == status, body
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "code", "message", "fields"}
    assert (body["error"]["status"], body["error"]["code"]) == (status, code)
    return dict(body["error"])


def signed_in(user: Any) -> Browser:
    browser = Browser()
    resp = browser.login(PASSWORD, username=user.username)
    assert resp.status_code == 200, resp.json()
    return browser


def activate_totp(browser: Browser) -> str:
    """Set up an authenticator app the way the settings page does; returns its secret. allauth asks for the
    password again first (a login alone does not count as a recent re-authentication)."""
    offered = browser.get(TOTP)
    assert offered.status_code == 404, offered.json()  # not set up yet: allauth offers a secret to scan
    secret = str(offered.json()["meta"]["secret"])
    assert offered.json()["meta"]["totp_url"].startswith("otpauth://totp/")
    assert "issuer=Atelier" in offered.json()["meta"]["totp_url"]
    first = browser.post(TOTP, {"code": totp_code(secret)})
    assert first.status_code == 401, first.json()
    assert first.json()["data"]["flows"][0]["id"] == "reauthenticate"
    again = browser.post(f"{BROWSER}/auth/reauthenticate", {"password": PASSWORD})
    assert again.status_code == 200, again.json()
    resp = browser.post(TOTP, {"code": totp_code(secret)})
    assert resp.status_code == 200, resp.json()
    return secret


# --- The round trip ---------------------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_totp_set_up_then_a_login_needs_the_code(mailbox: Any, freelancer: Any) -> None:
    browser = signed_in(freelancer)
    wrong = browser.post(TOTP, {"code": "000000"})
    assert wrong.status_code == 400
    assert [e["code"] for e in wrong.json()["errors"]] == ["incorrect_code"]
    assert not Authenticator.objects.filter(user=freelancer).exists()

    secret = activate_totp(browser)
    active = browser.get(TOTP).json()
    assert active["data"]["type"] == "totp"
    assert browser.get("/api/v1/me").json()["two_factor_enabled"] is True
    (mail,) = mailbox.wait_for(freelancer.email, subject="two-factor authentication turned on")
    assert "Atelier" in text_of(mail)

    codes = browser.get(RECOVERY)
    assert codes.status_code == 200, codes.json()
    recovery = codes.json()["data"]["unused_codes"]
    assert len(recovery) == codes.json()["data"]["total_code_count"] > 0

    browser.delete(f"{BROWSER}/auth/session")
    again = Browser()
    first = again.login(PASSWORD, username=freelancer.username)
    assert first.status_code == 401
    assert [f["id"] for f in first.json()["data"]["flows"] if f.get("is_pending")] == ["mfa_authenticate"]
    error(again.get("/api/v1/me"), 401, "not_authenticated")  # the password alone signs nobody in
    bad = again.post(f"{BROWSER}/auth/2fa/authenticate", {"code": "123456"})
    assert bad.status_code == 400
    resp = again.post(f"{BROWSER}/auth/2fa/authenticate", {"code": totp_code(secret, step=1)})
    assert resp.status_code == 200, resp.json()
    assert [m["method"] for m in resp.json()["data"]["methods"]] == ["password", "mfa"]
    assert again.get("/api/v1/me").json()["id"] == freelancer.pk


def test_a_recovery_code_signs_in_once(freelancer: Any) -> None:
    browser = signed_in(freelancer)
    activate_totp(browser)
    code = browser.get(RECOVERY).json()["data"]["unused_codes"][0]
    for attempt in range(2):
        other = Browser()
        assert other.login(PASSWORD, username=freelancer.username).status_code == 401
        resp = other.post(f"{BROWSER}/auth/2fa/authenticate", {"code": code})
        if attempt == 0:
            assert resp.status_code == 200, resp.json()
        else:
            assert resp.status_code == 400, resp.json()  # spent
    left = browser.get(RECOVERY).json()["data"]
    assert code not in left["unused_codes"]
    assert left["unused_code_count"] == left["total_code_count"] - 1


@pytest.mark.django_db(transaction=True)
def test_new_recovery_codes_replace_the_old(mailbox: Any, freelancer: Any) -> None:
    browser = signed_in(freelancer)
    activate_totp(browser)
    old = set(browser.get(RECOVERY).json()["data"]["unused_codes"])
    resp = browser.post(RECOVERY)
    assert resp.status_code == 200, resp.json()
    assert not old & set(resp.json()["data"]["unused_codes"])
    assert mailbox.wait_for(freelancer.email, subject="new recovery codes")


@pytest.mark.django_db(transaction=True)
def test_turning_totp_off(mailbox: Any, freelancer: Any) -> None:
    browser = signed_in(freelancer)
    activate_totp(browser)
    resp = browser.delete(TOTP)
    assert resp.status_code == 200, resp.json()
    assert not Authenticator.objects.filter(user=freelancer).exists()  # recovery codes go with it
    assert browser.get("/api/v1/me").json()["two_factor_enabled"] is False
    assert mailbox.wait_for(freelancer.email, subject="two-factor authentication turned off")
    assert Browser().login(PASSWORD, username=freelancer.username).status_code == 200


# --- The organization's policy -------------------------------------------------------------------------------------
@pytest.fixture
def strict_org() -> Any:
    return OrganizationFactory.create(require_two_factor=True)


@pytest.mark.parametrize("role", ["admin", "reviewer"])
def test_staff_of_a_strict_organization_need_two_factor_for_the_api(strict_org: Any, role: str) -> None:
    user = UserFactory.create(role=role, organization=strict_org)
    browser = signed_in(user)

    err = error(browser.get("/api/v1/projects"), 403, "two_factor_required")
    assert err["message"] == TWO_FACTOR_REQUIRED_MESSAGE
    assert "account settings" in err["message"]
    error(browser.post("/api/v1/tokens", {"name": "x", "scopes": ["projects:read"]}), 403, "two_factor_required")
    error(browser.get("/api/v1/tokens"), 403, "two_factor_required")
    # What the app needs to send them to set it up stays open.
    me = browser.get("/api/v1/me")
    assert me.status_code == 200
    assert (me.json()["two_factor_enabled"], me.json()["two_factor_required"]) == (False, True)
    assert browser.get("/api/v1/auth/session").json()["user"] == me.json()
    assert browser.get("/api/v1/auth/csrf").status_code == 200
    assert browser.get(f"{BROWSER}/auth/session").status_code == 200  # allauth's own endpoints too

    activate_totp(browser)

    assert browser.get("/api/v1/projects").status_code == 200
    me = browser.get("/api/v1/me").json()
    assert (me["two_factor_enabled"], me["two_factor_required"]) == (True, False)


def test_the_policy_binds_only_that_organization_s_staff(strict_org: Any, org: Any) -> None:
    elsewhere = UserFactory.create(role="admin", organization=org)
    freelancer = UserFactory.create(role="freelancer")
    for user in (elsewhere, freelancer):
        browser = signed_in(user)
        assert browser.get("/api/v1/projects").status_code == 200
        assert browser.get("/api/v1/me").json()["two_factor_required"] is False


def test_an_organization_turning_the_policy_on_stops_its_staff_at_once(org: Any, admin: Any) -> None:
    browser = signed_in(admin)
    assert browser.get("/api/v1/projects").status_code == 200
    org.require_two_factor = True
    org.save(update_fields=["require_two_factor"])
    error(browser.get("/api/v1/projects"), 403, "two_factor_required")


def test_an_api_token_of_such_a_person_is_refused_until_totp_is_on(strict_org: Any) -> None:
    user = UserFactory.create(role="admin", organization=strict_org)
    raw = api_token_create(user=user, name="ci", scopes=["projects:read"], expires_in_days=1).raw
    bearer = APIClient()
    bearer.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    error(bearer.get("/api/v1/projects"), 403, "two_factor_required")
    assert bearer.get("/api/v1/me").json()["two_factor_required"] is True

    activate_totp(signed_in(user))

    assert bearer.get("/api/v1/projects").status_code == 200
    assert bearer.get("/api/v1/me").json()["two_factor_required"] is False


def test_an_app_session_token_of_such_a_person_is_refused_too(strict_org: Any) -> None:
    user = UserFactory.create(role="reviewer", organization=strict_org)
    resp = APIClient().post(f"{APP}/auth/login", {"username": user.username, "password": PASSWORD}, format="json")
    token = resp.json()["meta"]["session_token"]
    error(APIClient().get("/api/v1/projects", HTTP_X_SESSION_TOKEN=token), 403, "two_factor_required")
    assert APIClient().get("/api/v1/me", HTTP_X_SESSION_TOKEN=token).status_code == 200


def two_factor_queries(captured: Any) -> int:
    return sum("mfa_authenticator" in q["sql"] for q in captured.captured_queries)


def test_the_two_factor_fields_cost_one_query(
    client_for: Any, strict_org: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(UserFactory.create(role="admin", organization=strict_org))
    with django_assert_max_num_queries(10) as captured:
        me = client.get("/api/v1/me")
    assert me.json()["two_factor_required"] is True
    assert two_factor_queries(captured) == 1


@pytest.mark.parametrize(("role", "queries"), [("freelancer", 0), ("admin", 1)])
def test_the_policy_costs_staff_one_query_and_freelancers_none(
    client_for: Any, org: Any, django_assert_max_num_queries: Any, role: str, queries: int
) -> None:
    client = client_for(UserFactory.create(role=role, organization=org if role == "admin" else None))
    with django_assert_max_num_queries(12) as captured:
        assert client.get("/api/v1/tokens").status_code == 200
    assert two_factor_queries(captured) == queries


def test_recovery_codes_alone_are_not_two_factor(strict_org: Any) -> None:
    user = UserFactory.create(role="admin", organization=strict_org)
    Authenticator.objects.create(user=user, type=Authenticator.Type.RECOVERY_CODES, data={})
    assert strict_org.require_two_factor
    error(signed_in(user).get("/api/v1/projects"), 403, "two_factor_required")
