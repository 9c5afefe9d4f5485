"""Payouts: gather balances into payouts, send each through the provider once, confirm or fail and reverse.

Exactly once, by construction:
- Requesting a payout and debiting the balance are one transaction; its send is enqueued on commit, so no task
  runs for a payout that does not exist, and a sweep re-sends payouts left `requested` (a crash between the commit
  and the send), so none is forgotten.
- The provider call carries the payout's idempotency key: a task that runs twice (worker killed after the call,
  message redelivered under acks_late) gets the same transfer back, not a second one.
- Confirmation and failure are recorded once: a payout leaves `requested`/`sent` only forward, and a failure posts
  the reversal of its debit under a key of its own.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from annotations.domain.errors import Conflict, NotFound, PermissionDenied
from annotations.domain.money import Money
from annotations.domain.notifications import NotificationKind
from annotations.domain.payout_fees import fee_minor
from annotations.models import (
    AuditEvent,
    LedgerEntry,
    Payout,
    PayoutBatch,
    PayoutMethod,
    PayoutRail,
    PayoutState,
    Posting,
    Role,
    SandboxTransfer,
    User,
)
from annotations.providers.payouts import SandboxProvider, Transfer, TransientProviderError, payout_provider
from annotations.providers.rails import PermanentRailError, registry
from annotations.providers.rails.types import RailEvent, RailItem, RailItemStatus
from annotations.selectors.payout_methods import payable_reason, payout_methods_of, payout_methods_of_many
from annotations.selectors.payouts import payouts_due
from annotations.services.audit import audit_record
from annotations.services.jobs import enqueue_on_commit
from annotations.services.ledger import (
    Leg,
    NewEntry,
    balance,
    ledger_post,
    ledger_post_many,
    ledger_reverse,
    memo_in,
    paid,
    payable,
)
from annotations.services.notifications import notify, notify_many, notify_operators, say
from annotations.services.webhooks import webhook_emit, webhook_listeners

SEND_TASK = "workers.send_payout"
SEND_BATCH_TASK = "workers.send_payout_batch"
SANDBOX_SETTLE_BATCH_TASK = "workers.sandbox_settle_batch"
GATHER_TASK = "workers.gather_payouts"
GATHER_SHARD_TASK = "workers.gather_payout_shard"
OPEN = (PayoutState.REQUESTED, PayoutState.SENT)


@dataclass(frozen=True, slots=True)
class PayoutRound:
    """A payout round an operator started ("Pay out now"): what its audit event names."""

    pk: str


def payout_destination(
    user: User, currency: str, methods: list[PayoutMethod] | None = None
) -> tuple[str, PayoutMethod | None] | None:
    """Where a payout in `currency` goes: the freelancer's default method if it pays in that currency and may be
    paid now, else another that can; None when they have methods and none can yet. Someone with no method at all is
    paid through the configured provider as before methods existed (the sandbox in the embedded mode). `methods`:
    theirs, default first, when the caller read them already."""
    if methods is None:
        methods = list(payout_methods_of(user).order_by("-is_default", "created_at"))
    if not methods:
        return settings.PAYOUT_PROVIDER, None
    now = timezone.now()
    for method in methods:
        if method.currency == currency and not payable_reason(method, now):
            return method.rail, method
    return None


@dataclass(frozen=True, slots=True)
class _Plan:
    """One payout as it will be made: where to, the balance it moves, the rail's fee, its ledger entry."""

    provider: str
    method: PayoutMethod | None
    fee: int
    key: str
    entry: NewEntry


def _plan(
    user: User, currency: str, amount: int, methods: list[PayoutMethod] | None, minimum_minor: int | None
) -> _Plan | None:
    if amount <= 0:
        return None
    destination = payout_destination(user, currency, methods)
    if destination is None:  # methods, none payable in this currency yet (verifying, on hold, held)
        return None
    provider, method = destination
    minimum = registry.minimum_minor(provider, currency) if minimum_minor is None else minimum_minor
    fee = fee_minor(registry.fee_rule(provider), amount, currency) if method is not None else 0
    if amount < minimum or amount - fee <= 0:
        return None
    key = uuid.uuid4().hex
    legs = [Leg(payable(user.pk), -amount, currency), Leg(paid(user.pk), amount - fee, currency)]
    if fee:
        legs.append(Leg(registry.fee_account(provider), fee, currency))
    memo = (
        memo_in(user, gettext_noop("Payout to your account (the rail's fee: %(fee)s)"), fee=Money(fee, currency))
        if fee
        else memo_in(user, gettext_noop("Payout to your account"))
    )
    entry = NewEntry(kind="payout", key=f"payout:{key}", memo=memo, legs=legs, freelancer=user)
    return _Plan(provider=provider, method=method, fee=fee, key=key, entry=entry)


