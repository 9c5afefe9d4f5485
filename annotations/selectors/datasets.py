"""Reads for datasets: which contributions a dataset's filters take, the records of a version in order (built from
the database in bounded batches), and who may see what."""

from __future__ import annotations

import hashlib
import hmac
from collections import defaultdict
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from django.conf import settings
from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet, Sum
from django.db.models.functions import Coalesce, Length, Mod
from django.utils.translation import gettext

from annotations.domain import collapse
from annotations.domain.datasets import SCHEMA_VERSION
from annotations.domain.errors import NotFound
from annotations.domain.formats import Attachment, media_extension
from annotations.domain.provenance import GENERATIVE_SOURCE_TYPES
from annotations.domain.records import CHAIN_ALGORITHM, media_duration, offset_number, record_note
from annotations.models import (
    ConsentWithdrawal,
    ContentCredential,
    Contribution,
    ContributionState,
    CredentialState,
    Dataset,
    DatasetRecord,
    DatasetVersion,
    Draft,
    DraftKind,
    EntryKind,
    Item,
    LedgerEntry,
    MediaFile,
    MediaStatus,
    Posting,
    Project,
    ProvenanceManifest,
    Review,
    ReviewDecision,
    Role,
    Task,
    User,
)
from annotations.providers.storage import ObjectStorage, object_storage
from annotations.selectors.ledger import copy_signals, flagged_q

BATCH = 500


def datasets_visible_to(actor: User) -> QuerySet[Dataset]:
    """An organisation's datasets, for its admins and reviewers and for its API tokens."""
    if actor.role not in (Role.ADMIN, Role.REVIEWER) or actor.organization_id is None:
        return Dataset.objects.none()
    return Dataset.objects.filter(organization_id=actor.organization_id).prefetch_related("projects")


def dataset_visible_to(actor: User, dataset_id: int) -> Dataset:
    found = datasets_visible_to(actor).filter(pk=dataset_id).first()
    if found is None:
        raise NotFound(gettext("No such dataset."))
    return found


def version_visible_to(actor: User, dataset_id: int, number: int) -> DatasetVersion:
    found = (
        DatasetVersion.objects.select_related("dataset")
        .filter(dataset__in=datasets_visible_to(actor), dataset_id=dataset_id, number=number)
        .first()
    )
    if found is None:
        raise NotFound(gettext("No such dataset version."))
    return found


def version_prefix(version: DatasetVersion) -> str:
    """The version's folder in object storage: shards per format, manifest, card."""
    dataset = version.dataset
    return f"datasets/{dataset.organization.slug}/{dataset.pk}/v{version.number}/"


def matching_contributions(dataset: Dataset, filters: dict[str, Any], snapshot_at: datetime) -> QuerySet[Contribution]:
    """The contributions a version built at `snapshot_at` holds, with `export_at` (when each was approved, or
    submitted where unreviewed work is included) to order them by."""
    states = [ContributionState.APPROVED]
    if filters["include_unreviewed"]:
        states.append(ContributionState.SUBMITTED)
    qs = (
        Contribution.objects.filter(project__in=dataset.projects.all(), state__in=states)
        .annotate(export_at=Coalesce("approved_at", "submitted_at"))
        .filter(export_at__lte=snapshot_at)
        .exclude(freelancer__in=ConsentWithdrawal.objects.values("freelancer"))
    )
    if filters["approved_after"]:
        qs = qs.filter(export_at__gte=datetime.fromisoformat(filters["approved_after"]))
    if filters["approved_before"]:
        qs = qs.filter(export_at__lt=datetime.fromisoformat(filters["approved_before"]))
    if filters["min_review_score"] is not None:
        qs = qs.filter(review_score__gte=filters["min_review_score"])
    if filters["modalities"]:
        kinds = MediaFile.objects.filter(
            item_id=OuterRef("task__item_id"), kind__in=filters["modalities"], status=MediaStatus.READY
        )
        qs = qs.filter(Exists(kinds))
    if filters.get("exclude_near_duplicates"):
        qs = qs.filter(near_duplicate_of__isnull=True)
    if filters["exclude_flagged"]:
        qs = qs.annotate(**copy_signals(), intent_length=Length("intent")).exclude(flagged_q())
    return qs


def withdrawn_count(dataset: Dataset) -> int:
    return Contribution.objects.filter(
        project__in=dataset.projects.all(),
        state=ContributionState.APPROVED,
        freelancer__in=ConsentWithdrawal.objects.values("freelancer"),
    ).count()


