"""Datasets and their versions: define, build (snapshot, one Celery task per shard, join), cancel; consent.

A build is three steps, each a Celery task that can run on any worker:

1. **Snapshot** (`version_snapshot`): in one transaction, the contributions the filters take at this moment are
   numbered into `DatasetRecord` rows by one INSERT … SELECT, and a shard row is planned per format and range.
   Approvals that arrive later are not in this version, whatever the shards' timing.
2. **Shards** (`shard_build`), one task each: read the shard's records in batches through a server-side cursor,
   write them to a local file as they come, upload it (multipart on S3), and mark the shard done; the shard that
   completes the count enqueues the join. A shard that fails is retried alone; its neighbours stand.
3. **Join** (`version_finalize`): merge the shards' facts into the data card, write the manifest, the card and the
   Hugging Face README next to the shards, and mark the version built. From then on nothing about it changes.

Cancelling stops the shards at their next batch and removes what they uploaded.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import orjson
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from annotations.domain import collapse
from annotations.domain import datasets as rules
from annotations.domain.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from annotations.domain.formats import writer_for
from annotations.domain.notifications import NotificationKind
from annotations.models import (
    ConsentWithdrawal,
    ContributionState,
    CreditOptIn,
    Dataset,
    DatasetRecord,
    DatasetShard,
    DatasetVersion,
    Project,
    Role,
    ShardState,
    SigningKey,
    User,
    VersionState,
)
from annotations.providers.storage import TransientStorageError, object_storage
from annotations.selectors.datasets import (
    collapse_sample,
    matching_contributions,
    record_id,
    version_prefix,
    version_records,
    withdrawn_count,
)
from annotations.services.audit import audit_record
from annotations.services.jobs import enqueue_on_commit
from annotations.services.notifications import notify_org_admins, say
from annotations.services.provenance import manifest_sign
from annotations.services.webhooks import webhook_emit

log = logging.getLogger(__name__)

SNAPSHOT_TASK = "workers.snapshot_dataset_version"
SHARD_TASK = "workers.build_dataset_shard"
FINALIZE_TASK = "workers.finalize_dataset_version"
CANCEL_CHECK_EVERY = 500
CONTENT_TYPES = {
    "jsonl": "application/x-ndjson",
    "parquet": "application/vnd.apache.parquet",
    "hf": "application/vnd.apache.parquet",
    "webdataset": "application/x-tar",
}


class BuildCancelled(Exception):
    pass


def _admin(actor: User) -> int:
    if actor.role != Role.ADMIN or actor.organization_id is None:
        raise PermissionDenied(gettext("Only an organisation's admins define and build its datasets."))
    return actor.organization_id


@dataclass(frozen=True, slots=True)
class DatasetFields:
    name: str | None = None
    description: str | None = None
    project_ids: list[int] | None = None
    filters: dict[str, Any] | None = None
    formats: list[str] | None = None
    shard_size: int | None = None
    compression: str | None = None


def _checked(org_id: int, fields: DatasetFields, current: Dataset | None) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}
    if fields.name is not None:
        if not fields.name.strip() or len(fields.name) > 200:
            errors["name"] = [gettext("1 to 200 characters.")]
        out["name"] = fields.name.strip()
    if fields.description is not None:
        out["description"] = fields.description
    if fields.project_ids is not None:
        ids = sorted(set(fields.project_ids))
        found = list(Project.objects.filter(pk__in=ids, organization_id=org_id).values_list("pk", flat=True))
        if not ids:
            errors["project_ids"] = [gettext("Choose at least one project.")]
        elif len(found) != len(ids):
            errors["project_ids"] = [
                gettext("Not projects of your organisation: %(ids)s.") % {"ids": sorted(set(ids) - set(found))}
            ]
        out["project_ids"] = ids
    try:
        if fields.filters is not None:
            out["filters"] = rules.clean_filters(fields.filters)
    except rules.DatasetError as exc:
        errors.update(exc.errors)
    try:
        formats = fields.formats if fields.formats is not None else (current.formats if current else ["jsonl"])
        size = fields.shard_size if fields.shard_size is not None else (current.shard_size if current else 10_000)
        comp = fields.compression if fields.compression is not None else (current.compression if current else "zstd")
        out["formats"], out["shard_size"], out["compression"] = rules.clean_build_options(formats, size, comp)
    except rules.DatasetError as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationFailed(gettext("Some fields are invalid."), fields=errors)
    return out


def dataset_create(*, actor: User, fields: DatasetFields) -> Dataset:
    org_id = _admin(actor)
    missing = [n for n in ("name", "project_ids") if getattr(fields, n) is None]
    if missing:
        raise ValidationFailed(
            gettext("Some fields are invalid."), fields={n: [gettext("This field is required.")] for n in missing}
        )
    values = _checked(org_id, fields, None)
    project_ids = values.pop("project_ids")
    values.setdefault("filters", rules.clean_filters({}))
    try:
        with transaction.atomic():
            dataset = Dataset.objects.create(organization_id=org_id, created_by=actor, **values)
            dataset.projects.set(project_ids)
            audit_record(actor=actor, action="dataset.created", target=dataset, organization=dataset.organization)
    except IntegrityError:
        raise Conflict(
            gettext("A dataset of that name exists."), code="duplicate_name", fields={"name": [gettext("Taken.")]}
        ) from None
    return dataset


def dataset_update(*, actor: User, dataset: Dataset, fields: DatasetFields) -> Dataset:
    """Change what later versions hold; versions already built keep what they froze."""
    org_id = _admin(actor)
    if dataset.organization_id != org_id:
        raise NotFound(gettext("No such dataset."))
    values = _checked(org_id, fields, dataset)
    project_ids = values.pop("project_ids", None)
    try:
        with transaction.atomic():
            Dataset.objects.filter(pk=dataset.pk).update(**values, updated_at=timezone.now())
            if project_ids is not None:
                dataset.projects.set(project_ids)
            audit_record(
                actor=actor,
                action="dataset.updated",
                target=dataset,
                organization=dataset.organization,
                data={"fields": sorted([*values, *(["project_ids"] if project_ids is not None else [])])},
            )
    except IntegrityError:
        raise Conflict(
            gettext("A dataset of that name exists."), code="duplicate_name", fields={"name": [gettext("Taken.")]}
        ) from None
    dataset.refresh_from_db()
    return dataset


# --- Building ----------------------------------------------------------------------------------------------------


def version_build(*, actor: User, dataset: Dataset) -> DatasetVersion:
    """Number a new version and queue its build."""
    org_id = _admin(actor)
    if dataset.organization_id != org_id:
        raise NotFound(gettext("No such dataset."))
    with transaction.atomic():
        locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
        if locked.versions.filter(state__in=[VersionState.QUEUED, VersionState.BUILDING]).exists():
            raise Conflict(gettext("A version of this dataset is already building."), code="build_running")
        if not matching_contributions(locked, locked.filters, timezone.now()).exists():
            raise Conflict(gettext("No approved work matches this dataset's projects and filters yet."), code="empty")
        number = (locked.versions.aggregate(top=Max("number"))["top"] or 0) + 1
        version = DatasetVersion.objects.create(
            dataset=locked,
            number=number,
            schema_version=rules.SCHEMA_VERSION,
            filters=locked.filters,
            formats=locked.formats,
            shard_size=locked.shard_size,
            compression=locked.compression,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="dataset.version_requested",
            target=locked,
            organization=locked.organization,
            data={"version": number},
        )
        enqueue_on_commit(SNAPSHOT_TASK, version.pk)
    return version


def version_snapshot(*, version_id: int) -> DatasetVersion | None:
    """Freeze the version's records and plan its shards, in one transaction; then send the shard tasks."""
    with transaction.atomic():
        version = (
            DatasetVersion.objects.select_for_update(of=("self",))
            .select_related("dataset")
            .filter(pk=version_id)
            .first()
        )
        if version is None or version.state != VersionState.QUEUED:
            return version  # done already, or cancelled: a repeated task changes nothing
        now = timezone.now()
        matching = matching_contributions(version.dataset, version.filters, now)
        # Work approved before manifests existed is signed now, so every record carries one.
        for c in matching.filter(manifest__isnull=True, state=ContributionState.APPROVED).iterator(chunk_size=500):
            manifest_sign(c, record_id=record_id(c.pk), automatic=False)
        ordered = matching.order_by().values("id", "export_at")  # type: ignore[misc]  # an annotation
        sql, params = ordered.query.sql_with_params()
        table = DatasetRecord._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (version_id, contribution_id, ordinal) "  # noqa: S608 (names are ours)
                f"SELECT %s, m.id, ROW_NUMBER() OVER (ORDER BY m.export_at, m.id) - 1 FROM ({sql}) AS m",
                (version.pk, *params),
            )
        count = DatasetRecord.objects.filter(version=version).count()
        if count == 0:
            version.state, version.error, version.finished_at = VersionState.FAILED, "No record matched.", now
            version.save(update_fields=["state", "error", "finished_at"])
            return version
        plans = rules.plan_shards(count, version.shard_size, version.formats)
        totals = {fmt: sum(1 for p in plans if p.format == fmt) for fmt in version.formats}
        prefix = version_prefix(version)
        DatasetShard.objects.bulk_create(
            DatasetShard(
                version=version,
                format=p.format,
                index=p.index,
                first_ordinal=p.first,
                end_ordinal=p.end,
                storage_key=prefix + rules.shard_name(p.format, p.index, totals[p.format], version.compression),
            )
            for p in plans
        )
        version.state, version.snapshot_at, version.started_at = VersionState.BUILDING, now, now
        version.record_count, version.shards_total = count, len(plans)
        version.save(update_fields=["state", "snapshot_at", "started_at", "record_count", "shards_total"])
        for shard_id in DatasetShard.objects.filter(version=version).values_list("pk", flat=True):
            enqueue_on_commit(SHARD_TASK, shard_id)
    return version