def _payout_of(plan: _Plan, user: User, currency: str, entry: LedgerEntry, batch: PayoutBatch | None) -> Payout:
    moved = -next(leg.amount_minor for leg in plan.entry.legs if leg.account.endswith(":payable"))
    return Payout(
        freelancer=user,
        amount_minor=moved - plan.fee,
        fee_minor=plan.fee,
        currency=currency,
        idempotency_key=plan.key,
        provider=plan.provider,
        method=plan.method,
        entry=entry,
        batch=batch,
    )


def payout_request(*, freelancer_id: int, currency: str, minimum_minor: int | None = None) -> Payout | None:
    """Move the freelancer's whole balance in `currency` into a payout, if it reaches the rail's minimum (or
    `minimum_minor`); the rail's fee is taken from it and posted to the rail's fee account."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=freelancer_id)
        if Payout.objects.filter(freelancer=user, currency=currency, state__in=OPEN).exists():
            return None
        plan = _plan(user, currency, balance(payable(user.pk), currency), None, minimum_minor)
        if plan is None:
            return None
        new = plan.entry
        entry, _ = ledger_post(kind=new.kind, key=new.key, memo=new.memo, legs=new.legs, freelancer=user)
        payout = _payout_of(plan, user, currency, entry, None)
        payout.save(force_insert=True)
        enqueue_on_commit(SEND_TASK, payout.pk)
    return payout


def payouts_request_many(*, freelancer_ids: list[int], currency: str, minimum_minor: int | None = None) -> int:
    """`payout_request` for a shard of freelancers at once: their rows locked in one statement (in id order, so
    shards never deadlock), their balances, open payouts and methods read in one query each, the ledger entries and
    payouts written in bulk, and one send task per batch of a rail (PayPal: up to 15,000 items a call). The same
    guarantees hold: at most one open payout per freelancer and currency, the whole balance moved, nothing half
    written. Returns how many payouts it made."""
    with transaction.atomic():
        users = {u.pk: u for u in User.objects.select_for_update().filter(pk__in=freelancer_ids).order_by("pk")}
        busy = set(
            Payout.objects.filter(freelancer_id__in=users, currency=currency, state__in=OPEN).values_list(
                "freelancer_id", flat=True
            )
        )
        totals = dict(
            Posting.objects.filter(account__in=[payable(pk) for pk in users], currency=currency)
            .values("account")
            .annotate(total=Sum("amount_minor"))
            .values_list("account", "total")
        )
        methods: dict[int, list[PayoutMethod]] = {pk: [] for pk in users}
        for m in payout_methods_of_many(list(users)).order_by("freelancer_id", "-is_default", "created_at"):
            methods[m.freelancer_id].append(m)
        plans = [
            (users[pk], plan)
            for pk in sorted(users)
            if pk not in busy
            and (plan := _plan(users[pk], currency, int(totals.get(payable(pk)) or 0), methods[pk], minimum_minor))
        ]
        if not plans:
            return 0
        entries = ledger_post_many([plan.entry for _, plan in plans])
        filling: dict[str, tuple[PayoutBatch, int]] = {}  # each rail's batch being filled, and how full it is
        batches: list[PayoutBatch] = []
        payouts: list[Payout] = []
        for (user, plan), entry in zip(plans, entries, strict=True):
            batch, count = filling.get(plan.provider, (None, 0))
            if batch is None or count >= batch_size(plan.provider):
                batch, count = PayoutBatch(rail=plan.provider, key=uuid.uuid4().hex), 0
                batches.append(batch)
            filling[plan.provider] = (batch, count + 1)
            payouts.append(_payout_of(plan, user, currency, entry, batch))
        PayoutBatch.objects.bulk_create(batches)
        Payout.objects.bulk_create(payouts, batch_size=2000)
        for batch in batches:
            enqueue_on_commit(SEND_BATCH_TASK, batch.pk)
    return len(payouts)


def batch_size(rail: str) -> int:
    """How many payouts one send task hands to the rail: PayPal takes 15,000 a call; the others go one by one inside
    the task, so a smaller batch spreads them over more workers."""
    return 15_000 if rail == PayoutRail.PAYPAL else settings.PAYOUT_SEND_BATCH


def payout_batch_send(*, batch_id: int) -> int:
    """The send task of a batch: PayPal gets every payout of the batch in one call under the batch's key (the same
    items every time, so a resend is the same batch); other rails get each payout still `requested` under its own key.
    Safe to run any number of times. Returns how many payouts it handed over."""
    batch = PayoutBatch.objects.filter(pk=batch_id).first()
    if batch is None:
        return 0
    if batch.rail == PayoutRail.PAYPAL:
        members = list(batch.payouts.select_related("method").order_by("pk"))
        waiting = [p for p in members if p.state == PayoutState.REQUESTED]
        if not waiting:
            return 0
        Payout.objects.filter(pk__in=[p.pk for p in waiting]).update(attempts=F("attempts") + 1)
        try:
            sent = registry.paypal().send_batch(batch_key=batch.key, items=[_rail_item(p) for p in members])
        except PermanentRailError as refused:
            for p in waiting:
                payout_event(key=p.idempotency_key, status="failed", reason=f"{refused.code}: {refused.message}")
            return 0
        Payout.objects.filter(pk__in=[p.pk for p in waiting], state=PayoutState.REQUESTED).update(
            state=PayoutState.SENT, provider_ref=sent.ref, updated_at=timezone.now()
        )
        return len(waiting)
    if batch.rail == PayoutRail.SANDBOX:
        return _sandbox_batch_send(batch)
    handed = 0
    for payout_id in batch.payouts.filter(state=PayoutState.REQUESTED).order_by("pk").values_list("pk", flat=True):
        payout_send(payout_id=payout_id)
        handed += 1
    return handed


def _sandbox_batch_send(batch: PayoutBatch) -> int:
    """The sandbox takes a batch as a real batch rail would: every transfer recorded under its payout's key in one
    insert (a key it has already is kept, not paid again), the payouts marked sent, one settle task for the lot."""
    waiting = list(batch.payouts.select_related("method").filter(state=PayoutState.REQUESTED).order_by("pk"))
    if not waiting:
        return 0
    Payout.objects.filter(pk__in=[p.pk for p in waiting]).update(attempts=F("attempts") + 1)
    SandboxProvider().transfer_many(
        [
            (
                p.idempotency_key,
                p.method.receiver if p.method else f"freelancer:{p.freelancer_id}",
                p.amount_minor,
                p.currency,
            )
            for p in waiting
        ]
    )
    refs = dict(
        SandboxTransfer.objects.filter(idempotency_key__in=[p.idempotency_key for p in waiting]).values_list(
            "idempotency_key", "pk"
        )
    )
    with transaction.atomic():
        still = list(
            Payout.objects.select_for_update().filter(pk__in=[p.pk for p in waiting], state=PayoutState.REQUESTED)
        )
        now = timezone.now()
        for p in still:
            p.state, p.provider_ref, p.updated_at = PayoutState.SENT, f"sbx_{refs[p.idempotency_key]}", now
        Payout.objects.bulk_update(still, ["state", "provider_ref", "updated_at"])
        enqueue_on_commit(
            SANDBOX_SETTLE_BATCH_TASK, [p.idempotency_key for p in waiting], countdown=settings.SANDBOX_SETTLE_SECONDS
        )
    return len(waiting)


def sandbox_settle_batch(*, keys: list[str]) -> int:
    """The sandbox settles a batch and tells us, as a batch rail's report would: failures (amounts ending in .13)
    one by one, the rest confirmed in bulk."""
    settled = SandboxProvider().settle_many(keys=keys)
    failed = [k for k, status in settled.items() if status == "failed"]
    for key in failed:
        payout_event(key=key, status="failed", reason="The sandbox refuses amounts ending in .13.")
    return payouts_confirm_many(keys=[k for k, status in settled.items() if status == "confirmed"]) + len(failed)


def payouts_gather(*, minimum_minor: int | None = None, limit: int = 100_000) -> int:
    """Beat: a payout for every freelancer balance at or over the minimum. Returns how many were requested."""
    minimum = registry.lowest_minimum() if minimum_minor is None else minimum_minor  # each rail checks its own
    rows = (
        Posting.objects.filter(account__startswith="freelancer:", account__endswith=":payable")
        .values("account", "currency")
        .annotate(total=Sum("amount_minor"))
        .filter(total__gte=max(1, minimum))
        .order_by("account")[:limit]
    )
    made = 0
    for currency, ids in _shards(rows):
        made += payouts_request_many(freelancer_ids=ids, currency=currency, minimum_minor=minimum_minor)
    return made


def _shards(rows: Any) -> list[tuple[str, list[int]]]:
    by_currency: dict[str, list[int]] = {}
    for row in rows:
        by_currency.setdefault(row["currency"], []).append(int(row["account"].split(":")[1]))
    size = settings.PAYOUT_SHARD_SIZE
    return [(c, ids[i : i + size]) for c, ids in sorted(by_currency.items()) for i in range(0, len(ids), size)]


def payouts_gather_sharded(*, minimum_minor: int | None = None, limit: int = 100_000) -> int:
    """Beat: the gather as Celery tasks of PAYOUT_SHARD_SIZE freelancers each, so every worker on every machine
    takes part. Returns how many shards it enqueued."""
    minimum = registry.lowest_minimum() if minimum_minor is None else minimum_minor
    rows = (
        Posting.objects.filter(account__startswith="freelancer:", account__endswith=":payable")
        .values("account", "currency")
        .annotate(total=Sum("amount_minor"))
        .filter(total__gte=max(1, minimum))
        .order_by("account")[:limit]
    )
    shards = _shards(rows)
    with transaction.atomic():
        for currency, ids in shards:
            enqueue_on_commit(GATHER_SHARD_TASK, ids, currency)
    return len(shards)


def payouts_gather_start(*, actor: User) -> tuple[PayoutRound, list[dict[str, Any]]]:
    """A platform operator starts a payout round now instead of waiting for the hourly one: the same gather task,
    enqueued once this commits (in the embedded mode it runs in this request). Pressing it twice, or from two
    tabs, pays nothing twice: each balance is moved into a payout under the freelancer's row lock, at most one
    open per freelancer and currency (a partial unique constraint), so a second gather finds nothing left.
    Returns the round (audited as `payout.gather_started`) and what was due when it started."""
    if actor.role != Role.ADMIN or not actor.is_staff:
        raise PermissionDenied(gettext("Only the platform's operators pay out."))
    due = payouts_due()
    run = PayoutRound(pk=uuid.uuid4().hex)
    with transaction.atomic():
        audit_record(actor=actor, action="payout.gather_started", target=run, data={"due": due})
        enqueue_on_commit(GATHER_TASK)
    return run, due


def payout_send(*, payout_id: int) -> Payout | None:
    """The Celery task's body: hand the payout to the provider (idempotently) and record what it said."""
    payout = Payout.objects.select_related("method").filter(pk=payout_id).first()
    if payout is None or payout.state != PayoutState.REQUESTED:
        return payout
    Payout.objects.filter(pk=payout.pk).update(attempts=F("attempts") + 1)
    try:
        transfer = _send(payout)
    except PermanentRailError as refused:
        return payout_event(key=payout.idempotency_key, status="failed", reason=f"{refused.code}: {refused.message}")
    with transaction.atomic():
        locked = Payout.objects.select_for_update().get(pk=payout.pk)
        if locked.state == PayoutState.REQUESTED:
            locked.state = PayoutState.SENT
        # The provider may have answered (webhook) before this line: keep its reference either way.
        locked.provider_ref = locked.provider_ref or transfer.ref
        locked.save(update_fields=["state", "provider_ref", "updated_at"])
    if transfer.status in ("confirmed", "failed"):
        return payout_event(key=payout.idempotency_key, status=transfer.status, reason=transfer.reason)
    return locked


