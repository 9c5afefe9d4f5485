"""Reads for the freelancer's side: the marketplace, their contributions, and who may see a contribution."""

from __future__ import annotations

import time
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from annotations.domain import quality as quality_rules
from annotations.domain.errors import NotFound
from annotations.models import (
    Contribution,
    ContributionState,
    Draft,
    FreelancerProfile,
    Item,
    MediaFile,
    MediaStatus,
    Project,
    ProjectStatus,
    Review,
    Role,
    Slot,
    SlotState,
    User,
)
from annotations.selectors.accounts import onboarding_require


def reputation_of(user: User) -> quality_rules.Reputation:
    """Approval rate, mean rubric score and gold accuracy of the freelancer's reviewed work, and their mean."""
    counts = dict(
        Contribution.objects.filter(freelancer=user, state__in=[ContributionState.APPROVED, ContributionState.REJECTED])
        .values_list("state")
        .annotate(n=Count("id"))
        .values_list("state", "n")
    )
    reviews = Review.objects.filter(contribution__freelancer=user, automatic=False).values_list(
        "contribution__project__rubric", "scores"
    )
    fractions = [f for rubric, scores in reviews if (f := quality_rules.rubric_fraction(rubric, scores)) is not None]
    gold = Contribution.objects.filter(freelancer=user, gold_score__isnull=False).exclude(
        state=ContributionState.IN_PROGRESS
    )
    return quality_rules.combine_reputation(
        approved=counts.get(ContributionState.APPROVED, 0),
        rejected=counts.get(ContributionState.REJECTED, 0),
        review_fractions=fractions,
        gold_scores=[g for g in gold.values_list("gold_score", flat=True) if g is not None],
    )


def reputation(user: User) -> float:
    return reputation_of(user).score


def _profile(user: User) -> FreelancerProfile | None:
    return FreelancerProfile.objects.filter(user=user).first()


def qualifies(
    user: User, project: Project, profile: FreelancerProfile | Any | None = ..., score: float | None = None
) -> bool:
    """The freelancer has every required skill and modality and the minimum reputation."""
    if profile is ...:
        profile = _profile(user)
    q = project.qualifications or {}
    needed = float(q.get("min_reputation", 0) or 0)
    skills = set(getattr(profile, "skills", []) or [])
    modalities = set(getattr(profile, "modalities", []) or [])
    return (
        set(q.get("skills", [])) <= skills
        and set(q.get("modalities", [])) <= modalities
        and (needed <= 0 or needed <= (reputation(user) if score is None else score))
    )