def _still_building(version_id: int) -> bool:
    return DatasetVersion.objects.filter(pk=version_id, state=VersionState.BUILDING).exists()


def shard_build(*, shard_id: int) -> DatasetShard | None:
    """Write one shard and upload it; the shard that completes the version sends the join. Idempotent."""
    shard = DatasetShard.objects.select_related("version__dataset").filter(pk=shard_id).first()
    if shard is None or shard.state == ShardState.DONE or shard.version.state != VersionState.BUILDING:
        return shard
    version = shard.version
    DatasetShard.objects.filter(pk=shard.pk).update(attempts=F("attempts") + 1)
    facts = rules.ShardFacts()
    with tempfile.TemporaryDirectory(prefix="atelier-shard-") as tmp:
        path = Path(tmp) / "shard"
        writer = writer_for(shard.format, path, version.compression)
        try:
            records = version_records(
                version, shard.first_ordinal, shard.end_ordinal, attachments=shard.format == "webdataset"
            )
            for n, (record, files) in enumerate(records):
                if n % CANCEL_CHECK_EVERY == 0 and n and not _still_building(version.pk):
                    raise BuildCancelled
                writer.write(record, files)
                facts.add(record)
        except BuildCancelled:
            return shard
        finally:
            writer.close()
        digest, size = hashlib.sha256(), 0
        with path.open("rb") as fh:
            while chunk := fh.read(1024 * 1024):
                digest.update(chunk)
                size += len(chunk)
        storage = object_storage()
        storage.put_file(shard.storage_key, path, CONTENT_TYPES[shard.format])
    with transaction.atomic():
        locked = DatasetVersion.objects.select_for_update().get(pk=version.pk)
        if locked.state != VersionState.BUILDING:
            storage.delete(shard.storage_key)  # cancelled while uploading: leave nothing behind
            return shard
        marked = DatasetShard.objects.filter(pk=shard.pk, state=ShardState.PENDING).update(
            state=ShardState.DONE,
            size_bytes=size,
            sha256=digest.hexdigest(),
            record_count=facts.records,
            finished_at=timezone.now(),
            error="",
            facts=facts.to_data(),
        )
        if marked:
            locked.shards_done += 1
            locked.save(update_fields=["shards_done"])
            if locked.shards_done == locked.shards_total:
                enqueue_on_commit(FINALIZE_TASK, locked.pk)
    shard.refresh_from_db()
    return shard