def _send(payout: Payout) -> Transfer:
    """Hand the payout to its rail under its idempotency key (PayPal: a batch of one whose sender_batch_id and
    sender_item_id are the key; Stripe: a transfer with the key as Idempotency-Key)."""
    method = payout.method
    if method is None:
        return payout_provider().transfer(
            key=payout.idempotency_key,
            recipient=f"freelancer:{payout.freelancer_id}",
            amount_minor=payout.amount_minor,
            currency=payout.currency,
        )
    item = _rail_item(payout)
    if method.rail == PayoutRail.PAYPAL:
        if payout.batch_id is not None:  # sent with its batch, never alone: PayPal would pay it twice
            members = list(Payout.objects.filter(batch_id=payout.batch_id).select_related("method").order_by("pk"))
            batch_key, items = PayoutBatch.objects.get(pk=payout.batch_id).key, [_rail_item(p) for p in members]
        else:
            batch_key, items = payout.idempotency_key, [item]
        sent = registry.paypal().send_batch(batch_key=batch_key, items=items)
        return Transfer(ref=sent.ref, status="pending")
    if method.rail == PayoutRail.STRIPE:
        return _transfer(registry.stripe().transfer(item))
    return SandboxProvider().transfer(
        key=payout.idempotency_key,
        recipient=method.receiver,
        amount_minor=payout.amount_minor,
        currency=payout.currency,
    )