_KEYED: dict[tuple[str, str], hmac.HMAC] = {}


def _keyed_hmac(key_salt: str) -> hmac.HMAC:
    """Django's `salted_hmac(key_salt, …)` with its derived key computed once per salt and secret: the same
    digests, without hashing the salt and the secret again for every record."""
    secret = settings.SECRET_KEY
    base = _KEYED.get((key_salt, secret))
    if base is None:
        if len(_KEYED) > 256:  # one entry per dataset pseudonymised in this process; keep it small
            _KEYED.clear()
        key = hashlib.sha1((key_salt + secret).encode()).digest()  # noqa: S324 (what salted_hmac derives)
        base = hmac.new(key, digestmod=hashlib.sha1)
        _KEYED[(key_salt, secret)] = base
    return base.copy()


def pseudonym(dataset_id: int, freelancer_id: int) -> str:
    """Stable within a dataset, different across datasets, not reversible without the platform's secret.
    `salted_hmac(f"atelier.dataset.{dataset_id}.contributor", str(freelancer_id))`, hex, first 24 digits."""
    h = _keyed_hmac(f"atelier.dataset.{dataset_id}.contributor")
    h.update(str(freelancer_id).encode())
    return "c_" + h.hexdigest()[:24]


def record_id(contribution_id: int) -> str:
    """`salted_hmac("atelier.dataset.record", str(contribution_id))`, hex, first 24 digits."""
    h = _keyed_hmac("atelier.dataset.record")
    h.update(str(contribution_id).encode())
    return "r_" + h.hexdigest()[:24]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _opener(storage: ObjectStorage, key: str) -> Callable[[], Iterator[bytes]]:
    return lambda: storage.chunks(key)


_CONTRIBUTION = (
    "id",
    "freelancer_id",
    "project_id",
    "task__item__external_id",
    "task__item_id",
    "intent",
    "notes",
    "answers",
    "review_score",
    "revisions",
    "active_seconds",
    "tools",
    "generative_tools_used",
    "attested",
    "content_sha256",
    "chain_sha256",
    "submitted_at",
    "approved_at",
)
_FILE = ("item_id", "name", "kind", "content_type", "size_bytes", "sha256", "storage_key", "offset_seconds", "probe")
_DRAFT = (
    "contribution_id",
    "sequence",
    "kind",
    "name",
    "content_type",
    "size_bytes",
    "content_sha256",
    "previous_sha256",
    "chain_sha256",
    "created_at",
    "change_note",
    "what_failed",
    "tools",
    "generative_tools_used",
    "body",
    "storage_key",
    "active_seconds",
    "sessions",
    "typed_chars",
    "pasted_chars",
    "source_type",
)


@dataclass(frozen=True, slots=True)
class _Batch:
    """A batch of contributions with everything their records need, read as plain rows, one query per kind of row."""

    contributions: dict[int, dict[str, Any]]
    projects: dict[int, dict[str, Any]]
    files: dict[int, list[dict[str, Any]]]
    drafts: dict[int, list[dict[str, Any]]]
    approvals: dict[int, dict[str, Any]]
    top_ups: dict[int, int]
    manifests: dict[int, dict[str, Any]]
    credentials: dict[tuple[int, int], dict[str, Any]]  # (contribution, draft sequence) -> the C2PA copy