def marketplace_for(user: User) -> list[Project]:
    """Published projects the freelancer qualifies for, each with `work_left` (open slots they could take) and
    `revisions_waiting` (work a reviewer sent back while they held another task there: the next claim resumes it)."""
    if user.role != Role.FREELANCER:
        return []
    mine = (
        Contribution.objects.filter(freelancer=user, project=OuterRef("pk"), state=ContributionState.IN_PROGRESS)
        .order_by()
        .values("pk")[:1]
    )
    waiting = (
        Contribution.objects.filter(freelancer=user, project=OuterRef("pk"), state=ContributionState.REVISION)
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    left = (
        Slot.objects.filter(task__project=OuterRef("pk"), state=SlotState.OPEN, task__item__gold__isnull=True)
        .exclude(task__contributions__freelancer=user)
        .order_by()
        .values("task__project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    items = Item.objects.filter(project=OuterRef("pk")).order_by().values("project").annotate(n=Count("pk")).values("n")
    # Every count a subquery of its own: a Count() over a join would GROUP BY the project, and PostgreSQL would then
    # evaluate the other subqueries once per joined item row instead of once per project (a claim-sized project's
    # marketplace card took 300 ms that way).
    projects = (
        Project.objects.filter(status=ProjectStatus.PUBLISHED)
        .select_related("organization", "required_exam")
        .annotate(
            work_left=Coalesce(Subquery(left), 0),
            revisions_waiting=Coalesce(Subquery(waiting), 0),
            my_contribution_id=Subquery(mine),
            item_count=Coalesce(Subquery(items), 0),
        )
        .order_by("-created_at", "-id")
    )
    profile = _profile(user)
    onboarding_require(user, profile)
    # Reputation is three queries: read only when a listed project asks for a minimum.
    wants_score = any(float((p.qualifications or {}).get("min_reputation", 0) or 0) > 0 for p in projects)
    score = reputation(user) if wants_score else 0.0
    listed: list[Project] = [p for p in projects if qualifies(user, p, profile, score)]
    # A required exam does not hide the project: the card says which exam and where the freelancer stands on it.
    from annotations.selectors.exams import with_exam_standings

    return with_exam_standings(user, listed)


def contributions_of(user: User, state: str | None = None) -> QuerySet[Contribution]:
    qs = Contribution.objects.filter(freelancer=user).select_related("project", "task__item").order_by("-updated_at")
    return qs.filter(state=state) if state else qs


def _visible(actor: User) -> QuerySet[Contribution]:
    """The author always; the project's organisation's admins and reviewers too; nobody else."""
    qs = Contribution.objects.all()
    if actor.role == Role.FREELANCER:
        return qs.filter(freelancer=actor)
    if actor.role in (Role.ADMIN, Role.REVIEWER) and actor.organization_id is not None:
        return qs.filter(project__organization_id=actor.organization_id)
    return qs.none()


def contribution_visible_to(actor: User, contribution_id: int) -> Contribution:
    """The contribution with its project, item, files, drafts and reviews, for whoever may see it. Anyone else: 404."""
    qs = (
        _visible(actor)
        .select_related("project", "task__item", "slot", "freelancer")
        .prefetch_related(
            Prefetch("drafts", queryset=Draft.objects.order_by("sequence")),
            Prefetch("reviews", queryset=Review.objects.select_related("reviewer").order_by("created_at", "id")),
            Prefetch("task__item__files", queryset=MediaFile.objects.filter(status=MediaStatus.READY).order_by("id")),
        )
    )
    found = qs.filter(pk=contribution_id).first()
    if found is None:
        raise NotFound(gettext("No such contribution."))
    return found


def contribution_etag(actor: User, contribution_id: int, *, links_valid_for: int) -> str:
    """A validator of what `contribution_visible_to` would show `actor`, read in one small query (404 like it):
    every change of the work, its drafts, reviews and state moves the contribution's version or its updated_at, an
    edit of the project its updated_at. The media and draft links in the answer are presigned: the tag also turns
    over every half of their lifetime, so a 304 never hands back a link about to expire."""
    row = (
        _visible(actor)
        .filter(pk=contribution_id)
        .values_list("version", "state", "updated_at", "project__updated_at")
        .first()
    )
    if row is None:
        raise NotFound(gettext("No such contribution."))
    version, state, updated, project_updated = row
    window = int(time.time() // max(1, links_valid_for // 2))
    return (
        f'W/"c{contribution_id}.{version}.{state}.{updated.timestamp():.6f}.{project_updated.timestamp():.6f}'
        f'.u{actor.pk}.{window}"'
    )


def check_owns(actor: User, contribution_id: int) -> None:
    """The caller wrote the contribution; anyone else gets 404 (its id says nothing)."""
    if not Contribution.objects.filter(pk=contribution_id, freelancer=actor).exists():
        raise NotFound(gettext("No such contribution."))


def check_oversees(actor: User, contribution_id: int, *, roles: tuple[str, ...]) -> None:
    """The caller has one of `roles` in the organization the contribution's project belongs to; else 404."""
    org = actor.organization_id
    if (
        actor.role not in roles
        or org is None
        or not Contribution.objects.filter(pk=contribution_id, project__organization_id=org).exists()
    ):
        raise NotFound(gettext("No such contribution."))


# The author's own notes point into the task media: they keep seeing them, read-only, once the work is handed in
# and after it is accepted. Work given back, expired or rejected loses them (the slot may go to someone else).
AUTHOR_SEES_MEDIA = (ContributionState.IN_PROGRESS, ContributionState.SUBMITTED, ContributionState.APPROVED)


def may_see_media(actor: User, contribution: Contribution) -> bool:
    """Task media go to the author of in-progress, submitted and approved work (and to the project's staff)."""
    if actor.role in (Role.ADMIN, Role.REVIEWER):
        return actor.organization_id == contribution.project.organization_id
    return contribution.freelancer_id == actor.pk and contribution.state in AUTHOR_SEES_MEDIA