def _rail_item(payout: Payout) -> RailItem:
    assert payout.method is not None
    return RailItem(
        key=payout.idempotency_key,
        receiver=payout.method.receiver,
        amount_minor=payout.amount_minor,
        currency=payout.currency,
        note="Your pay from Atelier",
    )


def _transfer(status: RailItemStatus) -> Transfer:
    """A rail's item status as the payout records it (a rail's return or reversal arrives later as an event)."""
    if status.status == "confirmed":
        return Transfer(ref=status.ref, status="confirmed")
    if status.status == "failed":
        return Transfer(ref=status.ref, status="failed", reason=status.reason)
    return Transfer(ref=status.ref, status="pending")


def rail_status(payout: Payout) -> Transfer | None:
    """What the payout's rail says about it now (the sweep asks when no webhook came)."""
    method = payout.method
    if method is None:
        return payout_provider().status(key=payout.idempotency_key)
    if method.rail == PayoutRail.PAYPAL:
        if not payout.provider_ref:
            return None
        for item in registry.paypal().batch(payout.provider_ref).items:
            if item.key == payout.idempotency_key:
                return _transfer(item)
        return None
    if method.rail == PayoutRail.STRIPE:
        found = registry.stripe().transfer_status(payout.idempotency_key)
        return None if found is None else _transfer(found)
    return SandboxProvider().status(key=payout.idempotency_key)


