"""Reads of money: a freelancer's balances and history, the review queue, and a project's spend."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import F, QuerySet, Sum

from annotations.models import Contribution, ContributionState, Posting, Role, User
from annotations.services.ledger import paid, payable


def earnings_summary(user: User) -> dict[str, Any]:
    """Balance (owed now), paid out, and pending (submitted, not yet reviewed) per currency."""
    totals: dict[str, dict[str, int]] = defaultdict(lambda: {"balance": 0, "paid_out": 0, "pending": 0})
    rows = (
        Posting.objects.filter(account__in=[payable(user.pk), paid(user.pk)])
        .values("account", "currency")
        .annotate(total=Sum("amount_minor"))
    )
    for row in rows:
        key = "balance" if row["account"].endswith(":payable") else "paid_out"
        totals[row["currency"]][key] += int(row["total"] or 0)
    pending = (
        Contribution.objects.filter(freelancer=user, state=ContributionState.SUBMITTED)
        .values(currency=F("project__pay_currency"))
        .annotate(total=Sum("project__pay_amount_minor"))
    )
    for row in pending:
        totals[row["currency"]]["pending"] += int(row["total"] or 0)
    return {currency: dict(values) for currency, values in sorted(totals.items())}


def earnings_history(user: User) -> QuerySet[Posting]:
    """Every movement on the freelancer's balance, newest first, with the entry that explains it."""
    return (
        Posting.objects.filter(account=payable(user.pk))
        .select_related("entry", "entry__project", "entry__contribution__task__item")
        .order_by("-entry__created_at", "-id")
    )


def review_queue(actor: User, project_id: int | None = None) -> QuerySet[Contribution]:
    """Submissions waiting for review in the actor's organisation, oldest first."""
    if actor.role not in (Role.ADMIN, Role.REVIEWER) or actor.organization_id is None:
        return Contribution.objects.none()
    qs = (
        Contribution.objects.filter(state=ContributionState.SUBMITTED, project__organization_id=actor.organization_id)
        .select_related("project", "task__item", "freelancer", "slot")
        .order_by("submitted_at", "id")
    )
    return qs.filter(project_id=project_id) if project_id else qs
