"""Bulk import of objects already in storage: from a CSV/JSONL manifest or everything under a prefix.

The objects stay where they are (the organisation's import folder); each becomes a pending MediaFile and is
ingested like an upload, one Celery task per file. Importing the same manifest again changes nothing: keys
already registered in the project are reported as such, not registered twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext

from annotations.domain import manifest
from annotations.domain import media as media_rules
from annotations.domain.errors import ValidationFailed
from annotations.models import MediaFile, MediaStatus, Project, User
from annotations.providers.storage import object_storage
from annotations.services.audit import audit_record
from annotations.services.ingestion import INGEST_TASK
from annotations.services.jobs import enqueue_on_commit
from annotations.services.uploads import check_can_add_assets, items_ensure


@dataclass(slots=True)
class ImportResult:
    root: str
    created: list[MediaFile] = field(default_factory=list)
    already_imported: int = 0
    skipped: dict[str, str] = field(default_factory=dict)


def project_import_root(project: Project) -> str:
    return manifest.import_root(project.organization.slug)


def import_manifest(*, actor: User, project: Project, text: str, fmt: str) -> ImportResult:
    check_can_add_assets(actor, project)
    root = project_import_root(project)
    try:
        files = manifest.parse_manifest(text, fmt, root)
    except manifest.ManifestError as exc:
        raise ValidationFailed(str(exc), code="invalid_manifest", fields=exc.fields) from exc
    return _register(actor=actor, project=project, root=root, files=files, sizes={}, source=f"manifest:{fmt}")


def import_prefix(*, actor: User, project: Project, prefix: str) -> ImportResult:
    check_can_add_assets(actor, project)
    root = project_import_root(project)
    prefix = prefix.strip().strip("/")
    full = root
    if prefix:
        key, problem = manifest.full_key(root, prefix)
        if problem:
            raise ValidationFailed(gettext("That prefix cannot be imported."), fields={"prefix": [problem]})
        full = key + "/"
    listed = object_storage().list_keys(full, limit=manifest.MAX_IMPORT_FILES + 1)
    if not listed:
        raise ValidationFailed(
            gettext("Nothing is stored under that prefix."),
            code="empty_prefix",
            fields={"prefix": [gettext("No objects under %(full)s") % {"full": full}]},
        )
    if len(listed) > manifest.MAX_IMPORT_FILES:
        raise ValidationFailed(
            gettext("Too many objects under that prefix."),
            fields={
                "prefix": [
                    gettext("More than %(max_import_files)s objects; import a narrower prefix.")
                    % {"max_import_files": f"{manifest.MAX_IMPORT_FILES:,}"}
                ]
            },
        )
    files, skipped = manifest.files_under_prefix(listed, full)
    result = _register(
        actor=actor, project=project, root=root, files=files, sizes=dict(listed), source=f"prefix:{full}"
    )
    result.skipped.update(skipped)
    return result


def _register(
    *, actor: User, project: Project, root: str, files: list[manifest.ImportFile], sizes: dict[str, int], source: str
) -> ImportResult:
    result = ImportResult(root=root)
    keys = [f.key for f in files]
    with transaction.atomic():
        taken: dict[str, int] = {}
        for start in range(0, len(keys), 900):
            taken.update(
                MediaFile.objects.filter(storage_key__in=keys[start : start + 900]).values_list(
                    "storage_key", "project_id"
                )
            )
        fresh = []
        for f in files:
            owner = taken.get(f.key)
            if owner == project.pk:
                result.already_imported += 1
            elif owner is not None:
                result.skipped[f.key] = gettext(
                    "Already imported into project %(project)s; an object belongs to one project."
                ) % {"project": owner}
            else:
                fresh.append(f)
        items = items_ensure(project, [f.item for f in fresh]) if fresh else {}
        result.created = MediaFile.objects.bulk_create(
            [
                MediaFile(
                    item=items[f.item],
                    project=project,
                    name=f.name,
                    storage_key=f.key,
                    kind=media_rules.kind_of(f.content_type) or "other",
                    content_type=f.content_type,
                    claimed_content_type=f.content_type,
                    size_bytes=sizes.get(f.key, 0),
                    status=MediaStatus.PENDING,
                )
                for f in fresh
            ],
            batch_size=1000,
        )
        for media in result.created:
            enqueue_on_commit(INGEST_TASK, media.pk)
        audit_record(
            actor=actor,
            action="project.assets_imported",
            target=project,
            organization=project.organization,
            data={
                "source": source,
                "created": len(result.created),
                "already_imported": result.already_imported,
                "skipped": len(result.skipped),
            },
        )
    return result
