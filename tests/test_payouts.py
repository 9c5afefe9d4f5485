"""Payouts: gathered from balances, sent once per idempotency key, confirmed or failed and reversed, reconciled."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import override_settings

from annotations.models import LedgerEntry, Payout, SandboxTransfer
from annotations.providers.payouts import webhook_signature
from annotations.services.ledger import Leg, balance, ledger_post, paid, payable
from annotations.services.payouts import payout_send, payouts_gather, payouts_sweep, reconcile, sandbox_settle
from tests.api.test_auth import error
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def earn(user: Any, cents: int, key: str) -> None:
    ledger_post(
        kind="earning",
        key=key,
        memo="work",
        legs=[Leg("project:1:funding", -cents, "USD"), Leg(payable(user.pk), cents, "USD")],
    )


@pytest.fixture
def operator(org: Any) -> Any:
    return UserFactory(role="admin", organization=org, is_staff=True)


def test_balances_over_the_minimum_are_paid_out_once(django_capture_on_commit_callbacks) -> None:
    rich, poor = UserFactory.create(role="freelancer"), UserFactory.create(role="freelancer")
    earn(rich, 1500, "e1")
    earn(poor, 300, "e2")
    with django_capture_on_commit_callbacks() as sent:
        assert payouts_gather() == 1
    assert len(sent) == 1  # one send, enqueued only once the payout committed
    payout = Payout.objects.get()
    assert (payout.freelancer_id, payout.amount_minor, payout.state) == (rich.pk, 1500, "requested")
    assert balance(payable(rich.pk), "USD") == 0 and balance(paid(rich.pk), "USD") == 1500
    assert payouts_gather() == 0  # nothing new to pay
    with django_capture_on_commit_callbacks():
        payout_send(payout_id=payout.pk)
    payout_send(payout_id=payout.pk)  # a redelivered task: no second transfer
    assert SandboxTransfer.objects.count() == 1
    sandbox_settle(key=payout.idempotency_key)
    sandbox_settle(key=payout.idempotency_key)  # a webhook delivered twice
    payout.refresh_from_db()
    assert payout.state == "confirmed" and payout.provider_ref.startswith("sbx_")
    assert reconcile() == []


def test_a_failed_payout_is_reversed_and_can_be_retried(
    client_for, operator, django_capture_on_commit_callbacks
) -> None:
    fl = UserFactory.create(role="freelancer")
    earn(fl, 1013, "e1")  # the sandbox refuses amounts ending in .13
    payouts_gather()
    payout = Payout.objects.get()
    payout_send(payout_id=payout.pk)
    sandbox_settle(key=payout.idempotency_key)
    payout.refresh_from_db()
    assert payout.state == "failed" and "sandbox" in payout.failure_reason
    assert balance(payable(fl.pk), "USD") == 1013 and balance(paid(fl.pk), "USD") == 0
    assert LedgerEntry.objects.filter(kind="reversal", reverses=payout.entry).count() == 1
    assert reconcile() == []
    again = client_for(operator).post(f"/api/v1/payouts/{payout.pk}/retry")
    assert again.status_code == 201 and again.json()["state"] == "requested"
    error(client_for(operator).post(f"/api/v1/payouts/{payout.pk}/retry"), 400, "nothing_to_pay")


def test_stuck_payouts_are_sent_again_by_the_sweep(django_capture_on_commit_callbacks) -> None:
    from datetime import timedelta

    fl = UserFactory.create(role="freelancer")
    earn(fl, 2000, "e1")
    payouts_gather()  # the send after commit is "lost" here: nothing runs it
    with django_capture_on_commit_callbacks() as resent:
        assert payouts_sweep(older_than=timedelta(0)) == 1
    assert len(resent) == 1


def test_reconcile_reports_every_difference() -> None:
    fl = UserFactory.create(role="freelancer")
    earn(fl, 2000, "e1")
    payouts_gather()
    payout = Payout.objects.get()
    payout_send(payout_id=payout.pk)
    SandboxTransfer.objects.filter(idempotency_key=payout.idempotency_key).update(amount_minor=2500)
    SandboxTransfer.objects.create(idempotency_key="stray", recipient="x", amount_minor=5, currency="USD")
    problems = reconcile()
    assert any("provider has 2500 USD, we have 2000 USD" in p for p in problems)
    assert any("stray has no payout" in p for p in problems)


@override_settings(PAYOUT_WEBHOOK_SECRET="s3cret")
def test_the_webhook_needs_a_valid_signature(api) -> None:
    fl = UserFactory.create(role="freelancer")
    earn(fl, 2000, "e1")
    payouts_gather()
    payout = Payout.objects.get()
    body = json.dumps({"key": payout.idempotency_key, "status": "confirmed"}).encode()
    bad = api.post("/api/v1/payouts/webhook", body, content_type="application/json", HTTP_X_ATELIER_SIGNATURE="nope")
    error(bad, 404, "not_found")
    good = api.post(
        "/api/v1/payouts/webhook",
        body,
        content_type="application/json",
        HTTP_X_ATELIER_SIGNATURE=webhook_signature(body),
    )
    assert good.status_code == 204
    payout.refresh_from_db()
    assert payout.state == "confirmed"


def test_payouts_are_for_the_platform_operators(client_for, admin, operator, freelancer) -> None:
    error(client_for(freelancer).get("/api/v1/payouts"), 403, "permission_denied")
    error(client_for(admin).get("/api/v1/payouts"), 403, "permission_denied")
    assert client_for(operator).get("/api/v1/payouts").status_code == 200
    overview = client_for(admin).get("/api/v1/payouts/overview").json()
    assert overview["counts"] == {"requested": 0, "sent": 0, "confirmed": 0, "failed": 0, "returned": 0}