def _read_batch(ids: list[int]) -> _Batch:
    rows = {r["id"]: r for r in Contribution.objects.filter(pk__in=ids).values(*_CONTRIBUTION)}
    project_ids = {r["project_id"] for r in rows.values()}
    projects: dict[int, dict[str, Any]] = {
        p["id"]: dict(p)
        for p in Project.objects.filter(pk__in=project_ids).values(
            "id", "title", "licence", "agreement_version", "pay_amount_minor", "pay_currency"
        )
    }
    files: dict[int, list[dict[str, Any]]] = defaultdict(list)
    item_ids = [r["task__item_id"] for r in rows.values()]
    for f in MediaFile.objects.filter(item_id__in=item_ids, status=MediaStatus.READY).order_by("id").values(*_FILE):
        files[f["item_id"]].append(f)
    drafts: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for d in Draft.objects.filter(contribution_id__in=ids).order_by("contribution_id", "sequence").values(*_DRAFT):
        drafts[d["contribution_id"]].append(d)
    approvals: dict[int, dict[str, Any]] = {
        a["contribution_id"]: dict(a)
        for a in Review.objects.filter(contribution_id__in=ids, decision=ReviewDecision.APPROVE)
        .order_by("contribution_id", "created_at", "id")
        .values("contribution_id", "scores", "automatic")
    }  # ordered: the last approval of each wins
    top_ups = dict(
        Posting.objects.filter(
            entry__contribution_id__in=ids, entry__kind=EntryKind.TOP_UP, account__endswith=":payable"
        )
        .values_list("entry__contribution_id")
        .annotate(total=Sum("amount_minor"))
        .values_list("entry__contribution_id", "total")
    )
    manifests: dict[int, dict[str, Any]] = {
        m["contribution_id"]: dict(m)
        for m in ProvenanceManifest.objects.filter(contribution_id__in=ids).values(
            "contribution_id", "manifest", "signature"
        )
    }
    credentials: dict[tuple[int, int], dict[str, Any]] = {
        (r["draft__contribution_id"], r["draft__sequence"]): dict(r)
        for r in ContentCredential.objects.filter(
            draft__contribution_id__in=ids, state=CredentialState.EMBEDDED
        ).values("draft__contribution_id", "draft__sequence", "storage_key", "size_bytes")
    }
    top_up_minor = {k: int(v or 0) for k, v in top_ups.items()}
    return _Batch(rows, projects, files, drafts, approvals, top_up_minor, manifests, credentials)


def build_record(
    b: _Batch, contribution_id: int, dataset_id: int, version_number: int
) -> tuple[dict[str, Any], list[Attachment]]:
    """One contribution as a record, and its files for the formats that carry bytes."""
    c = b.contributions[contribution_id]
    project = b.projects[c["project_id"]]
    files = b.files.get(c["task__item_id"], [])
    drafts = b.drafts.get(contribution_id, [])
    approval = b.approvals.get(contribution_id)
    top_up = b.top_ups.get(contribution_id, 0)
    signed = b.manifests.get(contribution_id)
    paid = project["pay_amount_minor"] + top_up
    hourly = paid * 3600 // c["active_seconds"] if c["active_seconds"] else None
    storage = object_storage()
    attachments = [
        Attachment(
            f"media_{n}.{media_extension(m['name'], m['content_type'])}",
            m["size_bytes"],
            _opener(storage, m["storage_key"]),
        )
        for n, m in enumerate(files)
    ] + [
        Attachment(
            f"draft_{d['sequence']}.{media_extension(d['name'], d['content_type'])}",
            d["size_bytes"],
            _opener(storage, d["storage_key"]),
        )
        for d in drafts
        if d["kind"] == DraftKind.FILE
    ]
    attachments += [
        Attachment(
            f"c2pa_{d['sequence']}.{media_extension(d['name'], d['content_type'])}",
            cred["size_bytes"],
            _opener(storage, cred["storage_key"]),
        )
        for d in drafts
        if (cred := b.credentials.get((contribution_id, d["sequence"]))) is not None
    ]
    record = {
        "record_id": record_id(contribution_id),
        "schema_version": SCHEMA_VERSION,
        "dataset_version": version_number,
        "contributor": pseudonym(dataset_id, c["freelancer_id"]),
        "project": {
            "id": project["id"],
            "title": project["title"],
            "licence": project["licence"],
            "agreement_version": project["agreement_version"],
        },
        "item": {
            "external_id": c["task__item__external_id"],
            "media": [
                {
                    "name": m["name"],
                    "kind": m["kind"],
                    "content_type": m["content_type"],
                    "size_bytes": m["size_bytes"],
                    "sha256": m["sha256"],
                    "key": m["storage_key"],
                    "offset_seconds": offset_number(m["offset_seconds"]),
                    "duration_seconds": media_duration(m["probe"]),
                    "probe": m["probe"],
                }
                for m in files
            ],
        },
        "intent": c["intent"],
        "notes": [record_note(n) for n in c["notes"]],
        "drafts": [
            {
                "sequence": d["sequence"],
                "kind": d["kind"],
                "name": d["name"],
                "content_type": d["content_type"],
                "size_bytes": d["size_bytes"],
                "content_sha256": d["content_sha256"],
                "previous_sha256": d["previous_sha256"],
                "chain_sha256": d["chain_sha256"],
                "created_at": d["created_at"].isoformat(),
                "change_note": d["change_note"],
                "what_failed": d["what_failed"],
                "tools": d["tools"],
                "generative_tools_used": d["generative_tools_used"],
                "text": d["body"] if d["kind"] == DraftKind.TEXT else None,
                "key": d["storage_key"] if d["kind"] == DraftKind.FILE else None,
                "source_type": d["source_type"],
                "evidence": {
                    "active_seconds": d["active_seconds"],
                    "sessions": d["sessions"],
                    "typed_chars": d["typed_chars"],
                    "pasted_chars": d["pasted_chars"],
                },
            }
            for d in drafts
        ],
        "answers": c["answers"],
        "review": {
            "score": c["review_score"],
            "scores": approval["scores"] if approval else {},
            "automatic": approval["automatic"] if approval else False,
            "revisions": c["revisions"],
        },
        "time_on_task_seconds": c["active_seconds"],
        "tools": c["tools"],
        "generative_tools_used": c["generative_tools_used"],
        "attested": c["attested"],
        "licence": project["licence"],
        "pay": {
            "amount_minor": project["pay_amount_minor"],
            "currency": project["pay_currency"],
            "top_up_minor": top_up,
            "effective_hourly_minor": hourly,
        },
        "provenance": {
            "algorithm": CHAIN_ALGORITHM,
            "content_sha256": c["content_sha256"],
            "chain_sha256": c["chain_sha256"],
            "manifest": signed["manifest"] if signed else None,
            "signature": signed["signature"] if signed else None,
        },
        "submitted_at": _iso(c["submitted_at"]),
        "approved_at": _iso(c["approved_at"]),
    }
    return record, attachments


