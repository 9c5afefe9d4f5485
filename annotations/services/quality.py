"""Quality control writes: gold items (known answers) and the perceptual fingerprint of image drafts.

A gold item is an ordinary item of the project whose answers the admin knows, typed in or taken from an approved
contribution. Claims serve it at the project's gold rate (see `contribution_claim_next`); the freelancer is not
told, the contribution is paid like any other, and its match with the known answers is recorded at submission
and counted in the freelancer's reputation.

Image drafts get a 64-bit perceptual hash (pHash, from `imagehash`) after they are saved, in a Celery task; a
draft whose hash is within a few bits of another contribution's draft in the same project is recorded as a
near-duplicate, which the review queue shows as a flag. Flags inform; they never reject or withhold pay.
"""

from __future__ import annotations

import tempfile
import warnings
from datetime import timedelta
from pathlib import Path
from typing import Any

import imagehash
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from PIL import Image

from annotations.domain import quality as rules
from annotations.domain.errors import NotFound, PermissionDenied, ValidationFailed
from annotations.domain.media import MAX_IMAGE_PIXELS
from annotations.domain.output_spec import parse as parse_spec
from annotations.models import (
    Contribution,
    ContributionState,
    Draft,
    DraftKind,
    GoldItem,
    Item,
    NearDuplicate,
    NearDuplicateBand,
    Project,
    Role,
    User,
)
from annotations.providers.storage import object_storage
from annotations.services.audit import audit_record
from annotations.services.jobs import enqueue_on_commit

FINGERPRINT_TASK = "workers.fingerprint_draft"


def _admin_project(actor: User, project_id: int) -> Project:
    org = actor.organization_id
    project = Project.objects.filter(pk=project_id, organization_id=org).first() if org is not None else None
    if project is None:
        raise NotFound(gettext("No such project."))
    if actor.role != Role.ADMIN:
        raise PermissionDenied(gettext("Only the project's admins choose its gold items."))
    return project


def gold_item_set(
    *,
    actor: User,
    project_id: int,
    item_id: int | None = None,
    answers: dict[str, Any] | None = None,
    contribution_id: int | None = None,
) -> GoldItem:
    """Make an item gold with known answers, typed in or taken from an approved contribution to it.

    Setting it again replaces the answers (later submissions are scored against the new ones)."""
    project = _admin_project(actor, project_id)
    spec = parse_spec(project.output_spec)
    source = None
    if contribution_id is not None:
        source = Contribution.objects.filter(pk=contribution_id, project=project).select_related("task").first()
        if source is None:
            raise ValidationFailed(
                gettext("No such contribution in this project."), fields={"contribution_id": [gettext("Unknown.")]}
            )
        if source.state != ContributionState.APPROVED:
            raise ValidationFailed(
                gettext("Only approved work can be a gold standard."),
                fields={"contribution_id": [gettext("Not approved.")]},
            )
        item_id = source.task.item_id
        answers = rules.gold_subset(spec, source.answers or {})
        if not answers:
            raise ValidationFailed(
                gettext("That contribution has no rating or choice answer to use as gold."),
                fields={"contribution_id": [gettext("No comparable answers.")]},
            )
    item = Item.objects.filter(pk=item_id, project=project).first() if item_id is not None else None
    if item is None:
        raise ValidationFailed(gettext("No such item in this project."), fields={"item_id": [gettext("Unknown item.")]})
    problems = rules.gold_answer_problems(spec, answers)
    if problems:
        raise ValidationFailed(
            gettext("The known answers are invalid."), fields={f"answers.{k}": v for k, v in problems.items()}
        )
    with transaction.atomic():
        gold, created = GoldItem.objects.update_or_create(
            item=item, defaults={"project": project, "answers": answers, "source": source, "created_by": actor}
        )
        audit_record(
            actor=actor,
            action="gold.set",
            target=project,
            organization=project.organization,
            data={"item": item.external_id, "created": created, "from_contribution": contribution_id},
        )
    return gold


def gold_item_remove(*, actor: User, project_id: int, item_id: int) -> None:
    """The item goes back to the ordinary stream; scores already given stay."""
    project = _admin_project(actor, project_id)
    with transaction.atomic():
        gold = GoldItem.objects.select_for_update().select_related("item").filter(project=project, item_id=item_id)
        found = gold.first()
        if found is None:
            raise NotFound(gettext("That item is not gold."))
        found.delete()
        audit_record(
            actor=actor,
            action="gold.removed",
            target=project,
            organization=project.organization,
            data={"item": found.item.external_id},
        )


# --- Perceptual fingerprints -----------------------------------------------------------------------------------


def fingerprint_later(draft: Draft) -> None:
    if draft.kind == DraftKind.FILE and draft.content_type.startswith("image/"):
        enqueue_on_commit(FINGERPRINT_TASK, draft.pk)


def _phash(path: Path) -> int:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(path) as img:
            if img.width * img.height > MAX_IMAGE_PIXELS:
                raise ValueError("image too large")
            img.draft("RGB", (512, 512))  # JPEG decodes at a reduced scale: the hash needs 32x32
            return int(str(imagehash.phash(img)), 16)


