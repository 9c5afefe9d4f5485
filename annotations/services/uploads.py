"""Uploads of project assets: announce files, upload straight to storage, confirm, ingest.

1. `uploads_request`: the admin names the files (name, size, type, item). Each becomes a MediaFile awaiting
   upload and gets a presigned POST whose policy pins its exact size and content type.
2. The browser posts each file to storage directly (S3), or to the signed local endpoint (embedded mode).
3. `uploads_complete`: the server checks each object is there with the announced size, marks it pending and
   enqueues one ingestion task per file after commit.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import IO

from django.db import transaction
from django.utils.translation import gettext

from annotations.domain import media as media_rules
from annotations.domain.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from annotations.models import Item, MediaFile, MediaStatus, Project, ProjectStatus, Role, User
from annotations.providers.storage import (
    LocalStorage,
    MissingObject,
    PresignedPost,
    object_storage,
    verify_upload_token,
)
from annotations.services.audit import audit_record
from annotations.services.ingestion import INGEST_TASK
from annotations.services.jobs import enqueue_on_commit

UPLOAD_EXPIRES_IN = 15 * 60


@dataclass(frozen=True, slots=True)
class FileAnnouncement:
    name: str
    size_bytes: int
    content_type: str
    item: str = ""


@dataclass(frozen=True, slots=True)
class UploadTicket:
    media: MediaFile
    post: PresignedPost


def check_can_add_assets(actor: User, project: Project) -> None:
    """Only the project's own admins add assets, and not once it is closed."""
    if actor.role != Role.ADMIN or actor.organization_id != project.organization_id:
        raise PermissionDenied(gettext("Only the project's admins can add assets."))
    if project.status == ProjectStatus.CLOSED:
        raise Conflict(gettext("A closed project takes no new assets."), code="project_closed")


def items_ensure(project: Project, external_ids: list[str]) -> dict[str, Item]:
    """The project's items by external id, creating the missing ones in one statement."""
    wanted = set(external_ids)
    Item.objects.bulk_create(
        [Item(project=project, external_id=e) for e in sorted(wanted)], ignore_conflicts=True, batch_size=1000
    )
    found: dict[str, Item] = {}
    for chunk in _chunks(sorted(wanted), 900):
        found.update((i.external_id, i) for i in Item.objects.filter(project=project, external_id__in=chunk))
    return found