def version_records(
    version: DatasetVersion, first: int, end: int, *, attachments: bool = True
) -> Generator[tuple[dict[str, Any], list[Attachment]]]:
    """Records [first, end) of a version in order, each with its files (`attachments`) for the formats that carry
    bytes. Memory holds one batch of BATCH records.

    Without attachments on PostgreSQL (JSONL, Parquet and Hugging Face shards), each batch is one query that
    returns every record as JSON built by the database (`_RECORDS_SQL`); otherwise the ids stream through a
    server-side cursor and each batch is read as plain rows, one query per kind of row, and built here
    (`build_record`). Both give the same records: tests compare them field by field."""
    if not attachments and connection.vendor == "postgresql":
        yield from _records_from_sql(version, first, end)
        return
    ids = (
        DatasetRecord.objects.filter(version=version, ordinal__gte=first, ordinal__lt=end)
        .order_by("ordinal")
        .values_list("contribution_id", flat=True)
        .iterator(chunk_size=BATCH)
    )
    batch: list[int] = []
    for cid in ids:
        batch.append(cid)
        if len(batch) == BATCH:
            yield from _records_of(batch, version)
            batch = []
    if batch:
        yield from _records_of(batch, version)


def _records_of(ids: list[int], version: DatasetVersion) -> Iterator[tuple[dict[str, Any], list[Attachment]]]:
    batch = _read_batch(ids)
    for cid in ids:
        yield build_record(batch, cid, version.dataset_id, version.number)


def _iso_sql(column: str) -> str:
    """SQL for `datetime.isoformat()` of a timestamptz in UTC: microseconds only when there are some."""
    return (
        f"(to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN date_trunc('second', "
        f"{column}) = {column} THEN '' ELSE to_char({column} AT TIME ZONE 'UTC', '.US') END || '+00:00')"
    )


