"""A freelancer's portfolio: their approved work with its drafts and the dataset versions that hold it."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext

from annotations.domain import media as media_rules
from annotations.domain.errors import NotFound
from annotations.models import (
    Contribution,
    ContributionState,
    CredentialState,
    CreditOptIn,
    DatasetRecord,
    Draft,
    DraftKind,
    FreelancerProfile,
    User,
    VersionState,
)

EXCERPT = 400


def _credential(d: Draft, public: bool) -> dict[str, Any] | None:
    """The file draft's Content Credentials: embedded (with the copy's key, for its owner), not possible for the
    format, failed, or still pending (None for text drafts)."""
    if d.kind != DraftKind.FILE:
        return None
    row = getattr(d, "credential", None)
    if row is None:
        return {"state": "pending", "storage_key": None, "name": d.name, "content_type": d.content_type}
    embedded = row.state == CredentialState.EMBEDDED and not public
    return {
        "state": row.state,
        "storage_key": row.storage_key if embedded else None,
        "name": d.name,
        "content_type": d.content_type,
    }


def is_image_draft(d: Draft) -> bool:
    return d.kind == DraftKind.FILE and media_rules.kind_of(d.content_type) == "image"


def _drafts(c: Contribution, public: bool) -> list[dict[str, Any]]:
    return [
        {
            "id": d.pk,
            # Shown as a picture: the owner sees the file itself; the public page a re-encoded copy (no metadata),
            # so the key of the original is never handed to it.
            "image_key": d.storage_key if is_image_draft(d) and not public else None,
            "image_public": public and is_image_draft(d),
            "content_type": d.content_type,
            "name": d.name,
            "sequence": d.sequence,
            "kind": d.kind,
            "change_note": d.change_note,
            "what_failed": d.what_failed,
            "source_type": d.source_type,
            "excerpt": d.body[:EXCERPT] if d.kind == "text" else d.name,
            "created_at": d.created_at,
            "credentials": _credential(d, public),
        }
        for d in c.drafts.all()
    ]


def portfolio_of(user: User, *, public: bool = False) -> dict[str, Any]:
    """Accepted work, newest first, each with its drafts and the built dataset versions it is in."""
    work = list(
        Contribution.objects.filter(freelancer=user, state=ContributionState.APPROVED)
        .select_related("project", "task__item")
        .prefetch_related(Prefetch("drafts", queryset=Draft.objects.select_related("credential").order_by("sequence")))
        .order_by("-approved_at", "-id")[:200]
    )
    held: dict[int, list[dict[str, Any]]] = defaultdict(list)
    datasets: dict[int, dict[str, Any]] = {}
    for row in DatasetRecord.objects.filter(contribution__in=work, version__state=VersionState.BUILT).values(
        "contribution_id", "version__dataset_id", "version__dataset__name", "version__number"
    ):
        held[row["contribution_id"]].append(
            {
                "dataset_id": row["version__dataset_id"],
                "name": row["version__dataset__name"],
                "version": row["version__number"],
            }
        )
        datasets[row["version__dataset_id"]] = {"id": row["version__dataset_id"], "name": row["version__dataset__name"]}
    credits = dict(CreditOptIn.objects.filter(freelancer=user).values_list("dataset_id", "credit_name"))
    return {
        "name": user.shown_name,
        "contributions": [
            {
                "id": c.pk,
                "project_title": c.project.title,
                "item": c.task.item.external_id,
                "intent": c.intent,
                "approved_at": c.approved_at,
                "drafts": _drafts(c, public),
                "in_datasets": held.get(c.pk, []),
            }
            for c in work
        ],
        "datasets": []
        if public
        else [{**d, "credit_name": credits.get(d["id"])} for d in sorted(datasets.values(), key=lambda d: d["name"])],
    }


def _published(token: str) -> FreelancerProfile:
    profile = FreelancerProfile.objects.select_related("user").filter(portfolio_token=token).first() if token else None
    if profile is None:
        raise NotFound(gettext("No such portfolio."))
    return profile


def public_portfolio(token: str) -> dict[str, Any]:
    return portfolio_of(_published(token).user, public=True)


def public_image_draft(token: str, draft_id: int) -> Draft:
    """An image draft of accepted work in the portfolio published under `token`; anything else: 404."""
    profile = _published(token)
    draft = Draft.objects.filter(
        pk=draft_id,
        kind=DraftKind.FILE,
        contribution__freelancer=profile.user,
        contribution__state=ContributionState.APPROVED,
    ).first()
    if draft is None or not is_image_draft(draft):
        raise NotFound(gettext("No such image in this portfolio."))
    return draft