def draft_fingerprint(*, draft_id: int) -> Draft | None:
    """Hash an image draft and record its near-duplicates among other contributions' drafts. Idempotent."""
    draft = Draft.objects.select_related("contribution").filter(pk=draft_id).first()
    if draft is None or draft.kind != DraftKind.FILE or not draft.content_type.startswith("image/"):
        return None
    phash = draft.phash
    if phash is None:
        with tempfile.TemporaryDirectory(prefix="atelier-phash-") as tmp:
            local = Path(tmp) / "draft"
            with local.open("wb") as out:
                for chunk in object_storage().chunks(draft.storage_key):
                    out.write(chunk)
            try:
                value = rules.to_signed64(_phash(local))
            except (OSError, ValueError, Image.DecompressionBombWarning, Image.DecompressionBombError):
                return draft  # not decodable as an image: nothing to compare (submission checks already passed)
        Draft.objects.filter(pk=draft.pk, phash__isnull=True).update(phash=value)
        draft.phash = phash = value
    project_id = draft.contribution.project_id
    others = (
        Draft.objects.filter(contribution__project_id=project_id, phash__isnull=False)
        .exclude(contribution_id=draft.contribution_id)
        .values_list("pk", "phash")
        .iterator(chunk_size=5000)
    )
    close = [
        NearDuplicate(project_id=project_id, draft=draft, other_id=pk, distance=d)
        for pk, other in others
        if other is not None and (d := rules.hash_distance(phash, other)) <= rules.NEAR_DUPLICATE_MAX_DISTANCE
    ]
    NearDuplicate.objects.bulk_create(close, ignore_conflicts=True)
    return draft


def drafts_fingerprint_sweep(*, limit: int = 500) -> int:
    """Image drafts of the last two days that never got a hash (the task was lost): hash them now. Beat runs this.
    Older ones are left alone, so a file that cannot be decoded is not tried forever."""
    now = timezone.now()
    ids = list(
        Draft.objects.filter(
            kind=DraftKind.FILE,
            content_type__startswith="image/",
            phash__isnull=True,
            created_at__lt=now - timedelta(minutes=10),
            created_at__gt=now - timedelta(days=2),
        )
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        draft_fingerprint(draft_id=pk)
    return len(ids)


# --- Near-duplicates of approved work ---------------------------------------------------------------------------


CANDIDATES_PER_BAND = 8


def approved_fingerprint(c: Contribution) -> None:
    """At approval: keep the final text's MinHash signature and its LSH bands, and note an earlier approved
    contribution by someone else in the project that this one nearly repeats (text, or an image draft within the
    pHash distance). The caller saves the contribution.

    The text's candidates are the earliest `CANDIDATES_PER_BAND` approved contributions by others that share a band
    with it (an index range scan per band of `NearDuplicateBand`), so an approval costs the same few queries however
    large the project (comparing with every approved signature in Python grew with it); the earliest candidate whose
    signature is alike enough is the one noted."""
    from annotations.domain import collapse

    drafts = list(c.drafts.order_by("sequence").values_list("kind", "body"))
    texts = [body for kind, body in drafts if kind == DraftKind.TEXT]
    text = texts[-1] if texts else c.intent
    c.text_signature = collapse.signature(text) if text.strip() else None
    earlier = Contribution.objects.filter(project_id=c.project_id, state=ContributionState.APPROVED).exclude(
        freelancer_id=c.freelancer_id
    )
    if c.text_signature is not None:
        bands = collapse.band_hashes(c.text_signature)
        candidates: set[int] = set()
        for band, band_hash in enumerate(bands):
            candidates.update(
                NearDuplicateBand.objects.filter(
                    project_id=c.project_id,
                    band=band,
                    band_hash=band_hash,
                    contribution__state=ContributionState.APPROVED,
                )
                .exclude(contribution__freelancer_id=c.freelancer_id)
                .exclude(contribution_id=c.pk)
                .order_by("contribution_id")
                .values_list("contribution_id", flat=True)[:CANDIDATES_PER_BAND]
            )
        NearDuplicateBand.objects.bulk_create(
            [
                NearDuplicateBand(project_id=c.project_id, band=band, band_hash=h, contribution_id=c.pk)
                for band, h in enumerate(bands)
            ],
            update_conflicts=True,
            unique_fields=["contribution", "band"],
            update_fields=["band_hash", "project"],
        )
        signatures = (
            Contribution.objects.filter(pk__in=candidates, text_signature__isnull=False)
            .order_by("pk")
            .values_list("pk", "text_signature")
            if candidates
            else []
        )
        for pk, sig in signatures:
            if sig and collapse.similarity(c.text_signature, sig) >= collapse.TEXT_THRESHOLD:
                c.near_duplicate_of_id = pk
                return
    image_twin = (
        NearDuplicate.objects.filter(draft__contribution=c, other__contribution__in=earlier)
        .values_list("other__contribution_id", flat=True)
        .first()
    ) or (
        NearDuplicate.objects.filter(other__contribution=c, draft__contribution__in=earlier)
        .values_list("draft__contribution_id", flat=True)
        .first()
    )
    c.near_duplicate_of_id = image_twin