def _chunks(values: list[str], size: int) -> list[list[str]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


def _validate(
    files: list[FileAnnouncement],
) -> tuple[list[tuple[FileAnnouncement, str, str, str]], dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    ok: list[tuple[FileAnnouncement, str, str, str]] = []
    if not 1 <= len(files) <= media_rules.MAX_FILES_PER_REQUEST:
        errors["files"] = [
            gettext("Announce 1 to %(max_files_per_request)s files at a time.")
            % {"max_files_per_request": media_rules.MAX_FILES_PER_REQUEST}
        ]
        return ok, errors
    for index, f in enumerate(files):
        problems = []
        name = media_rules.safe_name(f.name)
        if not name:
            problems.append(gettext("The file name is empty once path and control characters are removed."))
        content_type = media_rules.canonical(f.content_type)
        kind = media_rules.kind_of(content_type)
        limit = media_rules.max_bytes_for(content_type)
        if kind is None or limit is None:
            problems.append(
                gettext(
                    "%(type)s is not accepted. Accepted: images (PNG, JPEG, WebP, GIF), audio (WAV, MP3, FLAC, Ogg), "
                    "video (MP4, WebM, MOV), text (plain, Markdown, CSV, JSON), motion capture (BVH, C3D), sensor "
                    "series (CSV with a time column, Parquet), 3D models (glTF, GLB)."
                )
                % {"type": f.content_type or "?"}
            )
        elif not 1 <= f.size_bytes <= limit:
            label = "CSV" if content_type == "text/csv" else kind.capitalize()
            problems.append(
                gettext("An empty file cannot be uploaded.")
                if f.size_bytes < 1
                else gettext("%(kind)s files may be at most %(mib)s MiB.") % {"kind": label, "mib": limit // 1024**2}
            )
        item = media_rules.safe_name(f.item)[:200] if f.item else name.rsplit(".", 1)[0]
        if problems:
            errors[f"files.{index}"] = problems
        else:
            ok.append((f, name, content_type, item or "item"))
    return ok, errors


def uploads_request(*, actor: User, project: Project, files: list[FileAnnouncement]) -> list[UploadTicket]:
    check_can_add_assets(actor, project)
    ok, errors = _validate(files)
    if errors:
        raise ValidationFailed(gettext("Some files cannot be uploaded."), fields=errors)
    storage = object_storage()
    tickets: list[UploadTicket] = []
    with transaction.atomic():
        items = items_ensure(project, [item_id for *_, item_id in ok])
        for f, name, content_type, item_id in ok:
            item = items[item_id]
            key = f"projects/{project.pk}/items/{item.pk}/{uuid.uuid4().hex}/{name}"
            media = MediaFile.objects.create(
                item=item,
                project=project,
                name=name,
                storage_key=key,
                kind=media_rules.kind_of(content_type) or "other",
                content_type=content_type,
                claimed_content_type=content_type,
                size_bytes=f.size_bytes,
                status=MediaStatus.UPLOADING,
            )
            post = storage.presigned_post(
                key=key, content_type=content_type, size=f.size_bytes, expires_in=UPLOAD_EXPIRES_IN
            )
            tickets.append(UploadTicket(media=media, post=post))
    return tickets


def uploads_complete(*, actor: User, project: Project, file_ids: list[int]) -> list[MediaFile]:
    """Confirm uploads. Files not (fully) in storage are reported and left as they are; the rest start ingesting."""
    check_can_add_assets(actor, project)
    storage = object_storage()
    with transaction.atomic():
        files = list(MediaFile.objects.select_for_update().filter(project=project, pk__in=file_ids).order_by("pk"))
        found = {m.pk for m in files}
        missing_ids = [i for i in file_ids if i not in found]
        if missing_ids:
            raise NotFound(
                gettext("No such files in this project: %(missing_ids)s.")
                % {"missing_ids": ", ".join(map(str, missing_ids))}
            )
        problems: dict[str, list[str]] = {}
        for media in files:
            if media.status != MediaStatus.UPLOADING:
                continue
            try:
                size = storage.size_of(media.storage_key)
            except MissingObject:
                problems[str(media.pk)] = [f"{media.name}: not uploaded yet."]
                continue
            if size != media.size_bytes:
                problems[str(media.pk)] = [f"{media.name}: {size} bytes arrived, {media.size_bytes} were announced."]
                continue
        if problems:
            raise ValidationFailed(
                gettext("Some files are not fully uploaded."), code="upload_incomplete", fields=problems
            )
        arrived = [media for media in files if media.status == MediaStatus.UPLOADING]
        for media in arrived:
            media.status = MediaStatus.PENDING
            media.save(update_fields=["status"])
            enqueue_on_commit(INGEST_TASK, media.pk)
        if arrived:
            audit_record(
                actor=actor,
                action="project.assets_uploaded",
                target=project,
                organization=project.organization,
                data={"files": len(arrived), "bytes": sum(m.size_bytes for m in arrived)},
            )
    return files


def upload_local_receive(*, token: str, stream: IO[bytes], size: int, content_type: str) -> None:
    """Embedded mode's stand-in for S3's presigned POST: the signed policy is enforced here."""
    try:
        policy = verify_upload_token(token, max_age=timedelta(seconds=UPLOAD_EXPIRES_IN))
    except Exception:
        raise PermissionDenied(gettext("The upload link is invalid or has expired."), code="upload_denied") from None
    if size != policy["s"]:
        raise ValidationFailed(
            gettext("The policy allows exactly %(allowed)s bytes; %(sent)s were sent.")
            % {"allowed": policy["s"], "sent": size},
            code="entity_size_mismatch",
        )
    if media_rules.canonical(content_type) != policy["t"]:
        raise ValidationFailed(
            gettext("The policy allows only %(type)s.") % {"type": policy["t"]}, code="content_type_mismatch"
        )
    storage = object_storage()
    if not isinstance(storage, LocalStorage):
        raise NotFound(gettext("No such endpoint."))
    if policy["k"].startswith("drafts/"):
        if storage.path(policy["k"]).exists():
            raise Conflict(gettext("This draft file was uploaded already."), code="already_uploaded")
    elif not MediaFile.objects.filter(storage_key=policy["k"], status=MediaStatus.UPLOADING).exists():
        raise NotFound(gettext("No upload awaits this file."))
    storage.put_stream(policy["k"], stream)
