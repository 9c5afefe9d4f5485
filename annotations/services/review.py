"""Reviewing submissions: approve (and pay), reject with a reason, or send back for a revision; disputes.

Approval posts the earning and, where the measured time at the platform minimum is worth more than the pay, a
fair-pay top-up, in the same transaction as the decision; the idempotency keys make a retried approval post
nothing twice.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from annotations.domain.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from annotations.domain.money import Money
from annotations.domain.notifications import NotificationKind
from annotations.domain.quality import rubric_fraction
from annotations.models import (
    Contribution,
    ContributionState,
    LedgerEntry,
    Review,
    ReviewDecision,
    Role,
    Slot,
    SlotState,
    User,
)
from annotations.selectors.datasets import record_id
from annotations.selectors.pay import minimum_hourly_rate
from annotations.services.audit import audit_record
from annotations.services.credentials import credentials_later
from annotations.services.ledger import FAIR_PAY, Leg, funding, ledger_post, memo_in, payable
from annotations.services.notifications import notify, say
from annotations.services.provenance import manifest_sign
from annotations.services.quality import approved_fingerprint
from annotations.services.webhooks import contribution_event, webhook_emit
from annotations.services.work import lease_for


def fair_pay_top_up(*, pay: Money, estimated_minutes: int, active_seconds: int) -> int:
    """Minor units owed on top of the pay so measured time earns the platform minimum (time capped)."""
    minimum = minimum_hourly_rate(pay.currency)
    if minimum is None:
        return 0
    cap = int(estimated_minutes * 60 * settings.TOP_UP_TIME_CAP)
    seconds = min(active_seconds, cap)
    worth = -(-minimum.amount_minor * seconds // 3600)  # round up: the freelancer never loses a cent
    return max(0, worth - pay.amount_minor)


def _locked(contribution_id: int) -> Contribution:
    c = (
        Contribution.objects.select_for_update(of=("self",))
        .select_related("project", "slot", "freelancer")
        .filter(pk=contribution_id)
        .first()
    )
    if c is None:
        raise NotFound(gettext("No such contribution."))
    return c


def _check_reviewer(actor: User | None, c: Contribution) -> None:
    if actor is None:
        return
    if actor.role not in (Role.ADMIN, Role.REVIEWER) or actor.organization_id != c.project.organization_id:
        raise NotFound(gettext("No such contribution."))


def _pay(c: Contribution, actor: User | None) -> list[LedgerEntry]:
    project = c.project
    pay = Money(project.pay_amount_minor, project.pay_currency)
    entries = []
    earning, _ = ledger_post(
        kind="earning",
        key=f"earning:{c.pk}",
        memo=memo_in(
            c.freelancer,
            gettext_noop("%(project)s: approved work on %(item)s"),
            project=project.title,
            item=c.task.item.external_id,
        ),
        legs=[
            Leg(funding(project.pk), -pay.amount_minor, pay.currency),
            Leg(payable(c.freelancer_id), pay.amount_minor, pay.currency),
        ],
        project=project,
        contribution=c,
        freelancer=c.freelancer,
        created_by=actor,
    )
    entries.append(earning)
    top_up = fair_pay_top_up(pay=pay, estimated_minutes=project.estimated_minutes, active_seconds=c.active_seconds)
    if top_up:
        minutes = round(c.active_seconds / 60)
        entry, _ = ledger_post(
            kind="top_up",
            key=f"top_up:{c.pk}",
            memo=memo_in(
                c.freelancer,
                gettext_noop(
                    "Fair-pay top-up: %(minutes)s min of measured work at the platform minimum is worth more than"
                    " the pay"
                ),
                minutes=minutes,
            ),
            legs=[Leg(FAIR_PAY, -top_up, pay.currency), Leg(payable(c.freelancer_id), top_up, pay.currency)],
            project=project,
            contribution=c,
            freelancer=c.freelancer,
            created_by=actor,
        )
        entries.append(entry)
    return entries


def _approve(c: Contribution, actor: User | None, now: Any, scores: dict[str, Any] | None = None) -> None:
    c.state, c.approved_at = ContributionState.APPROVED, now
    c.review_score = rubric_fraction(c.project.rubric, scores or {})
    approved_fingerprint(c)
    manifest_sign(c, record_id=record_id(c.pk), automatic=actor is None)
    credentials_later(c)
    if c.slot_id is not None:
        Slot.objects.filter(pk=c.slot_id).update(state=SlotState.APPROVED, updated_at=now)
    _pay(c, actor)


def _send_back(c: Contribution, now: Any) -> None:
    """Back to its author for a revision: in progress again under a new lease, unless they hold another task of the
    project in progress (one at a time, `contribution_one_in_progress_per_project`); then it waits as a revision,
    its slot kept for two leases, and their next "Start next task" there resumes it (past that it expires like a
    lease, and the slot reopens). The constraint decides, inside a savepoint, so a claim racing this decision
    cannot give them two."""
    try:
        with transaction.atomic():
            c.state = ContributionState.IN_PROGRESS
            c.save(update_fields=["state", "revisions", "last_activity_at", "updated_at"])
            if c.slot_id is not None:
                Slot.objects.filter(pk=c.slot_id).update(
                    state=SlotState.IN_PROGRESS, lease_expires_at=now + lease_for(c.project), updated_at=now
                )
    except IntegrityError:
        c.state = ContributionState.REVISION
        if c.slot_id is not None:  # the slot stays submitted, held for the author, until it is resumed or expires
            Slot.objects.filter(pk=c.slot_id).update(lease_expires_at=now + 2 * lease_for(c.project), updated_at=now)


def review_decide(
    *, actor: User | None, contribution_id: int, decision: str, reason: str = "", scores: dict[str, Any] | None = None
) -> Review:
    """Decide on a submission. actor None is the automatic approval after the review period."""
    scores = scores or {}
    with transaction.atomic():
        c = _locked(contribution_id)
        _check_reviewer(actor, c)
        if c.state != ContributionState.SUBMITTED:
            raise Conflict(
                gettext("Only submitted work is reviewed; this one is %(state)s.") % {"state": c.state},
                code="not_submitted",
            )
        if actor is not None and actor.pk == c.freelancer_id:
            raise PermissionDenied(gettext("Nobody reviews their own work."))
        errors: dict[str, list[str]] = {}
        if decision not in ReviewDecision.values:
            errors["decision"] = [gettext("One of %(values)s.") % {"values": ", ".join(ReviewDecision.values)}]
        if decision != ReviewDecision.APPROVE and not reason.strip():
            errors["reason"] = [gettext("Tell the freelancer why.")]
        rubric = {r["key"]: r for r in (c.project.rubric or []) if isinstance(r, dict) and "key" in r}
        for key, value in scores.items():
            top = int(rubric[key].get("max", 5)) if key in rubric else None
            if top is None:
                errors[f"scores.{key}"] = [gettext("The project's rubric has no such criterion.")]
            elif isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
                errors[f"scores.{key}"] = [gettext("A whole number from 0 to %(top)s.") % {"top": top}]
        if errors:
            raise ValidationFailed(gettext("The review is incomplete."), fields=errors)
        now = timezone.now()
        review = Review.objects.create(
            contribution=c,
            reviewer=actor,
            decision=decision,
            reason=reason.strip(),
            scores=scores,
            automatic=actor is None,
        )
        if decision == ReviewDecision.APPROVE:
            _approve(c, actor, now, scores)
        elif decision == ReviewDecision.REJECT:
            c.state = ContributionState.REJECTED
            if c.slot_id is not None:  # the replica is still owed: someone else may take it
                Slot.objects.filter(pk=c.slot_id).update(
                    state=SlotState.OPEN, assignee=None, lease_expires_at=None, updated_at=now
                )
            c.slot = None
        else:
            c.revisions += 1
            c.last_activity_at = now
            _send_back(c, now)
        c.save()
        data: dict[str, Any] = {"review": review.pk}
        if c.state == ContributionState.REVISION:
            data["waiting"] = True
        audit_record(actor=actor, action=f"contribution.{decision}", target=c, data=data)
        if decision in (ReviewDecision.APPROVE, ReviewDecision.REJECT):
            webhook_emit(f"contribution.{c.state}", contribution_event(c), c.project.organization_id)
        _notify_decision(c, review)
    return review


_DECISION_KINDS = {
    ReviewDecision.APPROVE: (NotificationKind.APPROVED, gettext_lazy("Approved: %(project)s")),
    ReviewDecision.REJECT: (NotificationKind.REJECTED, gettext_lazy("Rejected: %(project)s")),
    ReviewDecision.REVISE: (NotificationKind.REVISION_REQUESTED, gettext_lazy("Revision requested: %(project)s")),
}


def _notify_decision(c: Contribution, review: Review) -> None:
    kind, title = _DECISION_KINDS[ReviewDecision(review.decision)]
    project = c.project
    pay = str(Money(project.pay_amount_minor, project.pay_currency)) if kind == NotificationKind.APPROVED else ""
    notify(
        recipient=c.freelancer,
        kind=kind,
        event_key=f"contribution:{c.pk}:review:{review.pk}",
        title=say(title, project=project.title),
        body=review.reason,
        link="/earnings" if kind == NotificationKind.APPROVED else f"/work/{c.pk}",
        context={
            "project_title": project.title,
            "reason": review.reason,
            "automatic": review.automatic,
            "pay": pay,
        },
    )


def contribution_dispute(*, actor: User, contribution_id: int, reason: str) -> Contribution:
    """A freelancer contests a rejection, once."""
    if not reason.strip():
        raise ValidationFailed(gettext("Say why the rejection is wrong."), fields={"reason": [gettext("Required.")]})
    with transaction.atomic():
        c = _locked(contribution_id)
        if c.freelancer_id != actor.pk:
            raise NotFound(gettext("No such contribution."))
        if c.state != ContributionState.REJECTED:
            raise Conflict(gettext("Only a rejection can be disputed."), code="not_rejected")
        if c.disputed_at is not None:
            raise Conflict(gettext("A rejection can be disputed once."), code="already_disputed")
        c.dispute, c.disputed_at = reason.strip(), timezone.now()
        c.save(update_fields=["dispute", "disputed_at", "updated_at"])
        audit_record(actor=actor, action="contribution.disputed", target=c)
    return c


def dispute_settle(*, actor: User, contribution_id: int, overturn: bool, note: str) -> Contribution:
    """An admin settles a dispute: uphold the rejection, or overturn it (approve and pay)."""
    with transaction.atomic():
        c = _locked(contribution_id)
        if actor.role != Role.ADMIN or actor.organization_id != c.project.organization_id:
            raise NotFound(gettext("No such contribution."))
        if c.disputed_at is None or c.dispute_outcome:
            raise Conflict(gettext("There is no open dispute on this contribution."), code="no_open_dispute")
        if not note.strip():
            raise ValidationFailed(gettext("Explain the decision."), fields={"note": [gettext("Required.")]})
        c.dispute_outcome = "overturned" if overturn else "upheld"
        Review.objects.create(
            contribution=c,
            reviewer=actor,
            decision=ReviewDecision.APPROVE if overturn else ReviewDecision.REJECT,
            reason=note.strip(),
        )
        if overturn:
            _approve(c, actor, timezone.now())
        c.save()
        if overturn:
            webhook_emit("contribution.approved", contribution_event(c), c.project.organization_id)
        audit_record(actor=actor, action=f"contribution.dispute_{c.dispute_outcome}", target=c)
        notify(
            recipient=c.freelancer,
            kind=NotificationKind.DISPUTE_SETTLED,
            event_key=f"contribution:{c.pk}:dispute",
            title=say(
                gettext_lazy("Dispute settled, rejection overturned: %(project)s")
                if overturn
                else gettext_lazy("Dispute settled, rejection upheld: %(project)s"),
                project=c.project.title,
            ),
            body=note.strip(),
            link=f"/work/{c.pk}",
            context={"project_title": c.project.title, "overturned": overturn, "note": note.strip()},
        )
    return c


def overdue_reviews_approve(*, now: Any = None, limit: int = 500) -> int:
    """Approve submissions whose project's review period has passed (beat runs this). Returns how many."""
    now = now or timezone.now()
    done = 0
    candidates = (
        Contribution.objects.filter(state=ContributionState.SUBMITTED)
        .select_related("project")
        .order_by("submitted_at")[: limit * 4]
    )
    for c in candidates:
        if c.submitted_at and c.submitted_at + timedelta(hours=c.project.review_period_hours) <= now:
            try:
                review_decide(
                    actor=None,
                    contribution_id=c.pk,
                    decision=ReviewDecision.APPROVE,
                    reason=f"Approved automatically: not reviewed within {c.project.review_period_hours} hours.",
                )
            except Conflict:
                continue  # reviewed meanwhile
            done += 1
            if done >= limit:
                break
    return done