def _records_sql() -> str:
    """One query for a batch of records (a range of ordinals): each row the record as JSON text in the exact
    shape and key order of `build_record`, except what is filled in here: the record id and the pseudonym (HMACs
    under the platform's secret, which stays out of SQL), the review score (a float, which JSON text would not
    tell from an integer) and the notes as `record_note` shows them (the stored notes, normalised in Python: one
    rule for both paths, and cheaper here than in the database, which is the slower side of the pipeline)."""
    t = {
        m.__name__: m._meta.db_table
        for m in (
            DatasetRecord,
            Contribution,
            Project,
            Task,
            Item,
            MediaFile,
            Draft,
            Review,
            Posting,
            LedgerEntry,
            ProvenanceManifest,
        )
    }
    media = (
        "COALESCE((SELECT json_agg(json_build_object('name', m.name, 'kind', m.kind, 'content_type', "  # noqa: S608 (names and values are ours)
        "m.content_type, 'size_bytes', m.size_bytes, 'sha256', m.sha256, 'key', m.storage_key, 'offset_seconds', "
        "m.offset_seconds, 'duration_seconds', CASE jsonb_typeof(m.probe->'duration_seconds') WHEN 'number' THEN "
        "m.probe->'duration_seconds' END, 'probe', m.probe) "
        f"ORDER BY m.id) FROM {t['MediaFile']} m WHERE m.item_id = k.item_id AND m.status = "
        f"'{MediaStatus.READY.value}'), '[]'::json)"
    )
    text, file = DraftKind.TEXT.value, DraftKind.FILE.value
    drafts = (
        "COALESCE((SELECT json_agg(json_build_object('sequence', d.sequence, 'kind', d.kind, 'name', d.name, "  # noqa: S608
        "'content_type', d.content_type, 'size_bytes', d.size_bytes, 'content_sha256', d.content_sha256, "
        "'previous_sha256', d.previous_sha256, 'chain_sha256', d.chain_sha256, 'created_at', "
        f"{_iso_sql('d.created_at')}, 'change_note', d.change_note, 'what_failed', d.what_failed, 'tools', d.tools, "
        f"'generative_tools_used', d.generative_tools_used, 'text', CASE WHEN d.kind = '{text}' THEN d.body END, "
        f"'key', CASE WHEN d.kind = '{file}' THEN d.storage_key END, 'source_type', d.source_type, 'evidence', "
        "json_build_object('active_seconds', d.active_seconds, 'sessions', d.sessions, 'typed_chars', "
        "d.typed_chars, 'pasted_chars', d.pasted_chars)) ORDER BY d.sequence) "
        f"FROM {t['Draft']} d WHERE d.contribution_id = c.id), '[]'::json)"
    )
    return f"""
SELECT c.id, c.freelancer_id, c.review_score, json_build_object(
  'record_id', NULL, 'schema_version', %(schema)s, 'dataset_version', %(number)s, 'contributor', NULL,
  'project', json_build_object('id', p.id, 'title', p.title, 'licence', p.licence,
                               'agreement_version', p.agreement_version),
  'item', json_build_object('external_id', i.external_id, 'media', {media}),
  'intent', c.intent,
  'notes', c.notes,
  'drafts', {drafts},
  'answers', c.answers,
  'review', json_build_object('score', NULL, 'scores', CASE WHEN a.automatic IS NULL THEN '{{}}'::jsonb
                                                            ELSE a.scores END,
                              'automatic', COALESCE(a.automatic, false), 'revisions', c.revisions),
  'time_on_task_seconds', c.active_seconds,
  'tools', c.tools,
  'generative_tools_used', c.generative_tools_used,
  'attested', c.attested,
  'licence', p.licence,
  'pay', json_build_object('amount_minor', p.pay_amount_minor, 'currency', p.pay_currency,
                           'top_up_minor', COALESCE(u.total, 0),
                           'effective_hourly_minor', CASE WHEN c.active_seconds = 0 THEN NULL
                             ELSE (p.pay_amount_minor + COALESCE(u.total, 0)) * 3600 / c.active_seconds END),
  'provenance', json_build_object('algorithm', %(algorithm)s, 'content_sha256', c.content_sha256,
                                  'chain_sha256', c.chain_sha256, 'manifest', pm.manifest,
                                  'signature', pm.signature),
  'submitted_at', {_iso_sql("c.submitted_at")},
  'approved_at', {_iso_sql("c.approved_at")}
)::text
FROM {t["DatasetRecord"]} r
JOIN {t["Contribution"]} c ON c.id = r.contribution_id
JOIN {t["Project"]} p ON p.id = c.project_id
JOIN {t["Task"]} k ON k.id = c.task_id
JOIN {t["Item"]} i ON i.id = k.item_id
LEFT JOIN {t["ProvenanceManifest"]} pm ON pm.contribution_id = c.id
LEFT JOIN LATERAL (
  SELECT rv.scores, rv.automatic FROM {t["Review"]} rv
  WHERE rv.contribution_id = c.id AND rv.decision = '{ReviewDecision.APPROVE.value}'
  ORDER BY rv.created_at DESC, rv.id DESC LIMIT 1
) a ON true
LEFT JOIN LATERAL (
  SELECT SUM(po.amount_minor)::bigint AS total FROM {t["Posting"]} po JOIN {t["LedgerEntry"]} e ON e.id = po.entry_id
  WHERE e.contribution_id = c.id AND e.kind = '{EntryKind.TOP_UP.value}' AND po.account LIKE '%%:payable'
) u ON true
WHERE r.version_id = %(version)s AND r.ordinal >= %(first)s AND r.ordinal < %(end)s
ORDER BY r.ordinal
"""  # noqa: S608 (table names and choice values are ours; every value is a parameter)


