"""Reads for the admin's payouts page: payouts by state, and each project's spend."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet, Sum

from annotations.models import Payout, PayoutState, Posting, Project, User


def payouts_for(actor: User, state: str | None = None) -> QuerySet[Payout]:
    qs = Payout.objects.select_related("freelancer").order_by("-created_at", "-id")
    return qs.filter(state=state) if state in PayoutState.values else qs


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
