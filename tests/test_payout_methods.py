"""Payout methods through the API, as the browser uses it (allauth's session, CSRF), with mail read from the SMTP
server on loopback: adding, verifying by the mailed code, the recent-login rule, holds, name checks, and two tabs
racing on PostgreSQL."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from annotations.models import AuditEvent, PayoutMethod, User
from annotations.selectors.payout_methods import payable_reason
from tests.allauth_client import Browser, totp_code
from tests.conftest import ROOT, worker_database_url
from tests.factories import UserFactory, with_totp
from tests.smtp import text_of

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a long enough password 1"
URL = "/api/v1/me/payout-methods"


@pytest.fixture(autouse=True)
def _rails(settings: Any) -> None:
    settings.PAYOUT_RAILS = ["sandbox", "paypal"]
    settings.PAYPAL_CLIENT_ID, settings.PAYPAL_CLIENT_SECRET = "client", "secret"
    settings.PAYOUT_METHOD_HOLD_HOURS = 48


def fay() -> User:
    user = UserFactory.create(role="freelancer", display_name="Fay Fontaine", email="fay@example.org")
    user.set_password(PASSWORD)
    user.save()
    return user


def signed_in(user: User) -> Browser:
    browser = Browser()
    assert browser.login(PASSWORD, username=user.username).status_code == 200
    return browser


def add_paypal(browser: Browser, **overrides: str) -> Any:
    body = {"rail": "paypal", "receiver": "fay.paypal@example.org", "account_name": "Fay Fontaine", "country": "PT"}
    return browser.post(URL, {**body, "currency": "EUR", **overrides})


def code_for(mailbox: Any, address: str, n: int = 1) -> str:
    message = mailbox.wait_for(address, count=n, subject="payout code")[-1]
    found = re.search(r"\b(\d{6})\b", text_of(message))
    assert found
    return found.group(1)


def test_a_paypal_method_is_added_verified_by_the_mailed_code_and_held(mailbox: Any) -> None:
    user = fay()
    browser = signed_in(user)
    answer = add_paypal(browser)
    assert answer.status_code == 201, answer.json()
    method = answer.json()
    assert method["status"] == "unverified" and not method["is_default"] and not method["payable"]
    code = code_for(mailbox, "fay.paypal@example.org")
    notice = mailbox.wait_for("fay@example.org", subject="payout details changed")[0]
    assert "a payout method was added" in text_of(notice) and "nothing is paid to it before" in text_of(notice)

    wrong = "000000" if code != "000000" else "111111"
    refused = browser.post(f"{URL}/{method['id']}/verify", {"code": wrong})
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "wrong_code"
    assert "4 tries left" in refused.json()["error"]["fields"]["code"][0]
    verified = browser.post(f"{URL}/{method['id']}/verify", {"code": code}).json()
    assert verified["status"] == "active" and verified["is_default"]  # the first verified method is the default
    assert not verified["payable"] and "On hold until" in verified["blocked_reason"]
    row = PayoutMethod.objects.get(pk=method["id"])
    assert abs((row.hold_until - timezone.now()) - timedelta(hours=48)) < timedelta(minutes=1)
    assert payable_reason(row, now=timezone.now() + timedelta(hours=49)) == ""
    actions = list(AuditEvent.objects.filter(target_id=str(row.pk)).values_list("action", flat=True))
    assert {"payout_method.added", "payout_method.verified"} <= set(actions)
    listed = browser.get(URL).json()
    assert [m["id"] for m in listed["results"]] == [row.pk]


def test_five_wrong_codes_use_the_code_up_and_a_new_one_waits_a_minute(mailbox: Any) -> None:
    user = fay()
    browser = signed_in(user)
    method = add_paypal(browser).json()
    code = code_for(mailbox, "fay.paypal@example.org")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        browser.post(f"{URL}/{method['id']}/verify", {"code": wrong})
    spent = browser.post(f"{URL}/{method['id']}/verify", {"code": code})
    assert spent.status_code == 400 and spent.json()["error"]["code"] == "code_expired"
    soon = browser.post(f"{URL}/{method['id']}/resend-code")
    assert soon.status_code == 429 and soon.headers["Retry-After"]
    PayoutMethod.objects.filter(pk=method["id"]).update(code_sent_at=timezone.now() - timedelta(minutes=2))
    assert browser.post(f"{URL}/{method['id']}/resend-code").status_code == 200
    fresh = code_for(mailbox, "fay.paypal@example.org", n=2)
    assert browser.post(f"{URL}/{method['id']}/verify", {"code": fresh}).json()["status"] == "active"


def test_changes_need_a_recent_login_and_the_second_factor(mailbox: Any) -> None:
    user = fay()
    stale = APIClient()
    stale.force_authenticate(user)  # signed in, but not through a login this session remembers
    answer = stale.post(
        URL,
        {"rail": "paypal", "receiver": "x@example.org", "account_name": "Fay", "country": "PT", "currency": "EUR"},
        format="json",
    )
    assert answer.status_code == 403 and answer.json()["error"]["code"] == "reauthentication_required"
    assert not PayoutMethod.objects.exists()

    secret = with_totp(user)
    browser = Browser()
    assert browser.login(PASSWORD, username=user.username).status_code == 401  # the second factor is asked for
    assert browser.post("/_allauth/browser/v1/auth/2fa/authenticate", {"code": totp_code(secret)}).status_code == 200
    assert add_paypal(browser).status_code == 201  # password and code, both just now

    from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore

    session = SessionStore(session_key=browser.client.cookies["sessionid"].value)
    records = session[AUTHENTICATION_METHODS_SESSION_KEY]
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [{**r, "at": r["at"] - 3600} for r in records]  # an hour ago
    session.save()
    [method] = PayoutMethod.objects.all()
    refused = browser.delete(f"{URL}/{method.pk}")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "reauthentication_required"
    assert browser.post("/_allauth/browser/v1/auth/reauthenticate", {"password": PASSWORD}).status_code == 200
    still = browser.delete(f"{URL}/{method.pk}")  # the password alone is not enough with an authenticator app
    assert still.status_code == 403
    cache.clear()  # allauth refuses a code used once in its period: this is the next period's login, sooner
    mfa = browser.post("/_allauth/browser/v1/auth/2fa/reauthenticate", {"code": totp_code(secret)})
    assert mfa.status_code == 200, mfa.json()
    assert browser.delete(f"{URL}/{method.pk}").status_code == 204
    assert PayoutMethod.objects.get(pk=method.pk).status == "removed"


def test_tokens_cannot_touch_payout_methods() -> None:
    from annotations.services.tokens import api_token_create

    user = fay()
    token = api_token_create(user=user, name="ci", scopes=["projects:read"], expires_in_days=None)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.raw}")
    answer = client.get(URL)
    assert answer.status_code == 403 and answer.json()["error"]["code"] == "insufficient_scope"


def test_bad_input_gets_a_clear_400_and_changes_nothing(mailbox: Any, reviewer: Any) -> None:
    browser = signed_in(fay())
    unpaid = add_paypal(browser, currency="NGN")
    assert unpaid.status_code == 400 and "NGN" in unpaid.json()["error"]["fields"]["currency"][0]
    sanctioned = add_paypal(browser, country="IR", currency="USD")
    assert sanctioned.status_code == 400 and "country" in sanctioned.json()["error"]["fields"]["country"][0]
    not_email = add_paypal(browser, receiver="not an address")
    assert not_email.status_code == 400 and "receiver" in not_email.json()["error"]["fields"]
    not_offered = add_paypal(browser, rail="stripe")
    assert not_offered.status_code == 400 and "rail" in not_offered.json()["error"]["fields"]
    unknown = browser.post(URL, {"rail": "paypal", "iban": "PT50"})
    assert unknown.status_code == 400
    assert not PayoutMethod.objects.exists()
    assert add_paypal(browser).status_code == 201
    again = add_paypal(browser, receiver="FAY.PAYPAL@example.org")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_added"
    client = APIClient()
    client.force_authenticate(reviewer)
    assert client.get(URL).status_code == 403


def test_a_name_unlike_the_profiles_is_held_until_an_operator_releases_it(mailbox: Any, org: Any) -> None:
    user = fay()
    browser = signed_in(user)
    method = add_paypal(browser, account_name="Somebody Else").json()
    assert method["review"] == "held"
    assert add_paypal(browser, receiver="fay2@example.org", account_name="fontaine FAY").json()["review"] == "clear"
    row = PayoutMethod.objects.get(pk=method["id"])
    later = timezone.now() + timedelta(hours=49)
    PayoutMethod.objects.filter(pk=row.pk).update(status="active")
    row.refresh_from_db()
    assert "differs from your profile" in payable_reason(row, now=later)

    staff, not_operator = APIClient(), APIClient()
    staff.force_authenticate(UserFactory.create(role="admin", organization=org, is_staff=True))
    not_operator.force_authenticate(UserFactory.create(role="admin", organization=org))
    assert not_operator.get("/api/v1/payout-methods/held").status_code == 403
    held = staff.get("/api/v1/payout-methods/held").json()["results"]
    assert [(h["id"], h["freelancer"]) for h in held] == [(row.pk, "Fay Fontaine")]
    assert not_operator.post(f"/api/v1/payout-methods/{row.pk}/release").status_code == 403
    assert staff.post(f"/api/v1/payout-methods/{row.pk}/release").json()["review"] == "released"
    row.refresh_from_db()
    assert payable_reason(row, now=later) == ""
    assert staff.post(f"/api/v1/payout-methods/{row.pk}/release").status_code == 409


def _race(action: str, username: str, args: list[str]) -> list[dict[str, Any]]:
    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "REDIS_URL": "",
        "S3_BUCKET": "",
        "EMAIL_URL": "consolemail://",
        "PAYOUT_RAILS": "sandbox,paypal",
        "PAYPAL_CLIENT_ID": "client",
        "PAYPAL_CLIENT_SECRET": "secret",
    }
    start_at = time.time() + 6
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.payout_method_once", action, username, arg, str(start_at)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for arg in args
    ]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err[-2000:]
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def test_tabs_racing_to_add_one_address_or_choose_defaults_end_with_one() -> None:
    """Six processes of one freelancer add the same address at the same moment; then six make six different
    methods the default at once. One address, one default, and nobody sees a server error."""
    user = fay()
    added = _race("add", user.username, ["same@example.org"] * 6)
    assert sorted(str(r["error"]) for r in added) == ["None"] + ["already_added"] * 5
    assert PayoutMethod.objects.filter(receiver="same@example.org").count() == 1

    ids = []
    for n in range(6):
        m = PayoutMethod.objects.create(
            freelancer=user,
            rail="paypal",
            receiver=f"m{n}@example.org",
            account_name="Fay Fontaine",
            country="PT",
            currency="EUR",
            status="active",
            hold_until=timezone.now(),
        )
        ids.append(str(m.pk))
    chosen = _race("default", user.username, ids)
    assert [r["error"] for r in chosen] == [None] * 6
    assert PayoutMethod.objects.filter(freelancer=user, is_default=True).count() == 1


def test_the_rails_offered_are_listed_as_the_schema_says() -> None:
    browser = signed_in(fay())
    rails = browser.get(f"{URL}/rails").json()
    assert [(r["rail"], r["name"], r["verification"]) for r in rails] == [
        ("sandbox", "Sandbox (test payouts)", "code"),
        ("paypal", "PayPal", "code"),
    ]
    assert "EUR" in rails[1]["currencies"] and "NGN" not in rails[1]["currencies"]


def test_a_rails_fee_is_said_in_the_persons_language_and_flagged_when_there_is_none(settings: Any) -> None:
    settings.PAYOUT_FEES = {"paypal": "2% max 20.00"}
    browser = signed_in(fay())
    rails = {r["rail"]: r for r in browser.get(f"{URL}/rails", HTTP_ACCEPT_LANGUAGE="es").json()}
    assert (rails["sandbox"]["fee"], rails["sandbox"]["fee_free"]) == ("Sin comisión", True)
    assert rails["paypal"]["fee_free"] is False and "como máximo" in rails["paypal"]["fee"]
    assert rails["paypal"]["description"].startswith("Se paga al correo electrónico de tu cuenta de PayPal")
