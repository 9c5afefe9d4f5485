"""Ingestion of one uploaded media file: size, real type, sha256, probe, preview, duplicates.

Idempotent: only a `pending` file is examined, and its result is written under a row lock only if the file is
still `pending`, so running it twice (a retry, a re-delivered task, the sweeper) changes nothing the second
time. The slow part (reading, hashing, probing) runs outside any transaction.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from annotations.domain import media as media_rules
from annotations.domain.probe import ProbeError, probe
from annotations.models import MediaFile, MediaStatus, ProjectStatus
from annotations.providers.storage import MissingObject, ObjectStorage, TransientStorageError, object_storage
from annotations.services.jobs import enqueue_on_commit
from annotations.services.tasks import tasks_generate

log = logging.getLogger(__name__)
INGEST_TASK = "workers.ingest_media_file"


@dataclass(slots=True)
class Outcome:
    failure: str = ""
    kind: str = ""
    sha256: str = ""
    size: int = 0
    content_type: str = ""
    facts: dict[str, Any] = field(default_factory=dict)
    preview_key: str = ""


def _human(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} bytes"


def _examine(storage: ObjectStorage, media: MediaFile) -> Outcome:
    claimed = media_rules.canonical(media.claimed_content_type or media.content_type)
    kind = media_rules.kind_of(claimed)
    if kind is None:
        return Outcome(failure=f"{claimed} is not an accepted media type.")
    limit = media_rules.max_bytes_for(claimed) or media_rules.MAX_BYTES[kind]
    try:
        size = storage.size_of(media.storage_key)
    except MissingObject:
        return Outcome(
            failure="Nothing is stored under this key: the upload never arrived or the manifest names a missing object."
        )
    if size == 0:
        return Outcome(failure="The file is empty (0 bytes).")
    if size > limit:
        return Outcome(failure=f"The file is {_human(size)}; {kind} files may be at most {_human(limit)}.")
    with tempfile.TemporaryDirectory(prefix="atelier-ingest-") as tmp:
        local = Path(tmp) / "file"
        digest = hashlib.sha256()
        head = b""
        seen = 0
        with local.open("wb") as out:
            for chunk in storage.chunks(media.storage_key):
                seen += len(chunk)
                if seen > limit:
                    return Outcome(failure=f"The file grew past {_human(limit)} while it was read.")
                if len(head) < 8192:
                    head += chunk[: 8192 - len(head)]
                digest.update(chunk)
                out.write(chunk)
        sniffed = media_rules.sniff(head)
        if sniffed.content_type is None or media_rules.kind_of(sniffed.content_type) is None:
            return Outcome(failure=f"The bytes are {sniffed.description}, not the {claimed} it was uploaded as.")
        if not media_rules.same_family(claimed, sniffed.content_type, head=head):
            misfit = sniffed.content_type == "text/plain" and media_rules.text_misfit(claimed, head)
            return Outcome(
                failure=misfit or f"The bytes are {sniffed.content_type}, but it was uploaded as {claimed}.",
            )
        if claimed == "text/csv" and media_rules.csv_is_sensor(head):
            kind = "sensor"  # the content decides: a time column and numeric channels
        elif seen > media_rules.MAX_BYTES[kind]:
            return Outcome(
                failure=f"The file is {_human(seen)}; {kind} files may be at most {_human(media_rules.MAX_BYTES[kind])}"
                " (a larger CSV is taken only as a sensor series: a time column first, numbers in the others)."
            )
        sha = digest.hexdigest()
        twin = _twin(media, sha)
        if twin is not None:
            return Outcome(failure=twin)
        try:
            probed = probe(local, kind)
        except ProbeError as exc:
            return Outcome(failure=str(exc))
    preview_key = ""
    if probed.preview:
        ext = "webp" if probed.preview_type == "image/webp" else "png"
        preview_key = f"previews/{media.project_id}/{media.pk}.{ext}"
        storage.put(preview_key, probed.preview, probed.preview_type)
    # Text formats (CSV, Markdown, BVH, glTF JSON) sniff as plain text: the claim, checked to fit, names them.
    content_type = claimed if sniffed.content_type == "text/plain" else sniffed.content_type
    return Outcome(
        kind=kind, sha256=sha, size=seen, content_type=content_type, facts=probed.facts, preview_key=preview_key
    )


def _twin(media: MediaFile, sha: str) -> str | None:
    twin = (
        MediaFile.objects.filter(project_id=media.project_id, sha256=sha, status=MediaStatus.READY)
        .exclude(pk=media.pk)
        .select_related("item")
        .first()
    )
    if twin is None:
        return None
    return f"Duplicate of {twin.name!r} in item {twin.item.external_id!r} (same sha256)."


def media_file_ingest(*, media_file_id: int, final_attempt: bool = False) -> MediaFile | None:
    """Examine a pending file and record the result. Raises TransientStorageError to be retried later."""
    media = MediaFile.objects.filter(pk=media_file_id).first()
    if media is None or media.status != MediaStatus.PENDING:
        return media
    MediaFile.objects.filter(pk=media.pk).update(attempts=media.attempts + 1)
    storage = object_storage()
    try:
        outcome = _examine(storage, media)
    except TransientStorageError:
        if not final_attempt:
            raise
        outcome = Outcome(failure="Storage did not answer after several tries; upload the file again.")
    return _record(media.pk, outcome)


def _record(media_id: int, outcome: Outcome) -> MediaFile | None:
    with transaction.atomic():
        media = MediaFile.objects.select_for_update().select_related("project").filter(pk=media_id).first()
        if media is None or media.status != MediaStatus.PENDING:
            return media
        media.ingested_at = timezone.now()
        if outcome.failure:
            media.status, media.failure_reason = MediaStatus.FAILED, outcome.failure[:500]
            media.save(update_fields=["status", "failure_reason", "ingested_at"])
            return media
        media.status = MediaStatus.READY
        media.kind = outcome.kind or media.kind  # a CSV found to be a sensor series changes kind here
        media.sha256, media.size_bytes, media.content_type = outcome.sha256, outcome.size, outcome.content_type
        media.probe, media.preview_key = outcome.facts, outcome.preview_key
        try:
            with transaction.atomic():
                media.save()
        except IntegrityError:
            # Another copy of the same bytes became ready in between: the unique constraint decides.
            media.status = MediaStatus.FAILED
            media.failure_reason = "Duplicate of another file in this project (same sha256)."
            media.sha256, media.preview_key = "", ""
            media.save(update_fields=["status", "failure_reason", "sha256", "preview_key", "ingested_at"])
            return media
        if media.project.status == ProjectStatus.PUBLISHED:
            tasks_generate(project=media.project)
    return media


def pending_media_sweep(*, older_than: timedelta = timedelta(minutes=10), limit: int = 1000) -> int:
    """Re-send ingestion for files pending too long (their send was lost in a crash). Returns how many."""
    cutoff = timezone.now() - older_than
    ids = list(
        MediaFile.objects.filter(status=MediaStatus.PENDING, created_at__lt=cutoff)
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    )
    with transaction.atomic():
        for media_id in ids:
            enqueue_on_commit(INGEST_TASK, media_id)
    return len(ids)
