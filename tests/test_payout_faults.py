"""Payouts survive a worker killed with SIGKILL mid-batch, several times: each payout reaches the provider exactly
once, the ledger balances, and nothing is left stuck."""

from __future__ import annotations

import random
import signal
import time
from datetime import timedelta
from typing import Any

import pytest

from annotations.models import LedgerEntry, Payout, SandboxTransfer
from annotations.services.ledger import Leg, balance, ledger_post, payable
from annotations.services.payouts import payouts_gather, payouts_sweep, reconcile
from tests.conftest import start_worker, worker_database_url
from tests.factories import UserFactory

FREELANCERS = 120


@pytest.mark.django_db(transaction=True)
def test_payouts_are_sent_exactly_once_through_worker_kills(redis_url: str, settings: Any) -> None:
    # Small batches, each a slow round trip: some 9 s of sending for two worker processes, so a kill 2-3.5 s after a
    # worker starts lands mid-round however quickly the worker boots (with one batch of 120 the round was over
    # before the first kill on a quiet machine, and there was nothing left to test).
    env = {
        "REDIS_URL": redis_url,
        "DATABASE_URL": worker_database_url(),
        "SANDBOX_SETTLE_SECONDS": "0",
        "SANDBOX_LATENCY_SECONDS": "0.6",
        "PAYOUT_SEND_BATCH": "4",
    }
    settings.SANDBOX_SETTLE_SECONDS = 0
    settings.PAYOUT_SEND_BATCH = 4
    rnd = random.Random(7)
    people = [UserFactory.create(role="freelancer") for _ in range(FREELANCERS)]
    for n, person in enumerate(people):
        cents = 1013 if n % 17 == 0 else rnd.randrange(1000, 50_000, 10)  # a few the sandbox refuses
        ledger_post(
            kind="earning",
            key=f"earn-{n}",
            memo="work",
            legs=[Leg("project:1:funding", -cents, "USD"), Leg(payable(person.pk), cents, "USD")],
        )

    assert payouts_gather() == FREELANCERS  # the sends go to Redis as each payout commits
    kills = 0
    for _ in range(3):
        worker = start_worker(env)
        time.sleep(rnd.uniform(2.0, 3.5))  # long enough to be mid-batch, not long enough to finish it
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
        kills += 1
    in_flight = Payout.objects.filter(state__in=["requested", "sent"]).count()
    assert in_flight > 0, "the kills came too late to test anything"

    worker = start_worker(env)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and Payout.objects.filter(state__in=["requested", "sent"]).exists():
            payouts_sweep(older_than=timedelta(seconds=2))  # what beat does every few minutes
            time.sleep(1)
    finally:
        worker.terminate()
        worker.wait(timeout=30)

    states = set(Payout.objects.values_list("state", flat=True))
    assert states <= {"confirmed", "failed"}, f"stuck after {kills} kills: {states}"
    assert SandboxTransfer.objects.count() == Payout.objects.count() == FREELANCERS  # once each, never twice
    assert Payout.objects.filter(state="failed").count() == len(range(0, FREELANCERS, 17))
    for entry in LedgerEntry.objects.prefetch_related("postings"):
        assert sum(p.amount_minor for p in entry.postings.all()) == 0
    assert all(balance(payable(p.pk), "USD") >= 0 for p in people)
    assert reconcile() == []
