"""Payouts through the freelancer's payout method and its rail: PayPal (a batch per payout, settled by a verified
webhook or the sweep) and Stripe Connect (a transfer), counted at the loopback rail, once each through redelivered
tasks, duplicate webhooks and worker kills."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import requests
from django.test import Client
from django.utils import timezone

from annotations.models import LedgerEntry, Payout, PayoutMethod, RailWebhookEvent, User
from annotations.providers.rails.stripe_connect import StripeConnectRail
from annotations.services.ledger import Leg, balance, ledger_post, payable
from annotations.services.payouts import payout_send, payouts_gather, payouts_sweep, reconcile
from tests.conftest import ROOT, free_port, start_worker, wait_for_port, worker_database_url
from tests.factories import UserFactory
from tests.rails.paypal_server import PayPalServer
from tests.rails.stripe_server import StripeServer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def paypal(settings: Any) -> Iterator[PayPalServer]:
    server = PayPalServer(client_id="client", client_secret="secret", webhook_id="WH1").start()
    settings.PAYOUT_RAILS = ["paypal", "stripe", "sandbox"]
    settings.PAYPAL_API_BASE, settings.PAYPAL_CLIENT_ID, settings.PAYPAL_CLIENT_SECRET = server.url, "client", "secret"
    settings.PAYPAL_WEBHOOK_ID = "WH1"
    yield server
    server.stop()


@pytest.fixture
def stripe_rail(settings: Any) -> Iterator[StripeServer]:
    server = StripeServer(webhook_secret="whsec_rails").start()
    settings.STRIPE_API_BASE, settings.STRIPE_SECRET_KEY, settings.STRIPE_WEBHOOK_SECRET = (
        server.url,
        "sk_test_rails",
        "whsec_rails",
    )
    yield server
    server.stop()


def earner(amount: int, currency: str = "EUR", n: int = 0) -> User:
    person = UserFactory.create(role="freelancer")
    ledger_post(
        kind="earning",
        key=f"earn-{person.pk}-{n}",
        memo="work",
        legs=[Leg("project:1:funding", -amount, currency), Leg(payable(person.pk), amount, currency)],
    )
    return person


def method(person: User, rail: str, receiver: str, currency: str = "EUR", **extra: Any) -> PayoutMethod:
    return PayoutMethod.objects.create(
        freelancer=person,
        rail=rail,
        receiver=receiver,
        account_name=person.shown_name,
        country="DE",
        currency=currency,
        status="active",
        is_default=True,
        hold_until=timezone.now() - timedelta(minutes=1),
        **extra,
    )


def test_a_paypal_payout_is_one_item_at_paypal_and_is_confirmed_by_a_verified_webhook_once(
    paypal: PayPalServer,
) -> None:
    person = earner(2500)
    method(person, "paypal", "fay.paypal@example.org")
    assert payouts_gather() == 1
    payout = Payout.objects.get()
    assert (payout.provider, payout.method_id) == ("paypal", person.payout_methods.get().pk)
    payout_send(payout_id=payout.pk)
    payout_send(payout_id=payout.pk)  # a redelivered task: the payout is sent already
    payout.refresh_from_db()
    assert payout.state == "sent" and payout.provider_ref
    paypal.settle()
    [item] = [i for i in paypal.items.values() if i["payout_item"]["sender_item_id"] == payout.idempotency_key]
    assert item["payout_item"]["amount"] == {"currency": "EUR", "value": "25.00"}
    headers, body = paypal.signed_event("PAYMENT.PAYOUTS-ITEM.SUCCEEDED", item)
    hook = "/api/v1/payouts/webhooks/paypal"
    first = _deliver(hook, body, headers)
    assert first.status_code == 200 and first.json() == {"received": True, "duplicate": False}
    again = _deliver(hook, body, headers)
    assert again.json()["duplicate"] is True  # PayPal resends: processed once
    payout.refresh_from_db()
    assert payout.state == "confirmed"
    assert RailWebhookEvent.objects.count() == 1
    forged = {**headers, "PAYPAL-TRANSMISSION-SIG": "AAAA"}
    refused = _deliver(hook, body, forged)
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "invalid_signature"
    assert paypal.items_by_key() == {payout.idempotency_key: 1}
    assert reconcile() == []


def _deliver(path: str, body: bytes, headers: dict[str, str]) -> Any:
    """The rail's POST, as it arrives: the raw body and the rail's headers."""
    sent = {k: v for k, v in headers.items() if k.lower() != "content-type"}
    return Client().post(path, data=body, content_type="application/json", headers=sent)


def test_a_failed_paypal_item_reverses_the_payout_and_the_sweep_reads_paypal_without_a_webhook(
    paypal: PayPalServer,
) -> None:
    blocked, fine = earner(1800), earner(4200)
    method(blocked, "paypal", "locked@blocked.example")
    method(fine, "paypal", "fine@example.org")
    payouts_gather()
    for payout in Payout.objects.all():
        payout_send(payout_id=payout.pk)
    paypal.settle()  # no webhook URL: nothing tells us, the sweep asks
    payouts_sweep(older_than=timedelta(0))
    states = {p.freelancer_id: (p.state, p.failure_reason) for p in Payout.objects.all()}
    assert states[fine.pk] == ("confirmed", "")
    assert states[blocked.pk][0] == "failed" and "locked" in states[blocked.pk][1]
    assert balance(payable(blocked.pk), "EUR") == 1800  # back in the balance
    assert balance(payable(fine.pk), "EUR") == 0
    assert reconcile() == []


def test_a_refusal_from_paypal_fails_the_payout_at_once(paypal: PayPalServer) -> None:
    person = earner(1500)
    method(person, "paypal", "")  # no receiver: PayPal refuses the batch (VALIDATION_ERROR)
    payouts_gather()
    payout = payout_send(payout_id=Payout.objects.get().pk)
    assert payout is not None and payout.state == "failed" and "VALIDATION_ERROR" in payout.failure_reason
    assert balance(payable(person.pk), "EUR") == 1500


def test_a_stripe_payout_is_one_transfer_and_confirmed_at_once(paypal: Any, stripe_rail: StripeServer) -> None:
    rail = StripeConnectRail("sk_test_rails", "whsec_rails", api_base=stripe_rail.url)
    account = rail.create_account(key="m-1", email="fay@example.org", country="DE")
    link = rail.onboarding_link(account=account, refresh_url="http://x/refresh", return_url="http://x/back")
    requests.post(link, allow_redirects=False, timeout=10)  # the person completes Stripe's onboarding
    person = earner(3100)
    method(person, "stripe", account)
    payouts_gather()
    payout = Payout.objects.get()
    assert payout_send(payout_id=payout.pk).state == "confirmed"  # type: ignore[union-attr]
    Payout.objects.filter(pk=payout.pk).update(state="requested")  # as if the worker died before recording it
    payout_send(payout_id=payout.pk)  # the same Idempotency-Key: Stripe answers the first transfer again
    assert stripe_rail.transfers_by_key() == {payout.idempotency_key: 1}


def test_methods_on_hold_or_held_for_a_name_check_are_not_paid_yet(paypal: PayPalServer) -> None:
    waiting, checked, nothing = earner(2000), earner(2000), earner(2000)
    method(waiting, "paypal", "w@example.org")
    PayoutMethod.objects.filter(freelancer=waiting).update(hold_until=timezone.now() + timedelta(hours=47))
    method(checked, "paypal", "c@example.org", review="held")
    assert payouts_gather() == 1  # only the freelancer without any method, through the configured provider
    assert Payout.objects.get().freelancer_id == nothing.pk
    PayoutMethod.objects.filter(freelancer=waiting).update(hold_until=timezone.now())
    assert payouts_gather() == 1
    assert Payout.objects.get(freelancer=waiting).provider == "paypal"
    other_currency = earner(900, currency="USD")
    method(other_currency, "paypal", "usd-less@example.org", currency="EUR")
    assert payouts_gather() == 0  # their only method pays in EUR: the USD balance waits


FREELANCERS = 60


def kill_then_finish(env: dict[str, str], rnd: random.Random, tick: Any = None) -> None:
    """A real worker killed with SIGKILL mid-batch three times, then one left to finish while the sweep runs as
    beat would (`tick`: what the rail does meanwhile, e.g. settle)."""
    for _ in range(3):
        worker = start_worker(env)
        time.sleep(rnd.uniform(2.5, 3.5))  # long enough to be mid-batch, not long enough to finish it
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    assert Payout.objects.filter(state="requested").exists(), "the kills came too late to test anything"
    worker = start_worker(env)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and Payout.objects.filter(state__in=["requested", "sent"]).exists():
            if tick is not None:
                tick()
            payouts_sweep(older_than=timedelta(seconds=2))
            time.sleep(1)
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def test_paypal_receives_each_payout_once_through_worker_kills(redis_url: str, settings: Any) -> None:
    """A PayPal server of its own (answering each batch 4 s after taking it) and a real worker killed with SIGKILL
    while a batch is in flight, three times: the next worker sends the same batch again, and PayPal holds each payout
    once; the ledger balances, and reconciliation finds nothing."""
    port = free_port()
    env_rail = {**os.environ, "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}"}
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.rails.paypal_server", "--port", str(port), "--client-id", "client",
         "--client-secret", "secret", "--delay", "4"],
        cwd=ROOT,
        env=env_rail,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    settings.PAYOUT_RAILS = ["paypal", "sandbox"]
    settings.PAYPAL_API_BASE, settings.PAYPAL_CLIENT_ID, settings.PAYPAL_CLIENT_SECRET = base, "client", "secret"
    settings.PAYOUT_SHARD_SIZE = 20  # three shards: three PayPal batches of 20
    env = {
        "REDIS_URL": redis_url,
        "DATABASE_URL": worker_database_url(),
        "PAYOUT_RAILS": "paypal,sandbox",
        "PAYPAL_API_BASE": base,
        "PAYPAL_CLIENT_ID": "client",
        "PAYPAL_CLIENT_SECRET": "secret",
    }
    try:
        assert wait_for_port(port)
        rnd = random.Random(11)
        people = [earner(rnd.randrange(1000, 40_000, 10), n=n) for n in range(FREELANCERS)]
        for n, person in enumerate(people):
            method(person, "paypal", f"p{n}@example.org")
        assert payouts_gather() == FREELANCERS
        kill_then_finish(env, rnd, tick=lambda: requests.post(f"{base}/_test/settle", timeout=10))
        state = requests.get(f"{base}/_test/state", timeout=10).json()
        assert reconcile() == []  # PayPal's batches read back: they agree with the payouts and the ledger
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert set(Payout.objects.values_list("state", flat=True)) == {"confirmed"}
    keys = set(Payout.objects.values_list("idempotency_key", flat=True))
    assert state["items_by_key"] == {key: 1 for key in keys}  # counted at PayPal: each payout once
    assert state["batches"] == 3 and Payout.objects.values("batch").distinct().count() == 3
    for entry in LedgerEntry.objects.prefetch_related("postings"):
        assert sum(p.amount_minor for p in entry.postings.all()) == 0
    assert all(balance(payable(p.pk), "EUR") == 0 for p in people)


def test_an_unclaimed_paypal_payout_returned_after_30_days_is_back_in_the_balance_and_told(
    paypal: PayPalServer, mailbox: Any
) -> None:
    person = earner(2200)
    method(person, "paypal", "nobody@unclaimed.example")
    payouts_gather()
    payout = payout_send(payout_id=Payout.objects.get().pk)
    assert payout is not None
    paypal.settle()  # UNCLAIMED: the money has left us, and may come back
    payouts_sweep(older_than=timedelta(0))
    payout.refresh_from_db()
    assert payout.state == "sent" and balance(payable(person.pk), "EUR") == 0
    assert reconcile() == []
    [item] = list(paypal.items.values())
    paypal.return_unclaimed()
    headers, body = paypal.signed_event("PAYMENT.PAYOUTS-ITEM.RETURNED", {**item, "transaction_status": "RETURNED"})
    assert _deliver("/api/v1/payouts/webhooks/paypal", body, headers).status_code == 200
    assert _deliver("/api/v1/payouts/webhooks/paypal", body, headers).json()["duplicate"] is True
    payout.refresh_from_db()
    assert payout.state == "returned"
    assert balance(payable(person.pk), "EUR") == 2200  # once, however often PayPal tells us
    mailbox.wait_for(person.email, subject="Payout returned")
    assert reconcile() == []


def test_a_reversed_stripe_transfer_is_returned_once_and_reconciliation_sees_what_we_missed(
    paypal: Any, stripe_rail: StripeServer
) -> None:
    rail = StripeConnectRail("sk_test_rails", "whsec_rails", api_base=stripe_rail.url)
    account = rail.create_account(key="m-2", email="fay@example.org", country="DE")
    link = rail.onboarding_link(account=account, refresh_url="http://x/r", return_url="http://x/b")
    requests.post(link, allow_redirects=False, timeout=10)
    person = earner(5000)
    method(person, "stripe", account)
    payouts_gather()
    payout = payout_send(payout_id=Payout.objects.get().pk)
    assert payout is not None and payout.state == "confirmed"
    assert reconcile() == []
    reversed_ = requests.post(
        f"{stripe_rail.url}/v1/transfers/{payout.provider_ref}/reversals",
        headers={"Authorization": "Bearer sk_test_rails"},
        timeout=10,
    )
    assert reversed_.status_code == 200, reversed_.text
    assert reconcile() == [f"payout {payout.pk} is confirmed but Stripe says reversed"]  # no webhook yet
    transfer = requests.get(
        f"{stripe_rail.url}/v1/transfers/{payout.provider_ref}",
        headers={"Authorization": "Bearer sk_test_rails"},
        timeout=10,
    ).json()
    body, signature = stripe_rail.signed_event("transfer.reversed", transfer)
    hook = "/api/v1/payouts/webhooks/stripe"
    assert _deliver(hook, body, {"Stripe-Signature": signature}).json() == {"received": True, "duplicate": False}
    assert _deliver(hook, body, {"Stripe-Signature": signature}).json()["duplicate"] is True
    payout.refresh_from_db()
    assert payout.state == "returned" and balance(payable(person.pk), "EUR") == 5000
    assert reconcile() == []
    forged = _deliver(hook, body, {"Stripe-Signature": signature.replace("v1=", "v1=00")})
    assert forged.status_code == 400


def test_a_rails_fee_is_taken_from_the_payout_into_its_account_and_its_minimum_applies(
    paypal: PayPalServer, settings: Any
) -> None:
    settings.PAYOUT_FEES = {"paypal": "2% max 20.00"}
    settings.PAYOUT_MINIMUMS = {"paypal.EUR": "5.00"}
    settings.PAYOUT_MINIMUM_MINOR = 1000
    small, tiny, blocked = earner(600), earner(400), earner(10_000)
    method(small, "paypal", "small@example.org")
    method(tiny, "paypal", "tiny@example.org")
    method(blocked, "paypal", "x@blocked.example")
    assert payouts_gather() == 2  # 6.00 and 100.00 reach PayPal's 5.00 minimum; 4.00 does not
    paid_small = Payout.objects.get(freelancer=small)
    assert (paid_small.amount_minor, paid_small.fee_minor) == (588, 12)
    assert balance("rail:paypal:fees", "EUR") == 12 + 200
    for payout in Payout.objects.all():
        payout_send(payout_id=payout.pk)
    values = {i["payout_item"]["sender_item_id"]: i["payout_item"]["amount"]["value"] for i in paypal.items.values()}
    assert values[paid_small.idempotency_key] == "5.88"  # what PayPal sends is the payout less the fee
    paypal.settle()
    payouts_sweep(older_than=timedelta(0))
    assert Payout.objects.get(freelancer=blocked).state == "failed"
    assert balance("rail:paypal:fees", "EUR") == 12  # a failed payout is charged no fee
    assert balance(payable(blocked.pk), "EUR") == 10_000 and balance(payable(tiny.pk), "EUR") == 400
    assert reconcile() == []


def test_stripes_account_updated_webhook_verifies_the_method_once(paypal: Any, stripe_rail: StripeServer) -> None:
    person = earner(100)
    pending = PayoutMethod.objects.create(
        freelancer=person,
        rail="stripe",
        receiver="",
        account_name=person.shown_name,
        country="DE",
        currency="EUR",
        hold_until=timezone.now(),
    )
    rail = StripeConnectRail("sk_test_rails", "whsec_rails", api_base=stripe_rail.url)
    account = rail.create_account(key=f"payout-method:{pending.pk}", email="x@example.org", country="DE")
    PayoutMethod.objects.filter(pk=pending.pk).update(receiver=account)
    link = rail.onboarding_link(account=account, refresh_url="http://x/r", return_url="http://x/b")
    requests.post(link, allow_redirects=False, timeout=10)  # Stripe now holds the account as active
    state = requests.get(
        f"{stripe_rail.url}/v1/accounts/{account}", headers={"Authorization": "Bearer sk_test_rails"}, timeout=10
    ).json()
    body, signature = stripe_rail.signed_event("account.updated", state)
    hook = "/api/v1/payouts/webhooks/stripe"
    assert _deliver(hook, body, {"Stripe-Signature": signature}).json()["duplicate"] is False
    pending.refresh_from_db()
    assert pending.status == "active" and pending.is_default  # verified by Stripe's word, read back from Stripe
    assert _deliver(hook, body, {"Stripe-Signature": signature}).json()["duplicate"] is True


def test_stripe_receives_each_payout_once_through_worker_kills(redis_url: str, settings: Any) -> None:
    """A Stripe server of its own (0.25 s per request) and a real worker killed with SIGKILL mid-batch three times:
    Stripe made one transfer per payout, the ledger balances, and reconciliation finds nothing."""
    port = free_port()
    env_rail = {**os.environ, "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}"}
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.rails.stripe_server", "--port", str(port), "--webhook-secret", "whsec_k"],
        cwd=ROOT,
        env=env_rail,
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    settings.PAYOUT_RAILS = ["stripe", "sandbox"]
    settings.STRIPE_API_BASE, settings.STRIPE_SECRET_KEY = base, "sk_test_kills"
    env = {
        "REDIS_URL": redis_url,
        "DATABASE_URL": worker_database_url(),
        "PAYOUT_RAILS": "stripe,sandbox",
        "STRIPE_API_BASE": base,
        "STRIPE_SECRET_KEY": "sk_test_kills",
    }
    try:
        assert wait_for_port(port)
        rail = StripeConnectRail("sk_test_kills", "whsec_k", api_base=base)
        rnd = random.Random(5)
        people = []
        for n in range(40):
            account = rail.create_account(key=f"kill-{n}", email=f"k{n}@example.org", country="DE")
            link = rail.onboarding_link(account=account, refresh_url="http://x/r", return_url="http://x/b")
            requests.post(link, allow_redirects=False, timeout=10)
            person = earner(rnd.randrange(1000, 40_000, 10), n=n)
            method(person, "stripe", account)
            people.append(person)
        requests.post(f"{base}/_test/faults", json={"delay": 0.25}, timeout=10)
        assert payouts_gather() == len(people)
        kill_then_finish(env, rnd)
        state = requests.get(f"{base}/_test/state", timeout=10).json()
        requests.post(f"{base}/_test/faults", json={"delay": 0}, timeout=10)
        assert reconcile() == []
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert set(Payout.objects.values_list("state", flat=True)) == {"confirmed"}
    keys = set(Payout.objects.values_list("idempotency_key", flat=True))
    assert state["transfers_by_key"] == {key: 1 for key in keys}  # counted at Stripe: one transfer per payout
    assert state["transfers"] == len(keys)
    for entry in LedgerEntry.objects.prefetch_related("postings"):
        assert sum(p.amount_minor for p in entry.postings.all()) == 0
    assert all(balance(payable(p.pk), "EUR") == 0 for p in people)
