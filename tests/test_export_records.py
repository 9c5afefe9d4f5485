"""Records built by the database (one query per batch, for JSONL, Parquet and Hugging Face shards) are the records
built from plain rows in Python (what WebDataset shards and the API's record stream use), byte for byte; the
pseudonyms are Django's salted HMACs; and a shard build makes one query per batch of records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest
from django.db import connection
from django.test.utils import override_settings
from django.utils.crypto import salted_hmac

from annotations.models import (
    Contribution,
    DatasetShard,
    DatasetVersion,
    Draft,
    LedgerEntry,
    MediaFile,
    MediaStatus,
    Posting,
    ProvenanceManifest,
    Review,
)
from annotations.selectors import datasets as selectors
from annotations.selectors.datasets import pseudonym, record_id, version_records
from annotations.services.datasets import DatasetFields, dataset_create, shard_build, version_build, version_snapshot
from tests.conftest import need
from tests.datasets_support import RUBRIC, SPEC, approved_work, with_media_bytes
from tests.factories import published_project

pytestmark = pytest.mark.django_db


def postgres() -> None:
    if connection.vendor != "postgresql":
        need("PostgreSQL", "records are built by one query per batch on PostgreSQL only")


@pytest.fixture
def project(org: Any) -> Any:
    made = published_project(items=6, organization=org, output_spec=SPEC, rubric=RUBRIC, generative_tools_allowed=True)
    return with_media_bytes(made)


def snapshot(admin: Any, project: Any, **fields: Any) -> DatasetVersion:
    defaults: dict[str, Any] = {"name": "Harbour", "project_ids": [project.pk], "formats": ["jsonl"]}
    dataset = dataset_create(actor=admin, fields=DatasetFields(**{**defaults, **fields}))
    version = version_snapshot(version_id=version_build(actor=admin, dataset=dataset).pk)
    assert version is not None and version.state == "building"
    return version


def test_records_from_one_query_are_the_records_built_in_python(admin, reviewer, project) -> None:
    postgres()
    work = [approved_work(project, reviewer, 1, craft=4)]  # a score of exactly 1.0: a float, not the integer 1
    work.append(approved_work(project, reviewer, 2, note_edit="Kept the horizon high in piece 2: é, ✓, \u2028."))
    work += [approved_work(project, reviewer, n) for n in (3, 4, 5)]
    a, b, c, d, e = work
    # A draft saved on a whole second (isoformat leaves out the microseconds), and a file draft.
    whole = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    Draft.objects.filter(contribution=a, sequence=1).update(created_at=whole)
    Draft.objects.filter(contribution=b, sequence=2).update(kind="file", storage_key="drafts/b/2.png", name="2.png")
    # A fair-pay top-up on one, no active time on another, a later second approval on a third (the last counts).
    entry = LedgerEntry.objects.create(kind="top_up", idempotency_key=f"t:{c.pk}", memo="top-up", contribution=c)
    payable = f"freelancer:{c.freelancer_id}:payable"
    Posting.objects.create(entry=entry, account=payable, amount_minor=250, currency="USD")
    Posting.objects.create(entry=entry, account="platform:fair-pay", amount_minor=-250, currency="USD")
    Contribution.objects.filter(pk=d.pk).update(active_seconds=0, intent="Ünïcode intent \u2028 and a tab\t.")
    first = Review.objects.filter(contribution=e, decision="approve").get()
    later = Review.objects.create(
        contribution=e, reviewer=reviewer, decision="approve", scores={"craft": 1, "note": 0.00001}, automatic=True
    )
    Review.objects.filter(pk=later.pk).update(created_at=first.created_at + timedelta(seconds=1))
    MediaFile.objects.filter(item_id=a.task.item_id).update(status=MediaStatus.FAILED, failure_reason="gone")
    # A timed file off the item's zero, with a duration, and one at a whole second (a float8 written without `.0`).
    MediaFile.objects.filter(item_id=b.task.item_id, kind="text").update(
        kind="audio", offset_seconds=-0.125, probe={"duration_seconds": 2.0, "streams": []}
    )
    MediaFile.objects.filter(item_id=c.task.item_id, kind="text").update(offset_seconds=3.0)
    version = snapshot(admin, project)
    ProvenanceManifest.objects.filter(contribution=d).delete()  # a record without a manifest

    in_python = [orjson.dumps(r) for r, _files in version_records(version, 0, version.record_count)]
    in_sql = [orjson.dumps(r) for r, files in version_records(version, 0, version.record_count, attachments=False)]

    assert len(in_python) == 5
    assert in_sql == in_python
    by_id = {r["record_id"]: r for r in map(orjson.loads, in_sql)}
    assert by_id[record_id(a.pk)]["review"]["score"] == 1.0 and b'"score":1.0,' in in_sql[0]
    assert by_id[record_id(a.pk)]["drafts"][0]["created_at"] == "2026-11-20T09:30:00+00:00"
    assert by_id[record_id(c.pk)]["pay"]["top_up_minor"] == 250
    assert by_id[record_id(d.pk)]["pay"]["effective_hourly_minor"] is None
    assert by_id[record_id(d.pk)]["provenance"]["manifest"] is None
    assert by_id[record_id(e.pk)]["review"]["automatic"] is True
    timed = by_id[record_id(b.pk)]["item"]["media"][1]
    assert (timed["offset_seconds"], timed["duration_seconds"]) == (-0.125, 2.0)
    assert by_id[record_id(c.pk)]["item"]["media"][1]["offset_seconds"] == 3.0


def test_a_range_is_read_in_batches_and_stops_where_asked(admin, reviewer, project, monkeypatch) -> None:
    postgres()
    work = [approved_work(project, reviewer, n) for n in range(5)]
    version = snapshot(admin, project)
    monkeypatch.setattr(selectors, "SQL_BATCH", 2)
    got = [r["record_id"] for r, _ in version_records(version, 1, 4, attachments=False)]
    assert got == [record_id(c.pk) for c in work[1:4]]
    stream = version_records(version, 0, 5, attachments=False)
    next(stream)
    stream.close()  # a build stopped early leaves the connection free
    assert DatasetVersion.objects.filter(pk=version.pk).exists()


def test_pseudonyms_and_record_ids_are_djangos_salted_hmacs() -> None:
    for dataset_id, person in [(1, 7), (2, 7), (31, 123456)]:
        expected = salted_hmac(f"atelier.dataset.{dataset_id}.contributor", str(person)).hexdigest()[:24]
        assert pseudonym(dataset_id, person) == "c_" + expected
    assert record_id(42) == "r_" + salted_hmac("atelier.dataset.record", "42").hexdigest()[:24]
    with override_settings(SECRET_KEY="another-secret-" + "x" * 40):  # the derived key follows the secret
        assert record_id(42) == "r_" + salted_hmac("atelier.dataset.record", "42").hexdigest()[:24]
    assert record_id(42) == "r_" + salted_hmac("atelier.dataset.record", "42").hexdigest()[:24]


def shard_queries(version: DatasetVersion, django_assert_max_num_queries: Any, most: int) -> None:
    shard = DatasetShard.objects.get(version=version, format="jsonl")
    with django_assert_max_num_queries(most):
        built = shard_build(shard_id=shard.pk)
    assert built is not None and built.state == "done" and built.record_count == version.record_count


def test_a_shard_build_makes_one_query_per_batch(
    admin, reviewer, project, monkeypatch, django_assert_max_num_queries
) -> None:
    postgres()
    for n in range(6):
        approved_work(project, reviewer, n)
    monkeypatch.setattr(selectors, "SQL_BATCH", 2)  # six records: three batches
    # Around the records, nine: the shard with its version, the attempt counted, then in a transaction (a
    # savepoint here, two more) the version locked, the shard and the version marked, and the shard read back.
    # Between: one query per batch of records.
    shard_queries(snapshot(admin, project, name="Three batches"), django_assert_max_num_queries, 9 + 3)
    monkeypatch.setattr(selectors, "SQL_BATCH", 6)
    shard_queries(snapshot(admin, project, name="One batch"), django_assert_max_num_queries, 9 + 1)