def shard_failed(*, shard_id: int, error: str) -> None:
    """The shard's last retry failed: the version fails with the reason; what was uploaded is removed."""
    with transaction.atomic():
        shard = DatasetShard.objects.select_related("version").filter(pk=shard_id).first()
        if shard is None:
            return
        DatasetShard.objects.filter(pk=shard.pk).update(state=ShardState.FAILED, error=error[:2000])
        version = DatasetVersion.objects.select_for_update().get(pk=shard.version_id)
        if version.state == VersionState.BUILDING:
            version.state, version.finished_at = VersionState.FAILED, timezone.now()
            version.error = f"{shard.format} shard {shard.index} failed: {error[:500]}"
            version.save(update_fields=["state", "finished_at", "error"])
            _notify_version(version, NotificationKind.DATASET_VERSION_FAILED)
            transaction.on_commit(lambda: _remove_uploads(version.pk))


def _notify_version(version: DatasetVersion, kind: NotificationKind) -> None:
    dataset = Dataset.objects.get(pk=version.dataset_id)
    built = kind == NotificationKind.DATASET_VERSION_BUILT
    notify_org_admins(
        organization_id=dataset.organization_id,
        kind=kind,
        event_key=f"dataset-version:{version.pk}:{'built' if built else 'failed'}",
        title=say(
            gettext_lazy("%(dataset)s v%(number)s is built")
            if built
            else gettext_lazy("%(dataset)s v%(number)s failed"),
            dataset=dataset.name,
            number=version.number,
        ),
        body="" if built else version.error,
        link=f"/datasets/{dataset.pk}/versions/{version.number}",
        context={
            "dataset_name": dataset.name,
            "version_number": version.number,
            "record_count": version.record_count,
            "error": version.error,
        },
    )


