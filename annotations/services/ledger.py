"""The ledger: every movement of money is one balanced, append-only entry; balances are sums of postings.

Accounts (strings, so new kinds need no migration):
  project:<id>:funding       what a project has spent (negative: money out of the client's funding)
  platform:fair_pay          what the platform has spent on fair-pay top-ups
  platform:bonuses           bonuses the platform granted
  freelancer:<id>:payable    what the platform owes a freelancer (never below zero)
  freelancer:<id>:paid       what has been paid out to a freelancer
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import translation
from django.utils.translation import gettext

from annotations.domain.errors import Conflict, ValidationFailed
from annotations.models import Contribution, LedgerEntry, Posting, Project, User


def memo_in(user: User, message: str, /, **names: object) -> str:
    """A ledger memo in the language of the person whose money it is (the ledger keeps text, not keys: an entry
    reads the same on every statement): `memo_in(user, gettext_noop("Bonus for %(item)s"), item=…)`."""
    with translation.override(user.language or settings.LANGUAGE_CODE):
        text = translation.gettext(message)
    return (text % names if names else text)[:300]


def payable(user_id: int) -> str:
    return f"freelancer:{user_id}:payable"


def paid(user_id: int) -> str:
    return f"freelancer:{user_id}:paid"


def funding(project_id: int) -> str:
    return f"project:{project_id}:funding"


FAIR_PAY = "platform:fair_pay"
BONUSES = "platform:bonuses"


@dataclass(frozen=True, slots=True)
class Leg:
    account: str
    amount_minor: int
    currency: str


def balance(account: str, currency: str) -> int:
    total = Posting.objects.filter(account=account, currency=currency).aggregate(s=Sum("amount_minor"))["s"]
    return int(total or 0)


def ledger_post(
    *,
    kind: str,
    key: str,
    memo: str,
    legs: list[Leg],
    project: Project | None = None,
    contribution: Contribution | None = None,
    freelancer: User | None = None,
    reverses: LedgerEntry | None = None,
    created_by: User | None = None,
) -> tuple[LedgerEntry, bool]:
    """Post one balanced entry, once per key. Returns (entry, created); the same key again returns the first."""
    existing = LedgerEntry.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing, False
    sums: dict[str, int] = defaultdict(int)
    for leg in legs:
        if leg.amount_minor == 0:
            raise ValidationFailed(gettext("A posting moves a non-zero amount."))
        sums[leg.currency] += leg.amount_minor
    if not legs or any(sums.values()):
        raise ValidationFailed(
            gettext("The entry does not balance: %(sums)s.") % {"sums": dict(sums)}, code="unbalanced"
        )
    try:
        with transaction.atomic():
            # Debits of a freelancer's balance queue behind each other, so two cannot both pass the check.
            debited = sorted(
                {int(g.account.split(":")[1]) for g in legs if g.account.endswith(":payable") and g.amount_minor < 0}
            )
            if debited:
                list(
                    User.objects.select_for_update().filter(pk__in=debited).order_by("pk").values_list("pk", flat=True)
                )
            entry = LedgerEntry.objects.create(
                kind=kind,
                idempotency_key=key,
                memo=memo[:300],
                project=project,
                contribution=contribution,
                freelancer=freelancer,
                reverses=reverses,
                created_by=created_by,
            )
            Posting.objects.bulk_create(
                [
                    Posting(entry=entry, account=g.account, amount_minor=g.amount_minor, currency=g.currency)
                    for g in legs
                ]
            )
            _refuse_negative_payables(legs)
    except IntegrityError:
        # The same key posted concurrently: the unique key decided, and that entry stands.
        found = LedgerEntry.objects.filter(idempotency_key=key).first()
        if found is None:
            raise
        return found, False
    return entry, True


def _refuse_negative_payables(legs: list[Leg]) -> None:
    for leg in legs:
        if leg.account.endswith(":payable") and leg.amount_minor < 0 and balance(leg.account, leg.currency) < 0:
            raise Conflict(gettext("That would take a freelancer's balance below zero."), code="insufficient_balance")


def ledger_reverse(*, entry: LedgerEntry, memo: str, created_by: User | None = None) -> tuple[LedgerEntry, bool]:
    """Undo an entry with its mirror image. An entry is reversed at most once."""
    legs = [Leg(p.account, -p.amount_minor, p.currency) for p in entry.postings.all()]
    return ledger_post(
        kind="reversal",
        key=f"reversal:{entry.pk}",
        memo=memo,
        legs=legs,
        project=entry.project,
        contribution=entry.contribution,
        freelancer=entry.freelancer,
        reverses=entry,
        created_by=created_by,
    )


def ledger_bonus(
    *, actor: User, freelancer: User, amount_minor: int, currency: str, memo: str, key: str
) -> tuple[LedgerEntry, bool]:
    """A bonus from the platform to a freelancer; `key` (from the client) makes a retried request pay once."""
    if actor.role != "admin":
        raise ValidationFailed(gettext("Only admins grant bonuses."), code="permission_denied")
    if amount_minor <= 0:
        raise ValidationFailed(
            gettext("A bonus is a positive amount."), fields={"amount": [gettext("More than zero.")]}
        )
    return ledger_post(
        kind="bonus",
        key=f"bonus:{key}",
        memo=memo or "Bonus",
        legs=[Leg(BONUSES, -amount_minor, currency), Leg(payable(freelancer.pk), amount_minor, currency)],
        freelancer=freelancer,
        created_by=actor,
    )


@dataclass(frozen=True, slots=True)
class NewEntry:
    kind: str
    key: str
    memo: str
    legs: list[Leg]
    freelancer: User | None = None


def ledger_post_many(entries: list[NewEntry]) -> list[LedgerEntry]:
    """Post many new balanced entries in two inserts, for a caller that holds the debited freelancers' row locks
    already (the payout gather, one shard at a time). Keys are new (the caller made them): a key that exists fails
    the whole call, as does an entry that does not balance or a payable it would take below zero."""
    for new in entries:
        sums: dict[str, int] = defaultdict(int)
        for leg in new.legs:
            if leg.amount_minor == 0:
                raise ValidationFailed(gettext("A posting moves a non-zero amount."))
            sums[leg.currency] += leg.amount_minor
        if not new.legs or any(sums.values()):
            raise ValidationFailed(
                gettext("The entry does not balance: %(sums)s.") % {"sums": dict(sums)}, code="unbalanced"
            )
    with transaction.atomic():
        made = LedgerEntry.objects.bulk_create(
            [
                LedgerEntry(kind=n.kind, idempotency_key=n.key, memo=n.memo[:300], freelancer=n.freelancer)
                for n in entries
            ]
        )
        Posting.objects.bulk_create(
            [
                Posting(entry=entry, account=g.account, amount_minor=g.amount_minor, currency=g.currency)
                for entry, new in zip(made, entries, strict=True)
                for g in new.legs
            ],
            batch_size=5000,
        )
        debited = {(g.account, g.currency) for n in entries for g in n.legs if g.account.endswith(":payable")}
        if debited:
            below = (
                Posting.objects.filter(account__in={a for a, _ in debited})
                .values("account", "currency")
                .annotate(total=Sum("amount_minor"))
                .filter(total__lt=0)
            )
            if below.exists():
                raise Conflict(
                    gettext("That would take a freelancer's balance below zero."), code="insufficient_balance"
                )
    return made