def payout_event(*, key: str, status: str, reason: str = "") -> Payout | None:
    """What the provider says happened (webhook or status poll). Safe to receive any number of times."""
    with transaction.atomic():
        payout = Payout.objects.select_for_update().select_related("entry").filter(idempotency_key=key).first()
        if payout is None:
            return None
        if status in ("returned", "reversed"):
            return _returned(payout, reason)
        if payout.state not in OPEN or status not in ("confirmed", "failed"):
            return payout
        if status == "confirmed":
            payout.state = PayoutState.CONFIRMED
        else:
            payout.state, payout.failure_reason = PayoutState.FAILED, (reason or "The provider refused it.")[:300]
            ledger_reverse(
                entry=payout.entry,
                memo=memo_in(payout.freelancer, gettext_noop("Payout failed: the amount is back in your balance")),
            )
        payout.save(update_fields=["state", "failure_reason", "updated_at"])
        audit_record(actor=None, action=f"payout.{payout.state}", target=payout, data={"key": key})
        _notify_payout(payout)
        _emit(payout)
    return payout


def payouts_confirm_many(*, keys: list[str]) -> int:
    """`payout_event(status="confirmed")` for many payouts at once (a sandbox batch settling, a PayPal batch read
    back): the open ones among them move to confirmed in one update, with their audit events, notifications and
    webhooks written in bulk. Safe to repeat: a payout already confirmed or failed is left alone."""
    with transaction.atomic():
        payouts = list(
            Payout.objects.select_for_update()
            .select_related("freelancer")
            .filter(idempotency_key__in=keys, state__in=OPEN)
            .order_by("pk")
        )
        if not payouts:
            return 0
        Payout.objects.filter(pk__in=[p.pk for p in payouts]).update(
            state=PayoutState.CONFIRMED, updated_at=timezone.now()
        )
        for p in payouts:
            p.state = PayoutState.CONFIRMED
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(
                    actor=None,
                    organization_id=None,
                    action="payout.confirmed",
                    target_type="payout",
                    target_id=str(p.pk),
                    data={"key": p.idempotency_key},
                )
                for p in payouts
            ]
        )
        amounts = [str(Money(p.amount_minor, p.currency)) for p in payouts]
        notify_many(
            recipients=[p.freelancer for p in payouts],
            kind=NotificationKind.PAYOUT_SENT,
            items=[
                {
                    "event_key": f"payout:{p.pk}:confirmed",
                    "title": say(gettext_lazy("Payout sent: %(amount)s"), amount=amount),
                    "link": "/earnings",
                    "context": {"amount": amount},
                }
                for p, amount in zip(payouts, amounts, strict=True)
            ],
        )
        if webhook_listeners("payout.confirmed"):
            for p in payouts:
                _emit(p)
    return len(payouts)