def _remove_uploads(version_id: int) -> None:
    """Best effort: a key that cannot be deleted now (storage down) is logged; the version is failed either way."""
    storage = object_storage()
    for key in DatasetShard.objects.filter(version_id=version_id).values_list("storage_key", flat=True):
        try:
            storage.delete(key)
        except TransientStorageError:
            log.warning("could not remove %s of failed or cancelled dataset version %s", key, version_id)


def version_finalize(*, version_id: int) -> DatasetVersion | None:
    """Join: the card and manifest from the shards' facts, written beside the shards; the version is built."""
    version = DatasetVersion.objects.select_related("dataset__organization").filter(pk=version_id).first()
    if version is None or version.state != VersionState.BUILDING or version.shards_done != version.shards_total:
        return version
    dataset = version.dataset
    shards = list(DatasetShard.objects.filter(version=version).order_by("format", "index"))
    first_format = version.formats[0]
    facts = rules.ShardFacts.merged([s.facts for s in shards if s.format == first_format])
    projects = list(dataset.projects.order_by("id"))
    contributors = DatasetRecord.objects.filter(version=version).values("contribution__freelancer").distinct().count()
    currencies = sorted({p.pay_currency for p in projects})
    card = rules.card_facts(
        facts=facts,
        contributors=contributors,
        projects=[{"id": p.pk, "title": p.title, "brief": p.brief, "currency": p.pay_currency} for p in projects],
        licences=sorted({p.licence for p in projects}),
        currency=currencies[0] if len(currencies) == 1 else None,
        filters=version.filters,
        withdrawn_left_out=withdrawn_count(dataset),
        anti_collapse=collapse.metrics(collapse_sample(version), version.record_count),
        jsonl_compression=version.compression if "jsonl" in version.formats else None,
        credits=list(
            CreditOptIn.objects.filter(
                dataset=dataset,
                freelancer__in=DatasetRecord.objects.filter(version=version).values("contribution__freelancer"),
            ).values_list("credit_name", flat=True)
        ),
    )
    built_at = timezone.now()
    markdown = rules.card_markdown(dataset.name, version.number, card, built_at.isoformat(timespec="seconds"))
    manifest = {
        "dataset": {"id": dataset.pk, "name": dataset.name},
        "version": version.number,
        "schema_version": version.schema_version,
        "record_count": version.record_count,
        "snapshot_at": version.snapshot_at.isoformat() if version.snapshot_at else None,
        "built_at": built_at.isoformat(),
        "filters": version.filters,
        "formats": version.formats,
        "shard_size": version.shard_size,
        "compression": version.compression,
        "shards": [
            {
                "format": s.format,
                "index": s.index,
                "path": s.storage_key.removeprefix(version_prefix(version)),
                "records": s.record_count,
                "size_bytes": s.size_bytes,
                "sha256": s.sha256,
            }
            for s in shards
        ],
    }
    storage = object_storage()
    prefix = version_prefix(version)
    manifest_bytes = orjson.dumps(manifest, option=orjson.OPT_INDENT_2)  # the webhook's hash is of these bytes
    storage.put(prefix + "manifest.json", manifest_bytes, "application/json")
    storage.put(prefix + "card.json", orjson.dumps(card, option=orjson.OPT_INDENT_2), "application/json")
    storage.put(prefix + "card.md", markdown.encode(), "text/markdown")
    signing_keys = list(SigningKey.objects.order_by("created_at"))
    keys = {k.key_id: k.public_key for k in signing_keys}
    anchors = [k.trust_anchor for k in signing_keys if k.trust_anchor]
    storage.put(
        prefix + "keys.json",
        orjson.dumps({"algorithm": "Ed25519", "keys": keys, "c2pa_trust_anchors": anchors}, option=orjson.OPT_INDENT_2),
        "application/json",
    )
    if "hf" in version.formats:
        licence = card["licences"][0] if len(card["licences"]) == 1 else "other"
        storage.put(prefix + "hf/README.md", rules.hf_readme(markdown, licence).encode(), "text/markdown")
    with transaction.atomic():
        updated = DatasetVersion.objects.filter(pk=version.pk, state=VersionState.BUILDING).update(
            state=VersionState.BUILT, manifest=manifest, card=card, card_markdown=markdown, finished_at=built_at
        )
        if updated:
            audit_record(
                actor=None,
                action="dataset.version_built",
                target=dataset,
                organization=dataset.organization,
                data={"version": version.number, "records": version.record_count},
            )
            _notify_version(version, NotificationKind.DATASET_VERSION_BUILT)
            webhook_emit(
                "dataset_version.built",
                {
                    "dataset_id": dataset.pk,
                    "version": version.number,
                    "record_count": version.record_count,
                    "manifest_sha256": hashlib.sha256(manifest_bytes).hexdigest(),
                },
                dataset.organization_id,
            )
    version.refresh_from_db()
    return version


