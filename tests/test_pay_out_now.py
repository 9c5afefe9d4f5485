"""Pay out now: a platform operator starts the payout round at once. It is the hourly gather, audited, and
pays each due balance once however often it is pressed (twice, from two tabs, while a round runs)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from annotations.models import AuditEvent, Payout
from annotations.services.ledger import balance, paid, payable
from annotations.services.payouts import payouts_gather
from tests.api.test_auth import error
from tests.conftest import need
from tests.factories import UserFactory
from tests.test_payouts import earn


@pytest.fixture
def operator(org: Any) -> Any:
    return UserFactory(role="admin", organization=org, is_staff=True)


@pytest.mark.django_db
def test_pressing_twice_starts_two_rounds_that_pay_each_balance_once(
    client_for, operator, django_capture_on_commit_callbacks
) -> None:
    # Given two balances over the minimum, one of them made of two earnings
    rich, poor = UserFactory.create(role="freelancer"), UserFactory.create(role="freelancer")
    earn(rich, 1500, "e1")
    earn(poor, 300, "e2")
    earn(poor, 2000, "e3")
    ops = client_for(operator)

    # When the operator presses "Pay out now" twice (two tabs) before either round ran
    with django_capture_on_commit_callbacks() as sent:
        first = ops.post("/api/v1/payouts/gather")
        again = ops.post("/api/v1/payouts/gather")

    # Then each says what it started, and each is audited
    assert (first.status_code, again.status_code) == (202, 202)
    body = first.json()
    assert body["task"] == "workers.gather_payouts" and len(body["round"]) == 32
    assert body["balances_due"] == 2
    assert body["due"] == [{"balances": 2, "total": {"amount": "38.00", "currency": "USD"}}]
    assert len(sent) == 2  # two gathers enqueued, once each request committed
    events = AuditEvent.objects.filter(action="payout.gather_started").order_by("id")
    assert [(e.actor_id, e.target_type, e.target_id) for e in events] == [
        (operator.pk, "payoutround", first.json()["round"]),
        (operator.pk, "payoutround", again.json()["round"]),
    ]
    # And the two rounds pay each balance once
    assert payouts_gather() == 2
    assert payouts_gather() == 0
    assert sorted(Payout.objects.values_list("freelancer_id", "amount_minor")) == sorted(
        [(rich.pk, 1500), (poor.pk, 2300)]
    )
    assert balance(payable(poor.pk), "USD") == 0 and balance(paid(poor.pk), "USD") == 2300
    # A third press sees nothing left to pay
    assert ops.post("/api/v1/payouts/gather").json()["balances_due"] == 0


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["admin", "freelancer"])
def test_only_the_platforms_operators_pay_out(client_for, admin, who: str) -> None:
    caller = admin if who == "admin" else UserFactory(role="freelancer")
    error(client_for(caller).post("/api/v1/payouts/gather"), 403, "permission_denied")
    assert not AuditEvent.objects.filter(action="payout.gather_started").exists()


@pytest.mark.django_db(transaction=True)
def test_rounds_racing_in_parallel_sessions_pay_each_balance_once() -> None:
    if connection.vendor != "postgresql":
        need("PostgreSQL", "the race needs parallel writers; SQLite serialises every write")
    people = [UserFactory.create(role="freelancer") for _ in range(12)]
    for n, person in enumerate(people):
        earn(person, 1000 + n, f"race-{n}")
    barrier = threading.Barrier(6)
    made: list[int] = []
    failures: list[BaseException] = []

    def round_() -> None:
        try:
            barrier.wait()
            made.append(payouts_gather())
        except BaseException as exc:  # reported below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=round_) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not failures, failures
    assert sum(made) == len(people)
    assert Payout.objects.count() == len(people)
    assert all(balance(payable(p.pk), "USD") == 0 for p in people)
    assert sorted(balance(paid(p.pk), "USD") for p in people) == [1000 + n for n in range(12)]