def _emit(payout: Payout) -> None:
    """`payout.<state>` to the platform's webhook endpoints."""
    webhook_emit(
        f"payout.{payout.state}",
        {
            "payout_id": payout.pk,
            "amount_minor": payout.amount_minor,
            "currency": payout.currency,
            "state": payout.state,
            "failure_reason": payout.failure_reason,
        },
        None,
    )


def _returned(payout: Payout, reason: str) -> Payout:
    """The rail sent a payout back (PayPal returns what nobody claimed in 30 days; a Stripe transfer can be
    reversed): the debit is reversed, so the amount is in the balance again, and the freelancer is told. Called in
    payout_event's transaction, with the payout locked; a second report changes nothing."""
    if payout.state not in (PayoutState.SENT, PayoutState.CONFIRMED):
        return payout
    payout.state = PayoutState.RETURNED
    payout.failure_reason = (reason or "The rail sent it back.")[:300]
    ledger_reverse(
        entry=payout.entry,
        memo=memo_in(payout.freelancer, gettext_noop("Payout returned: the amount is back in your balance")),
    )
    payout.save(update_fields=["state", "failure_reason", "updated_at"])
    audit_record(actor=None, action="payout.returned", target=payout, data={"key": payout.idempotency_key})
    _notify_payout(payout)
    _emit(payout)
    return payout


def _notify_payout(payout: Payout) -> None:
    amount = str(Money(payout.amount_minor, payout.currency))
    if payout.state == PayoutState.CONFIRMED:
        notify(
            recipient=payout.freelancer,
            kind=NotificationKind.PAYOUT_SENT,
            event_key=f"payout:{payout.pk}:confirmed",
            title=say(gettext_lazy("Payout sent: %(amount)s"), amount=amount),
            link="/earnings",
            context={"amount": amount},
        )
        return
    returned = payout.state == PayoutState.RETURNED
    notify(
        recipient=payout.freelancer,
        kind=NotificationKind.PAYOUT_FAILED,
        event_key=f"payout:{payout.pk}:{payout.state}",
        title=say(
            gettext_lazy("Payout returned: %(amount)s") if returned else gettext_lazy("Payout failed: %(amount)s"),
            amount=amount,
        ),
        body=payout.failure_reason,
        link="/earnings",
        context={"amount": amount, "reason": payout.failure_reason, "returned": returned},
    )
    # The operators hear once an hour at most, however many payouts fail in a batch: they look at the list.
    hour = timezone.now().strftime("%Y-%m-%dT%H")
    notify_operators(
        kind=NotificationKind.PAYOUTS_FAILED,
        event_key=f"payouts-failed:{hour}",
        title=say(gettext_lazy("Payouts failed")),
        body=say(
            gettext_lazy("Payout %(id)s (%(amount)s) failed: %(reason)s"),
            id=payout.pk,
            amount=amount,
            reason=payout.failure_reason,
        ),
        link="/payouts",
        context={"amount": amount, "reason": payout.failure_reason, "payout_id": payout.pk},
    )


