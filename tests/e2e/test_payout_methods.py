"""A freelancer adds a PayPal address (verified with the code from its mail) and a bank account through Stripe
(onboarding followed on the loopback Stripe server), sees the holds, and confirms it is them when the login is old.
Photographed at desktop and phone width."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore
from django.utils import timezone

from annotations.models import AuditEvent, Payout, PayoutMethod, User
from annotations.services.ledger import Leg, ledger_post, payable
from annotations.services.payouts import payout_send, payouts_gather
from tests.e2e.conftest import login
from tests.e2e.test_journey import shoot
from tests.rails.stripe_server import StripeServer
from tests.smtp import text_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def rails(settings: Any, live_server: Any) -> Iterator[StripeServer]:
    server = StripeServer(webhook_secret="whsec_e2e").start()
    settings.PAYOUT_RAILS = ["paypal", "stripe", "sandbox"]
    settings.PAYPAL_CLIENT_ID, settings.PAYPAL_CLIENT_SECRET = "client", "secret"
    settings.STRIPE_API_BASE, settings.STRIPE_SECRET_KEY = server.url, "sk_test_e2e"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_e2e"
    settings.SITE_URL = live_server.url
    settings.PAYOUT_FEES = {"paypal": "2% max 20.00"}
    yield server
    server.stop()


def age_the_login(page: Any) -> None:
    """As if the freelancer signed in an hour ago: the session's authentication records are that old."""
    cookie = next(c for c in page.context.cookies() if c["name"] == "sessionid")
    session = SessionStore(session_key=cookie["value"])
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {**r, "at": r["at"] - 3600} for r in session[AUTHENTICATION_METHODS_SESSION_KEY]
    ]
    session.save()


