"""Any sequence of earnings, bonuses, debits, reversals, payouts, payout-method changes (added, held, made the
default, removed), holds passing and payouts returned by the rail keeps every entry balanced, no payable negative,
every payout paid only to a method that could be paid at that moment, each rail fee in the rail's account (and
given back with a failure or a return), and each return reversed once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from annotations.domain.errors import ApplicationError
from annotations.models import LedgerEntry, Payout, PayoutMethod, Posting, SandboxTransfer
from annotations.selectors.payout_methods import payable_reason
from annotations.services.ledger import BONUSES, Leg, balance, ledger_bonus, ledger_post, ledger_reverse, payable
from annotations.services.payout_methods import payout_method_make_default, payout_method_remove
from annotations.services.payouts import (
    payout_event,
    payout_request,
    payout_retry,
    payout_send,
    reconcile,
    sandbox_settle,
)
from tests.factories import OrganizationFactory, UserFactory

OPS = st.lists(
    st.one_of(
        st.tuples(st.just("earn"), st.integers(0, 2), st.integers(1, 5000)),
        st.tuples(st.just("bonus"), st.integers(0, 2), st.integers(1, 5000)),
        st.tuples(st.just("debit"), st.integers(0, 2), st.integers(1, 8000)),
        st.tuples(st.just("reverse"), st.integers(0, 50), st.just(0)),
        st.tuples(st.just("retry"), st.integers(0, 50), st.just(0)),
        st.tuples(st.just("payout"), st.integers(0, 2), st.just(0)),
        st.tuples(st.just("settle"), st.integers(0, 50), st.sampled_from([0, 1])),
        st.tuples(st.just("resend"), st.integers(0, 50), st.just(0)),
        st.tuples(st.just("retry_payout"), st.integers(0, 50), st.just(0)),
        # amount: 0 a method on hold, 1 one whose hold is over, 2 one held for a name check
        st.tuples(st.just("add_method"), st.integers(0, 2), st.integers(0, 2)),
        st.tuples(st.just("make_default"), st.integers(0, 50), st.just(0)),
        st.tuples(st.just("remove_method"), st.integers(0, 50), st.just(0)),
        st.tuples(st.just("hold_passes"), st.just(0), st.just(0)),
        st.tuples(st.just("returned"), st.integers(0, 50), st.just(0)),
    ),
    max_size=25,
)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
@example(  # always: a payout to a method with a fee, paid, then sent back by the rail
    ops=[("earn", 0, 5000), ("add_method", 0, 1), ("payout", 0, 0), ("settle", 0, 0), ("returned", 0, 0)]
)
@example(ops=[("earn", 1, 4000), ("add_method", 1, 0), ("payout", 1, 0), ("hold_passes", 0, 0), ("payout", 1, 0)])
def test_any_sequence_keeps_the_books_balanced(ops: list[tuple[str, int, int]], settings: Any) -> None:
    settings.PAYOUT_FEES = {"sandbox": "2% + 0.10"}  # a method's rail charges; the legacy provider does not
    org = OrganizationFactory.create()
    admin = UserFactory.create(role="admin", organization=org)
    people = [UserFactory.create(role="freelancer") for _ in range(3)]
    keys: list[str] = []
    for n, (op, who, amount) in enumerate(ops):
        key = f"op-{org.pk}-{n}"
        try:
            entry = None
            if op == "earn":
                entry, _ = ledger_post(
                    kind="earning",
                    key=key,
                    memo="work",
                    legs=[Leg("project:1:funding", -amount, "USD"), Leg(payable(people[who].pk), amount, "USD")],
                )
            elif op == "bonus":
                entry, _ = ledger_bonus(
                    actor=admin, freelancer=people[who], amount_minor=amount, currency="USD", memo="thanks", key=key
                )
            elif op == "debit":
                entry, _ = ledger_post(
                    kind="adjustment",
                    key=key,
                    memo="correction",
                    legs=[Leg(payable(people[who].pk), -amount, "USD"), Leg(BONUSES, amount, "USD")],
                )
            elif op == "reverse" and keys:
                target = LedgerEntry.objects.get(idempotency_key=keys[who % len(keys)])
                entry, _ = ledger_reverse(entry=target, memo="mistake")
            elif op == "payout":
                made = payout_request(freelancer_id=people[who].pk, currency="USD", minimum_minor=1)
                if made is not None and made.method is not None:  # paid only where it could be paid now
                    assert payable_reason(made.method) == "", payable_reason(made.method)
                continue
            elif op == "add_method":
                PayoutMethod.objects.create(
                    freelancer=people[who],
                    rail="sandbox",
                    receiver=f"{key}@example.org",
                    account_name=people[who].shown_name,
                    country="PT",
                    currency="USD",
                    status="active",
                    review="held" if amount == 2 else "clear",
                    hold_until=timezone.now() + (timedelta(hours=-1) if amount == 1 else timedelta(hours=48)),
                )
                continue
            elif op in ("make_default", "remove_method") and PayoutMethod.objects.exclude(status="removed").exists():
                methods = list(PayoutMethod.objects.exclude(status="removed").order_by("pk"))
                chosen = methods[who % len(methods)]
                if op == "make_default":
                    payout_method_make_default(actor=chosen.freelancer, method_id=chosen.pk, confirmed=True)
                else:
                    payout_method_remove(actor=chosen.freelancer, method_id=chosen.pk, confirmed=True)
                continue
            elif op == "hold_passes":
                PayoutMethod.objects.update(hold_until=timezone.now() - timedelta(minutes=1))
                continue
            elif op == "returned" and Payout.objects.exists():  # the rail sends a payout back, perhaps twice
                payouts = list(Payout.objects.order_by("pk"))
                payout = payouts[who % len(payouts)]
                payout_event(key=payout.idempotency_key, status="returned", reason="unclaimed")
                payout_event(key=payout.idempotency_key, status="returned", reason="unclaimed")
                continue
            elif op in ("settle", "resend", "retry_payout") and Payout.objects.exists():
                payouts = list(Payout.objects.order_by("pk"))
                payout = payouts[who % len(payouts)]
                if op == "resend":  # a redelivered send task: the provider sees the same key
                    payout_send(payout_id=payout.pk)
                elif op == "settle":  # the provider's answer, possibly twice, possibly a failure
                    payout_send(payout_id=payout.pk)
                    if amount:  # the provider refuses this one
                        SandboxTransfer.objects.filter(idempotency_key=payout.idempotency_key, status="pending").update(
                            status="failed"
                        )
                    sandbox_settle(key=payout.idempotency_key)
                else:
                    Payout.objects.filter(pk=payout.pk, state="failed").exists() and payout_retry(
                        actor=admin, payout_id=payout.pk
                    )
                continue
            elif op == "retry" and keys:  # the same key again posts nothing
                before = Posting.objects.count()
                entry = LedgerEntry.objects.get(idempotency_key=keys[who % len(keys)])
                legs = [Leg(p.account, p.amount_minor, p.currency) for p in entry.postings.all()]
                _, created = ledger_post(kind=entry.kind, key=entry.idempotency_key, memo="retry", legs=legs)
                assert not created and Posting.objects.count() == before
                continue
            if entry is not None:
                keys.append(entry.idempotency_key)
        except ApplicationError as exc:
            # refused whole: nothing half-written
            assert exc.code in {"insufficient_balance", "not_verified"}, exc
    for entry in LedgerEntry.objects.prefetch_related("postings"):
        assert sum(p.amount_minor for p in entry.postings.all()) == 0 and entry.postings.exists()
    for person in people:
        assert balance(payable(person.pk), "USD") >= 0
        open_payouts = Payout.objects.filter(freelancer=person, state__in=["requested", "sent"]).count()
        assert open_payouts <= 1
    transfers = SandboxTransfer.objects.values_list("idempotency_key", flat=True)
    assert len(transfers) == len(set(transfers))  # the provider never saw a payout twice
    assert reconcile() == []
    charged = sum(Payout.objects.exclude(state__in=["failed", "returned"]).values_list("fee_minor", flat=True), start=0)
    assert balance("rail:sandbox:fees", "USD") == charged  # fees land in the rail's account; refunds take them back
    assert not Payout.objects.filter(method__isnull=True, fee_minor__gt=0).exists()
    for payout in Payout.objects.filter(state="returned"):  # a return is reversed in the ledger, once
        assert LedgerEntry.objects.filter(reverses=payout.entry).count() == 1
    assert PayoutMethod.objects.filter(is_default=True).values("freelancer").distinct().count() == (
        PayoutMethod.objects.filter(is_default=True).count()
    )
    assert (
        LedgerEntry.objects.filter(reverses__isnull=False).values("reverses").distinct().count()
        == LedgerEntry.objects.filter(reverses__isnull=False).count()
    )