def payouts_sweep(*, older_than: timedelta = timedelta(minutes=5), limit: int = 1000) -> int:
    """Beat: re-send payouts stuck in `requested`, and ask the provider about payouts stuck in `sent`."""
    cutoff = timezone.now() - older_than
    stuck = list(
        Payout.objects.select_related("method")
        .filter(state__in=OPEN, updated_at__lte=cutoff)
        .order_by("updated_at")[:limit]
    )
    batches: set[int] = set()
    for payout in stuck:
        if payout.state == PayoutState.REQUESTED and payout.batch_id is not None:
            if payout.batch_id not in batches:
                batches.add(payout.batch_id)
                enqueue_on_commit(SEND_BATCH_TASK, payout.batch_id)
        elif payout.state == PayoutState.REQUESTED:
            enqueue_on_commit(SEND_TASK, payout.pk)
        else:
            found = rail_status(payout)
            if found is not None:
                payout_event(key=payout.idempotency_key, status=found.status, reason=found.reason)
    return len(stuck)


def payout_retry(*, actor: User, payout_id: int) -> Payout | None:
    """An admin retries a failed payout: the reversed amount is paid out again under a new key."""
    if actor.role != Role.ADMIN:
        raise NotFound(gettext("No such payout."))
    payout = Payout.objects.filter(pk=payout_id).first()
    if payout is None:
        raise NotFound(gettext("No such payout."))
    if payout.state != PayoutState.FAILED:
        raise Conflict(gettext("Only a failed payout can be retried."), code="not_failed")
    with transaction.atomic():
        again = payout_request(freelancer_id=payout.freelancer_id, currency=payout.currency, minimum_minor=1)
        if again is not None:
            audit_record(actor=actor, action="payout.retried", target=again, data={"failed": payout.pk})
    return again


def sandbox_settle(*, key: str) -> Transfer | None:
    """The sandbox settles a transfer and tells us, as a real provider's webhook would."""
    transfer = SandboxProvider().settle(key=key)
    if transfer is not None:
        payout_event(key=key, status=transfer.status, reason="The sandbox refuses amounts ending in .13.")
    return transfer


# What a rail's item status says our payout should be now.
RAIL_STATE = {
    "confirmed": PayoutState.CONFIRMED,
    "failed": PayoutState.FAILED,
    "returned": PayoutState.RETURNED,
    "reversed": PayoutState.RETURNED,
    "pending": PayoutState.SENT,
    "held": PayoutState.SENT,
}
RAIL_NAMES = {"paypal": "PayPal", "stripe": "Stripe"}


def _rail_records(rail: str, payouts: list[Payout]) -> dict[str, RailItemStatus]:
    """The rail's own record of each of these payouts (and of anything else it paid for us meanwhile), by key."""
    found: dict[str, RailItemStatus] = {}
    if rail == PayoutRail.PAYPAL:
        for ref in sorted({p.provider_ref for p in payouts if p.provider_ref}):
            found.update({item.key: item for item in registry.paypal().batch(ref).items})
    elif payouts:
        since = int(min(p.created_at for p in payouts).timestamp()) - 60
        found.update({t.key: t for t in registry.stripe().transfers_since(since) if t.key})
    return found


