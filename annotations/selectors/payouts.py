"""Reads for the admin's payouts page: payouts by state, and each project's spend."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet, Sum

from annotations.models import Payout, PayoutState, Posting, Project, User


def payouts_for(actor: User, state: str | None = None, rail: str | None = None) -> QuerySet[Payout]:
    qs = Payout.objects.select_related("freelancer", "method").order_by("-created_at", "-id")
    if rail:
        qs = qs.filter(provider=rail)
    return qs.filter(state=state) if state in PayoutState.values else qs


def payouts_of(user: User) -> QuerySet[Payout]:
    """A freelancer's own payouts, newest first, with the method each went to."""
    return Payout.objects.filter(freelancer=user).select_related("method").order_by("-created_at", "-id")


def payouts_due(*, minimum_minor: int | None = None) -> list[dict[str, Any]]:
    """Per currency, how many freelancer balances a gather would pay out now, and their total: at or over the
    minimum, with no payout of that currency already on its way."""
    minimum = max(1, settings.PAYOUT_MINIMUM_MINOR if minimum_minor is None else minimum_minor)
    rows = (
        Posting.objects.filter(account__startswith="freelancer:", account__endswith=":payable")
        .values("account", "currency")
        .annotate(total=Sum("amount_minor"))
        .filter(total__gte=minimum)
    )
    on_their_way = {
        (f"freelancer:{fid}:payable", currency)
        for fid, currency in Payout.objects.filter(state__in=[PayoutState.REQUESTED, PayoutState.SENT]).values_list(
            "freelancer_id", "currency"
        )
    }
    due: dict[str, dict[str, Any]] = {}
    for row in rows:
        if (row["account"], row["currency"]) in on_their_way:
            continue
        entry = due.setdefault(row["currency"], {"currency": row["currency"], "balances": 0, "total_minor": 0})
        entry["balances"] += 1
        entry["total_minor"] += int(row["total"])
    return [due[c] for c in sorted(due)]


def payouts_overview(actor: User) -> dict[str, Any]:
    """Spend per project of the actor's organisation; payout counts and amounts for platform operators only."""
    counts = {s: 0 for s in PayoutState.values}
    amounts: dict[str, dict[str, int]] = {}
    rows_by_state = (
        Payout.objects.values("state", "currency")
        if actor.is_staff
        else Payout.objects.none().values("state", "currency")
    )
    for row in rows_by_state.annotate(n=Count("id"), total=Sum("amount_minor")):
        counts[row["state"]] += int(row["n"])
        amounts.setdefault(row["currency"], {s: 0 for s in PayoutState.values})[row["state"]] = int(row["total"] or 0)
    projects = {p.pk: p for p in Project.objects.filter(organization_id=actor.organization_id or -1)}
    spend = []
    rows = (
        Posting.objects.filter(account__in=[f"project:{pk}:funding" for pk in projects])
        .values("account", "currency")
        .annotate(total=Sum("amount_minor"))
        .order_by("account")
    )
    for row in rows:
        project = projects[int(row["account"].split(":")[1])]
        spend.append(
            {
                "project_id": project.pk,
                "title": project.title,
                "currency": row["currency"],
                "spent_minor": -int(row["total"]),
            }
        )
    return {"counts": counts, "amounts": amounts, "spend": spend}