_SQL: dict[str, str] = {}
SQL_BATCH = 1000


def _records_from_sql(
    version: DatasetVersion, first: int, end: int
) -> Iterator[tuple[dict[str, Any], list[Attachment]]]:
    """The records, one query per batch of SQL_BATCH ordinals. The query for the next batch runs (in a thread of
    its own, on this connection, whose lock keeps it to one statement at a time) while this batch is written:
    PostgreSQL builds records while Python writes them. Memory holds two batches."""
    sql = _SQL.get("records") or _SQL.setdefault("records", _records_sql())
    params: dict[str, Any] = {
        "schema": SCHEMA_VERSION,
        "number": version.number,
        "algorithm": CHAIN_ALGORITHM,
        "version": version.pk,
    }
    contributor = _keyed_hmac(f"atelier.dataset.{version.dataset_id}.contributor")
    ids = _keyed_hmac("atelier.dataset.record")
    loads = orjson.loads
    starts = list(range(first, end, SQL_BATCH))
    if not starts:
        return
    with connection.cursor() as cursor, ThreadPoolExecutor(max_workers=1) as pool:

        def fetch(start: int) -> list[tuple[Any, ...]]:
            cursor.execute(sql, {**params, "first": start, "end": min(end, start + SQL_BATCH)})
            return list(cursor.fetchall())

        pending = pool.submit(fetch, starts[0])
        try:
            for n in range(len(starts)):
                rows = pending.result()
                if n + 1 < len(starts):
                    pending = pool.submit(fetch, starts[n + 1])
                for cid, freelancer_id, score, text in rows:
                    record = loads(text)
                    h = ids.copy()
                    h.update(str(cid).encode())
                    record["record_id"] = "r_" + h.hexdigest()[:24]
                    h = contributor.copy()
                    h.update(str(freelancer_id).encode())
                    record["contributor"] = "c_" + h.hexdigest()[:24]
                    record["review"]["score"] = score
                    record["notes"] = [record_note(n) for n in record["notes"]]
                    yield record, []
        finally:
            wait([pending])  # a build stopped early (cancelled) leaves no statement running on the connection


def tombstones(version: DatasetVersion) -> QuerySet[DatasetRecord]:
    """Records of the version whose creators withdrew consent after it was built (consumers purge them)."""
    return (
        DatasetRecord.objects.filter(version=version)
        .filter(contribution__freelancer__withdrawal__isnull=False)
        .select_related("contribution__freelancer__withdrawal")
        .order_by("ordinal")
    )


def in_any_version(freelancer: User) -> QuerySet[DatasetRecord]:
    return DatasetRecord.objects.filter(contribution__freelancer=freelancer)


def collapse_sample(version: DatasetVersion) -> list[collapse.Result]:
    """At most `collapse.SAMPLE` records taken evenly through the version, with what the metrics compare."""
    step = max(1, -(-version.record_count // collapse.SAMPLE))
    rows = list(
        DatasetRecord.objects.filter(version=version)
        .annotate(r=Mod("ordinal", step))
        .filter(r=0)
        .order_by("ordinal")
        .values_list("ordinal", "contribution_id", "contribution__freelancer_id", "contribution__generative_tools_used")
    )
    results: list[collapse.Result] = []
    for start in range(0, len(rows), 1000):
        chunk = rows[start : start + 1000]
        last_text: dict[int, str] = {}
        last_image: dict[int, int] = {}
        generative: set[int] = set()
        for cid, kind, body, phash, content_type, source in (
            Draft.objects.filter(contribution_id__in=[r[1] for r in chunk])
            .order_by("contribution_id", "sequence")
            .values_list("contribution_id", "kind", "body", "phash", "content_type", "source_type")
        ):
            if kind == DraftKind.TEXT:
                last_text[cid] = body
            elif content_type.startswith("image/") and phash is not None:
                last_image[cid] = phash
            if source in GENERATIVE_SOURCE_TYPES:
                generative.add(cid)
        intents = dict(Contribution.objects.filter(pk__in=[r[1] for r in chunk]).values_list("pk", "intent"))
        for ordinal, cid, freelancer_id, declared in chunk:
            results.append(
                collapse.Result(
                    key=ordinal,
                    contributor=freelancer_id,
                    text=last_text.get(cid) or intents.get(cid) or None,
                    image_hash=last_image.get(cid),
                    machine_made=bool(declared) or cid in generative,
                )
            )
    return results