def _reconcile_rails(payouts: dict[str, Payout]) -> list[str]:
    problems: list[str] = []
    for rail in (PayoutRail.PAYPAL, PayoutRail.STRIPE):
        ours = [p for p in payouts.values() if p.provider == rail and p.state != PayoutState.REQUESTED]
        if not ours:
            continue
        name = RAIL_NAMES[rail]
        try:
            records = _rail_records(rail, ours)
        except (TransientProviderError, PermanentRailError) as exc:
            problems.append(f"{name} could not be read: {exc}")
            continue
        for p in ours:
            record = records.get(p.idempotency_key)
            if record is None:
                if p.state != PayoutState.FAILED:  # a refused batch leaves nothing at the rail
                    problems.append(f"payout {p.pk} is {p.state} but {name} has no record of it")
                continue
            if (record.amount_minor, record.currency.upper()) != (p.amount_minor, p.currency):
                problems.append(
                    f"payout {p.pk}: {name} has {record.amount_minor} {record.currency.upper()}, "
                    f"we have {p.amount_minor} {p.currency}"
                )
            elif RAIL_STATE.get(record.status, p.state) != p.state:
                problems.append(f"payout {p.pk} is {p.state} but {name} says {record.status}")
        problems += [f"{name} paid {key} and no payout has that key" for key in records if key not in payouts]
    return problems


def reconcile() -> list[str]:
    """Every difference between the rails' records (the sandbox's table, PayPal's batches, Stripe's transfers), the
    payouts and the ledger (empty when all agree)."""
    problems: list[str] = []
    payouts = {p.idempotency_key: p for p in Payout.objects.all()}
    problems += _reconcile_rails(payouts)
    transfers = (
        {t.idempotency_key: t for t in SandboxTransfer.objects.all()} if settings.PAYOUT_PROVIDER == "sandbox" else None
    )
    if transfers is not None:
        for key, t in transfers.items():
            p = payouts.get(key)
            if p is None:
                problems.append(f"provider transfer {key} has no payout")
            elif (t.amount_minor, t.currency) != (p.amount_minor, p.currency):
                problems.append(
                    f"payout {p.pk}: provider has {t.amount_minor} {t.currency}, we have {p.amount_minor} {p.currency}"
                )
            elif p.state == PayoutState.RETURNED:
                continue  # paid, then sent back: the transfer stands on the provider's side
            elif {"confirmed": PayoutState.CONFIRMED, "failed": PayoutState.FAILED}.get(t.status, p.state) != p.state:
                problems.append(f"payout {p.pk} is {p.state} but the provider says {t.status}")
        for key, p in payouts.items():
            if p.provider == "sandbox" and p.state != PayoutState.REQUESTED and key not in transfers:
                problems.append(f"payout {p.pk} is {p.state} but the provider has no transfer")
    paid_rows = (
        Posting.objects.filter(account__startswith="freelancer:", account__endswith=":paid")
        .values("account", "currency")
        .annotate(total=Sum("amount_minor"))
    )
    for row in paid_rows:
        user_id = int(row["account"].split(":")[1])
        expected = (
            Payout.objects.exclude(state__in=[PayoutState.FAILED, PayoutState.RETURNED])
            .filter(freelancer_id=user_id, currency=row["currency"])
            .aggregate(s=Sum("amount_minor"))["s"]
            or 0
        )
        if int(row["total"]) != int(expected):
            problems.append(f"freelancer {user_id}: ledger paid {row['total']} {row['currency']}, payouts {expected}")
    negative = (
        Posting.objects.filter(account__endswith=":payable")
        .values("account", "currency")
        .annotate(total=Sum("amount_minor"))
        .filter(total__lt=0)
    )
    problems += [f"{r['account']} is negative: {r['total']} {r['currency']}" for r in negative]
    return problems


def rail_webhook_receive(*, rail: str, event: RailEvent) -> bool:
    """A verified webhook event from a rail, processed once per event id: the record of it and its effect commit
    together, so a crash in between leaves neither and the rail's resend is processed. Answers whether it was new."""
    from annotations.models import RailWebhookEvent
    from annotations.services.payout_methods import payout_method_refresh

    with transaction.atomic():
        try:
            with transaction.atomic():
                RailWebhookEvent.objects.create(rail=rail, event_id=event.id[:100], type=event.type[:100])
        except IntegrityError:
            return False
        if event.item is not None and event.item.key:
            status = {"confirmed": "confirmed", "failed": "failed", "returned": "returned", "reversed": "reversed"}.get(
                event.item.status
            )
            if status is not None:
                payout_event(key=event.item.key, status=status, reason=event.item.reason)
        if event.account:
            method = PayoutMethod.objects.filter(rail=PayoutRail.STRIPE, receiver=event.account).first()
            if method is not None:
                payout_method_refresh(method=method)
    return True