def test_a_freelancer_adds_paypal_and_stripe_sees_the_holds_and_is_paid(
    page: Any,
    browser: Any,
    live_server: Any,
    demo_data: dict[str, int],
    screenshots: Path,
    mailbox: Any,
    rails: StripeServer,
) -> None:
    fay = User.objects.get(username="freelancer")
    login(page, "freelancer")
    page.wait_for_url(re.compile(r"/tasks$"))
    page.goto("/earnings")
    page.get_by_role("link", name="Payout methods").click()
    page.wait_for_url(re.compile(r"/earnings/methods$"))
    page.get_by_text("No payout method yet").wait_for()
    shoot(page, screenshots, "empty", "payout-methods")

    # --- PayPal: refused for a currency PayPal does not pay, then added and verified by the mailed code ----------
    form = page.get_by_role("form", name="Add a payout method")
    form.get_by_test_id("fee-paypal").get_by_text("2% (at most 20.00)").wait_for()  # shown before choosing
    form.get_by_test_id("fee-stripe").get_by_text("none").wait_for()
    form.get_by_label("PayPal", exact=False).first.check()
    form.get_by_label("PayPal email address").fill("fay.paypal@example.org")
    form.get_by_label("Name on the account").fill("Fay Freelancer")
    form.get_by_label("Country").select_option("PT")
    form.get_by_label("Currency").select_option("EUR")
    form.get_by_role("button", name="Add and send the code").click()
    card = page.get_by_role("article", name="PayPal fay.paypal@example.org")
    card.get_by_text("Waiting for verification").wait_for()
    (message,) = mailbox.wait_for("fay.paypal@example.org", subject="payout code")
    code = re.search(r"\b(\d{6})\b", text_of(message))
    assert code
    card.get_by_label("Code sent to fay.paypal@example.org").fill("000000" if code.group(1) != "000000" else "111111")
    card.get_by_role("button", name="Verify", exact=True).click()
    card.get_by_text("tries left").wait_for()
    shoot(page, screenshots, "code", "payout-methods")
    card.get_by_label("Code sent to fay.paypal@example.org").fill(code.group(1))
    card.get_by_role("button", name="Verify", exact=True).click()
    page.get_by_text("The address is verified.").wait_for()
    card.get_by_text("On hold").wait_for()
    card.get_by_text("Default").wait_for()
    notice = mailbox.wait_for(fay.email, subject="payout details changed")[0]
    assert "a payout method was added" in text_of(notice)

    # --- Stripe: created, onboarding followed on Stripe's (loopback) hosted page, back and verified --------------
    form.get_by_label("Bank account through Stripe").check()
    form.get_by_label("Country").select_option("DE")
    form.get_by_label("Currency").select_option("EUR")
    form.get_by_role("button", name="Add and continue to Stripe").click()
    page.get_by_text("finish its onboarding").wait_for()
    stripe_card = page.locator("article.payout-method", has_text="Bank account through Stripe")
    stripe_card.get_by_role("button", name="Continue onboarding with Stripe").click()
    page.get_by_role("heading", name="Set up payouts").wait_for()
    page.get_by_role("button", name="Complete onboarding").click()
    page.wait_for_url(re.compile(r"/earnings/methods"))
    page.get_by_text("Stripe finished setting up your account").wait_for()
    stripe_method = PayoutMethod.objects.get(freelancer=fay, rail="stripe")
    assert stripe_method.status == "active" and stripe_method.receiver.startswith("acct_")
    assert not stripe_method.is_default  # the PayPal address stays the default
    shoot(page, screenshots, "two", "payout-methods")

    # --- An old login: making Stripe the default asks for the password first ---------------------------------------
    age_the_login(page)
    stripe_card = page.locator("article.payout-method", has_text="Bank account through Stripe")
    stripe_card.get_by_role("button", name="Make default").click()
    dialog = page.get_by_role("dialog", name="Confirm it is you")
    dialog.get_by_label("Password").fill("atelier-demo")
    shoot(page, screenshots, "reauth", "payout-methods")
    dialog.get_by_role("button", name="Confirm").click()
    page.get_by_text("Your payouts go here from now on").wait_for()
    stripe_method.refresh_from_db()
    assert stripe_method.is_default
    assert PayoutMethod.objects.filter(freelancer=fay, is_default=True).count() == 1
    assert AuditEvent.objects.filter(action="payout_method.made_default", target_id=str(stripe_method.pk)).exists()
    stripe_card.get_by_text("Default").wait_for()
    shoot(page, screenshots, "default", "payout-methods")

    # --- Two days on, the hourly round pays the balance to Stripe; both sides see it ---------------------------
    PayoutMethod.objects.filter(freelancer=fay).update(hold_until=timezone.now() - timedelta(minutes=1))
    ledger_post(
        kind="earning",
        key="e2e-earning",
        memo="Approved work",
        legs=[Leg("project:1:funding", -2500, "EUR"), Leg(payable(fay.pk), 2500, "EUR")],
        freelancer=fay,
    )
    assert payouts_gather() == 1
    payout = Payout.objects.get(freelancer=fay)
    payout_send(payout_id=payout.pk)
    payout.refresh_from_db()
    assert (payout.provider, payout.state, payout.method_id) == ("stripe", "confirmed", stripe_method.pk)
    assert rails.transfers_by_key() == {payout.idempotency_key: 1}
    page.goto("/earnings")
    mine = page.get_by_test_id("my-payouts")
    mine.get_by_text(payout.provider_ref).wait_for()
    mine.get_by_text("Bank account through Stripe").wait_for()
    shoot(page, screenshots, "paid", "payout-methods")

    # --- The operator sees it by rail, and releases a method held for its name ----------------------------------
    other = User.objects.get(username="maya")
    held = PayoutMethod.objects.create(
        freelancer=other,
        rail="paypal",
        receiver="someone.else@example.org",
        account_name="Someone Else",
        country="NO",
        currency="EUR",
        status="active",
        review="held",
        hold_until=timezone.now(),
    )
    admin = browser.new_context(viewport={"width": 1360, "height": 900}, base_url=live_server.url).new_page()
    login(admin, "admin")
    admin.wait_for_url(re.compile(r"/projects"))
    admin.goto("/payouts")
    admin.get_by_label("Rail").select_option("stripe")
    admin.locator("table tbody tr", has_text=payout.provider_ref).wait_for()
    queue = admin.get_by_test_id("held-methods")
    queue.get_by_text("Someone Else").wait_for()
    shoot(admin, screenshots, "admin", "payout-methods")
    queue.get_by_role("button", name="Release").click()
    queue.wait_for(state="detached")
    held.refresh_from_db()
    assert held.review == "released"
