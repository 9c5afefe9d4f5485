"""Reads of money: a freelancer's balances and history, the review queue, and a project's spend."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from annotations.domain.money import Money
from annotations.domain.spreadsheet import text_cell
from annotations.models import Contribution, ContributionState, Draft, NearDuplicate, Posting, Role, User
from annotations.services.ledger import paid, payable

# Short intents ("Tried my best.") are alike by chance; from this length identical ones are worth a look.
MIN_COMPARED_INTENT = 40
# Active time under this share of the estimate is flagged as likely low effort.
LOW_TIME_SHARE = 0.2
# A gold item answered below this share is a failed check.
GOLD_PASS = 0.5


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


STATEMENT_HEADER = ["date", "kind", "description", "project", "amount", "currency"]


def earnings_statement_rows(user: User) -> Iterator[list[str]]:
    """The statement's CSV rows, header first: text cells (memos and titles, which admins write) quoted so that a
    spreadsheet cannot run them as formulas; amounts written as plain decimal numbers."""
    yield STATEMENT_HEADER
    for p in earnings_history(user).iterator(chunk_size=500):
        project = p.entry.project.title if p.entry.project else ""
        yield [
            p.entry.created_at.isoformat(),
            text_cell(p.entry.kind),
            text_cell(p.entry.memo),
            text_cell(project),
            str(Money(p.amount_minor, p.currency).as_decimal()),
            text_cell(p.currency),
        ]


def copy_signals() -> dict[str, Any]:
    """Annotations that say a contribution shares something with another one of its project."""
    mine = Draft.objects.filter(contribution=OuterRef(OuterRef("pk"))).values("content_sha256")
    copied = Draft.objects.filter(
        contribution__project_id=OuterRef("project_id"), content_sha256__in=Subquery(mine)
    ).exclude(contribution=OuterRef("pk"))
    same_intent = (
        Contribution.objects.filter(project_id=OuterRef("project_id"), intent=OuterRef("intent"))
        .exclude(pk=OuterRef("pk"))
        .exclude(state=ContributionState.IN_PROGRESS)
    )
    # Two EXISTS, one per side of the pair: one EXISTS over an OR of both joins makes PostgreSQL join every draft
    # with every near-duplicate for each contribution (1.7 ms a row with a hundred drafts).
    near = Exists(NearDuplicate.objects.filter(draft__contribution=OuterRef("pk"))) | Exists(
        NearDuplicate.objects.filter(other__contribution=OuterRef("pk"))
    )
    return {
        "shares_a_draft": Exists(copied),
        "same_intent": Exists(same_intent),
        "near_duplicate": ExpressionWrapper(near, output_field=BooleanField()),
    }


def flagged_q() -> Q:
    """Work with a flag the database can see (after `copy_signals()`): what a dataset's `exclude_flagged` leaves
    out. Low active time, copied drafts or intents, near-duplicate images, a failed gold item."""
    low_time = Q(active_seconds__lt=F("project__estimated_minutes") * 60 * LOW_TIME_SHARE)
    same_intent = Q(same_intent=True, intent_length__gte=MIN_COMPARED_INTENT)
    return low_time | Q(shares_a_draft=True) | Q(near_duplicate=True) | same_intent | Q(gold_score__lt=GOLD_PASS)


def review_queue(actor: User, project_id: int | None = None) -> QuerySet[Contribution]:
    """Submissions waiting for review in the actor's organisation, oldest first."""
    if actor.role not in (Role.ADMIN, Role.REVIEWER) or actor.organization_id is None:
        return Contribution.objects.none()
    drafts = (
        Draft.objects.filter(contribution=OuterRef("pk")).order_by().values("contribution").annotate(n=Count("pk"))
    ).values("n")
    qs = (
        Contribution.objects.filter(state=ContributionState.SUBMITTED, project__organization_id=actor.organization_id)
        .select_related("project", "task__item", "freelancer", "slot")
        # A subquery, not Count() over a join: grouping by the contribution would make PostgreSQL evaluate the copy
        # signals once per joined draft row.
        .annotate(draft_count=Coalesce(Subquery(drafts), 0), **copy_signals())
        .order_by("submitted_at", "id")
    )
    return qs.filter(project_id=project_id) if project_id else qs


def review_flags(c: Contribution) -> list[str]:
    """Hints for the reviewer about likely low effort or copied work (from review_queue's annotations)."""
    flags = []
    estimate = c.project.estimated_minutes
    if c.active_seconds < estimate * 60 * LOW_TIME_SHARE:
        flags.append(
            gettext("Active time %(minutes)s min is far below the %(estimate)s min estimate.")
            % {"minutes": c.active_seconds // 60, "estimate": estimate}
        )
    spec_fields = (c.project.output_spec or {}).get("fields", [])
    wants_drafts = any(f.get("type") == "drafts" and f.get("required") for f in spec_fields if isinstance(f, dict))
    if wants_drafts and not getattr(c, "draft_count", 1):
        flags.append(gettext("No drafts, though the project asks for them."))
    if getattr(c, "shares_a_draft", False):
        flags.append(gettext("A draft is byte-for-byte identical to another submission's in this project."))
    if getattr(c, "same_intent", False) and len(c.intent.strip()) >= MIN_COMPARED_INTENT:
        flags.append(gettext("The intent statement is word for word the same as another submission's."))
    if getattr(c, "near_duplicate", False):
        flags.append(gettext("An image draft is a near-duplicate (perceptual hash) of another submission's."))
    if c.gold_score is not None:
        flags.append(
            gettext("Gold item: %(share)s%% of the known answers matched.") % {"share": round(c.gold_score * 100)}
        )
    return flags