def contribution_bonus(*, actor: User, contribution_id: int, amount: Money, reason: str, key: str) -> tuple[Any, bool]:
    """A project's admin rewards approved work beyond its pay, from the project's funding. Once per client key."""
    with transaction.atomic():
        c = _locked(contribution_id)
        if actor.role != Role.ADMIN or actor.organization_id != c.project.organization_id:
            raise NotFound(gettext("No such contribution."))
        if c.state != ContributionState.APPROVED:
            raise Conflict(gettext("Bonuses go to approved work."), code="not_approved")
        errors: dict[str, list[str]] = {}
        if amount.amount_minor <= 0:
            errors["amount"] = [gettext("A bonus is more than zero.")]
        elif amount.currency != c.project.pay_currency:
            errors["amount"] = [
                gettext("This project pays in %(pay_currency)s.") % {"pay_currency": c.project.pay_currency}
            ]
        if not reason.strip():
            errors["reason"] = [gettext("Say what the bonus is for; the freelancer sees it.")]
        if errors:
            raise ValidationFailed(gettext("The bonus cannot be paid."), fields=errors)
        entry, created = ledger_post(
            kind="bonus",
            key=f"bonus:{c.pk}:{key}",
            memo=memo_in(
                c.freelancer,
                gettext_noop("Bonus for %(item)s: %(reason)s"),
                item=c.task.item.external_id,
                reason=reason.strip(),
            ),
            legs=[
                Leg(funding(c.project_id), -amount.amount_minor, amount.currency),
                Leg(payable(c.freelancer_id), amount.amount_minor, amount.currency),
            ],
            project=c.project,
            contribution=c,
            freelancer=c.freelancer,
            created_by=actor,
        )
        if created:  # a retried request pays nothing more and records nothing more
            audit_record(
                actor=actor,
                action="contribution.bonus",
                target=c,
                data={"entry": entry.pk, "amount_minor": amount.amount_minor, "currency": amount.currency},
            )
        return entry, created
