"""Approved work made through the services, and a build run step by step (the workers' part, in-process)."""

from __future__ import annotations

import hashlib
import tarfile
from pathlib import Path
from typing import Any

from annotations.models import Contribution, DatasetShard, DatasetVersion, MediaFile, Project, User
from annotations.providers.storage import object_storage
from annotations.services.datasets import shard_build, version_finalize, version_snapshot
from annotations.services.review import review_decide
from annotations.services.work import (
    DraftInput,
    WorkState,
    contribution_claim_next,
    contribution_save,
    contribution_submit,
    draft_create,
)
from tests.factories import UserFactory
from tests.media import png

SPEC = {
    "version": 1,
    "fields": [
        {"key": "intent", "type": "intent", "label": "Intent", "required": True},
        {"key": "drafts", "type": "drafts", "label": "Drafts", "required": True, "min": 1, "max": 5},
        {"key": "mood", "type": "choice", "label": "Mood", "required": True, "options": ["calm", "tense"]},
        {"key": "quality", "type": "rating", "label": "Quality", "required": True, "min": 1, "max": 5},
    ],
}
RUBRIC = [{"key": "craft", "label": "Craft", "max": 4}]


def with_media_bytes(project: Project) -> Project:
    """Put real bytes in storage behind the factory's media rows (WebDataset shards carry them)."""
    storage = object_storage()
    for m in MediaFile.objects.filter(project=project):
        shade = (40 + m.item_id * 13 % 200, 90, 140)
        data = png(colour=shade) if m.kind == "image" else f"Reference text for {m.item.external_id}.".encode()
        storage.put(m.storage_key, data, m.content_type)
        MediaFile.objects.filter(pk=m.pk).update(size_bytes=len(data), sha256=hashlib.sha256(data).hexdigest())
    return project


def approved_work(
    project: Project,
    reviewer: User,
    n: int,
    *,
    craft: int = 3,
    freelancer: User | None = None,
    approve: bool = True,
    note_edit: str | None = None,
    notes: list[dict[str, Any]] | None = None,
) -> Contribution:
    """A contribution claimed, written (intent, an anchored note, answers, two text drafts), submitted, approved.

    With `note_edit`, the note is then edited in place to that text before the drafts; `notes` replaces the one
    note."""
    fl: Any = freelancer or UserFactory(role="freelancer")
    c = contribution_claim_next(actor=fl, project=project)
    saved = contribution_save(
        actor=fl,
        contribution_id=c.pk,
        base_version=c.version,
        state=WorkState(
            f"Piece {n}: the harbour before the storm, told in three tones of grey.",
            notes or [{"id": f"note-{n}", "body": f"Kept the horizon low in piece {n}.", "anchor": None}],
            {"mood": "calm" if n % 2 else "tense", "quality": 1 + n % 5},
        ),
    )
    if note_edit is not None:
        saved = contribution_save(
            actor=fl,
            contribution_id=c.pk,
            base_version=saved.version,
            state=WorkState(saved.intent, [{"id": f"note-{n}", "body": note_edit, "anchor": None}], saved.answers),
        )
    for seq in (1, 2):
        draft_create(
            actor=fl,
            contribution_id=c.pk,
            draft=DraftInput(
                client_key=f"draft-{n}-{seq}",
                change_note=f"Pass {seq}",
                what_failed="The first horizon sat too high." if seq == 2 else "",
                text=f"Draft {seq} of piece {n}: grey, greyer, almost black.",
            ),
        )
    Contribution.objects.filter(pk=c.pk).update(active_seconds=600 + n)
    contribution_submit(
        actor=fl,
        contribution_id=c.pk,
        base_version=saved.version,
        tools=["pencil"],
        generative_tools_used=n % 3 == 0,
        attested=True,
    )
    if approve:
        review_decide(actor=reviewer, contribution_id=c.pk, decision="approve", scores={"craft": craft})
    return Contribution.objects.get(pk=c.pk)


def build_here(version: DatasetVersion) -> DatasetVersion:
    """What the workers do for a build: snapshot, every shard, the join."""
    version_snapshot(version_id=version.pk)
    for shard_id in DatasetShard.objects.filter(version=version).values_list("pk", flat=True):
        shard_build(shard_id=shard_id)
    built = version_finalize(version_id=version.pk)
    assert built is not None
    return built


def download(key: str, to: Path) -> Path:
    to.parent.mkdir(parents=True, exist_ok=True)
    with to.open("wb") as out:
        for chunk in object_storage().chunks(key):
            out.write(chunk)
    return to


def tar_members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}  # type: ignore[union-attr]