def version_cancel(*, actor: User, version: DatasetVersion) -> DatasetVersion:
    if version.dataset.organization_id != _admin(actor):
        raise NotFound(gettext("No such dataset version."))
    with transaction.atomic():
        locked = DatasetVersion.objects.select_for_update().get(pk=version.pk)
        if locked.state not in (VersionState.QUEUED, VersionState.BUILDING):
            raise Conflict(
                gettext("Only a queued or building version can be cancelled; this one is %(state)s.")
                % {"state": locked.state}
            )
        locked.state, locked.finished_at, locked.error = VersionState.CANCELLED, timezone.now(), "Cancelled."
        locked.save(update_fields=["state", "finished_at", "error"])
        audit_record(
            actor=actor,
            action="dataset.version_cancelled",
            target=locked.dataset,
            organization=locked.dataset.organization,
            data={"version": locked.number},
        )
        transaction.on_commit(lambda: _remove_uploads(locked.pk))
    return locked


def dataset_builds_sweep(*, older_than: timedelta = timedelta(minutes=15)) -> int:
    """Builds whose task was lost (a crash between commit and send): send it again. Beat runs this; every step
    is idempotent, so a task that was only slow does no harm when sent twice."""
    cutoff = timezone.now() - older_than
    sent = 0
    with transaction.atomic():
        for pk in DatasetVersion.objects.filter(state=VersionState.QUEUED, created_at__lt=cutoff).values_list(
            "pk", flat=True
        ):
            enqueue_on_commit(SNAPSHOT_TASK, pk)
            sent += 1
        building = DatasetVersion.objects.filter(state=VersionState.BUILDING, started_at__lt=cutoff)
        for shard_id in DatasetShard.objects.filter(version__in=building, state=ShardState.PENDING).values_list(
            "pk", flat=True
        ):
            enqueue_on_commit(SHARD_TASK, shard_id)
            sent += 1
        for pk in building.filter(shards_done=F("shards_total")).values_list("pk", flat=True):
            enqueue_on_commit(FINALIZE_TASK, pk)
            sent += 1
    return sent


# --- Consent -----------------------------------------------------------------------------------------------------


def consent_withdraw(*, actor: User, reason: str = "") -> ConsentWithdrawal:
    """Leave the freelancer's work out of every later version; versions that hold it list it as a tombstone."""
    if actor.role != Role.FREELANCER:
        raise PermissionDenied(gettext("Only freelancers give or withdraw consent for their work."))
    with transaction.atomic():
        withdrawal, created = ConsentWithdrawal.objects.get_or_create(
            freelancer=actor, defaults={"reason": reason.strip()[:2000]}
        )
        if created:
            audit_record(actor=actor, action="consent.withdrawn", target=actor)
    return withdrawal
