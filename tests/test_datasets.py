"""Dataset versions end to end: build, download and parse every format, compare every field with the database;
the snapshot holds exactly what was approved when it was taken; filters; consent; cancel; the export API."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import datasets as hf_datasets
import pyarrow.parquet as pq
import pytest
import webdataset as wds
import zstandard

from annotations.domain.records import from_row, record_note, verify_record
from annotations.models import Contribution, DatasetRecord, DatasetShard, DatasetVersion, MediaFile
from annotations.providers.storage import object_storage
from annotations.selectors.datasets import pseudonym, record_id, version_prefix
from annotations.services.datasets import DatasetFields, consent_withdraw, dataset_create, version_build
from annotations.services.tasks import tasks_generate
from tests.datasets_support import RUBRIC, SPEC, approved_work, build_here, download, tar_members, with_media_bytes
from tests.factories import ItemFactory, MediaFileFactory, UserFactory, published_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(org: Any) -> Any:
    made = published_project(
        items=6, replicas=1, organization=org, output_spec=SPEC, rubric=RUBRIC, generative_tools_allowed=True
    )
    return with_media_bytes(made)


def define(admin: Any, project: Any, **fields: Any) -> Any:
    defaults: dict[str, Any] = {"name": "Harbour studies", "project_ids": [project.pk], "formats": ["jsonl"]}
    return dataset_create(actor=admin, fields=DatasetFields(**{**defaults, **fields}))


def check_against_database(record: dict[str, Any], dataset_id: int) -> None:
    c = Contribution.objects.select_related("task__item", "project").get(pk=int(record["_pk"]))
    drafts = list(c.drafts.order_by("sequence"))
    assert record["record_id"] == record_id(c.pk)
    assert record["contributor"] == pseudonym(dataset_id, c.freelancer_id)
    assert record["intent"] == c.intent and record["answers"] == c.answers
    assert record["notes"] == [record_note(n) for n in c.notes]
    assert [d["chain_sha256"] for d in record["drafts"]] == [d.chain_sha256 for d in drafts]
    assert [d["text"] for d in record["drafts"]] == [d.body for d in drafts]
    assert [d["what_failed"] for d in record["drafts"]] == [d.what_failed for d in drafts]
    assert record["time_on_task_seconds"] == c.active_seconds
    assert record["generative_tools_used"] == c.generative_tools_used and record["tools"] == c.tools
    assert record["review"]["score"] == c.review_score and record["review"]["scores"] == {"craft": 3}
    assert c.approved_at is not None and record["approved_at"] == c.approved_at.isoformat()
    assert record["item"]["external_id"] == c.task.item.external_id
    assert record["pay"]["amount_minor"] == c.project.pay_amount_minor
    assert record["provenance"]["content_sha256"] == c.content_sha256
    assert verify_record(record) == []
    # Nothing that names the person leaves.
    text = json.dumps(record)
    assert c.freelancer.username not in text and c.freelancer.email not in text


def test_every_format_round_trips_every_field(admin, reviewer, storage_mode, project, tmp_path) -> None:
    work = [approved_work(project, reviewer, n) for n in range(5)]
    dataset = define(admin, project, formats=["jsonl", "parquet", "webdataset", "hf"], shard_size=2, compression="zstd")
    version = build_here(version_build(actor=admin, dataset=dataset))
    assert (version.state, version.record_count, version.shards_total, version.shards_done) == ("built", 5, 12, 12)
    by_id = {record_id(c.pk): c.pk for c in work}
    prefix = version_prefix(version)
    shards = {
        fmt: list(DatasetShard.objects.filter(version=version, format=fmt).order_by("index")) for fmt in version.formats
    }
    assert [s.record_count for s in shards["jsonl"]] == [2, 2, 1]
    assert version.manifest["record_count"] == 5 and len(version.manifest["shards"]) == 12

    jsonl = []
    for s in shards["jsonl"]:
        assert s.storage_key.endswith(".jsonl.zst")
        raw = download(s.storage_key, tmp_path / s.storage_key).read_bytes()
        text = zstandard.ZstdDecompressor().stream_reader(raw).read().decode()
        jsonl += [json.loads(line) for line in text.splitlines()]
    parquet = []
    for s in shards["parquet"]:
        parquet += [from_row(r) for r in pq.read_table(download(s.storage_key, tmp_path / s.storage_key)).to_pylist()]
    wds_records = []
    urls = [str(download(s.storage_key, tmp_path / s.storage_key)) for s in shards["webdataset"]]
    for sample in wds.WebDataset(urls, shardshuffle=False, empty_check=False):
        wds_records.append(json.loads(sample["json"]))
    hf_dir = tmp_path / "hf"
    for s in shards["hf"]:
        download(s.storage_key, hf_dir / s.storage_key.removeprefix(prefix + "hf/"))
    download(prefix + "hf/README.md", hf_dir / "README.md")
    loaded = hf_datasets.load_dataset(str(hf_dir), split="train", cache_dir=str(tmp_path / "hf-cache"))
    hf_records = [from_row(r) for r in loaded]

    assert [r["record_id"] for r in jsonl] == [record_id(c.pk) for c in work]  # approval order
    assert jsonl == parquet == wds_records == hf_records
    for r in jsonl:
        check_against_database({**r, "_pk": by_id[r["record_id"]]}, dataset.pk)
    # WebDataset shards carry the media bytes beside each record.
    members = tar_members(Path(urls[0]))
    first = jsonl[0]["record_id"]
    assert {f"{first}.json", f"{first}.media_0.png", f"{first}.media_1.txt"} <= set(members)


def test_the_card_reports_pay_process_and_gaps(admin, reviewer, project) -> None:
    for n in range(4):
        approved_work(project, reviewer, n)
    version = build_here(version_build(actor=admin, dataset=define(admin, project)))
    card = version.card
    assert card["records"] == 4 and card["contributors"] == 4
    assert card["process"]["drafts_per_record"] == 2.0 and card["process"]["notes_per_record"] == 1.0
    assert card["share_generative_tools"] == 0.5  # pieces 0 and 3 declared generative tools
    assert card["pay"]["currency"] == "USD" and card["pay"]["median_effective_hourly"] is not None
    assert card["modalities"] == {"image": 4, "text": 4}
    assert card["projects"][0]["title"] == project.title and card["licences"] == [project.licence]
    assert any("flags" in g for g in card["known_gaps"])
    assert version.card_markdown.startswith("# Harbour studies, version 1")
    assert "Median effective hourly rate" in version.card_markdown


def test_the_snapshot_holds_exactly_what_was_approved_when_it_was_taken(admin, reviewer, project) -> None:
    early = [approved_work(project, reviewer, n) for n in range(3)]
    waiting = approved_work(project, reviewer, 3, approve=False)
    version = version_build(actor=admin, dataset=define(admin, project, shard_size=1))
    from annotations.services.datasets import shard_build, version_finalize, version_snapshot
    from annotations.services.review import review_decide

    version_snapshot(version_id=version.pk)
    # Approvals keep arriving while the shards are written.
    review_decide(actor=reviewer, contribution_id=waiting.pk, decision="approve")
    late = approved_work(project, reviewer, 4)
    for shard in DatasetShard.objects.filter(version=version):
        shard_build(shard_id=shard.pk)
    built = version_finalize(version_id=version.pk)
    assert built is not None and built.record_count == 3
    held = set(DatasetRecord.objects.filter(version=version).values_list("contribution_id", flat=True))
    assert held == {c.pk for c in early} and waiting.pk not in held and late.pk not in held
    nxt = build_here(version_build(actor=admin, dataset=version.dataset))
    assert (nxt.number, nxt.record_count) == (2, 5)


def test_filters_choose_the_records(admin, reviewer, project) -> None:
    low = approved_work(project, reviewer, 0, craft=1)
    high = approved_work(project, reviewer, 1, craft=4)
    flagged = approved_work(project, reviewer, 2, craft=4)
    Contribution.objects.filter(pk=flagged.pk).update(active_seconds=10)  # far below the estimate
    dataset = define(admin, project, filters={"min_review_score": 0.5, "exclude_flagged": True})
    version = build_here(version_build(actor=admin, dataset=dataset))
    held = set(DatasetRecord.objects.filter(version=version).values_list("contribution_id", flat=True))
    assert held == {high.pk} and low.pk not in held
    assert version.filters["min_review_score"] == 0.5


def test_withdrawn_consent_leaves_later_versions_and_tombstones_earlier_ones(
    admin, reviewer, project, client_for
) -> None:
    keeper: Any = UserFactory(role="freelancer")
    leaver: Any = UserFactory(role="freelancer")
    kept = approved_work(project, reviewer, 0, freelancer=keeper)
    gone = approved_work(project, reviewer, 1, freelancer=leaver)
    dataset = define(admin, project)
    v1 = build_here(version_build(actor=admin, dataset=dataset))
    assert v1.record_count == 2
    resp = client_for(leaver).post("/api/v1/me/consent", {"reason": "Changed my mind."}, format="json")
    assert resp.status_code == 200 and resp.json()["consent"] is False
    assert client_for(leaver).get("/api/v1/me/consent").json()["consent"] is False
    consent_withdraw(actor=leaver)  # again: nothing more happens
    v2 = build_here(version_build(actor=admin, dataset=dataset))
    held = set(DatasetRecord.objects.filter(version=v2).values_list("contribution_id", flat=True))
    assert held == {kept.pk}
    assert "1 contributions were left out" in " ".join(v2.card["known_gaps"])
    stones = client_for(admin).get(f"/api/v1/datasets/{dataset.pk}/versions/1/tombstones").json()["results"]
    assert [s["record_id"] for s in stones] == [record_id(gone.pk)]
    assert client_for(admin).get(f"/api/v1/datasets/{dataset.pk}/versions/2/tombstones").json()["results"] == []


def test_a_cancelled_build_stops_and_leaves_nothing(
    admin, reviewer, project, client_for, django_capture_on_commit_callbacks
) -> None:
    for n in range(3):
        approved_work(project, reviewer, n)
    dataset = define(admin, project, shard_size=1)
    version = version_build(actor=admin, dataset=dataset)
    from annotations.providers.storage import MissingObject, object_storage
    from annotations.services.datasets import shard_build, version_snapshot

    version_snapshot(version_id=version.pk)
    first, *rest = DatasetShard.objects.filter(version=version).order_by("index")
    shard_build(shard_id=first.pk)
    with django_capture_on_commit_callbacks(execute=True):
        cancel = client_for(admin).post(f"/api/v1/datasets/{dataset.pk}/versions/1/cancel")
    assert cancel.status_code == 200 and cancel.json()["state"] == "cancelled"
    for s in rest:
        shard_build(shard_id=s.pk)
    assert DatasetShard.objects.filter(version=version, state="done").count() == 1
    for s in DatasetShard.objects.filter(version=version):
        with pytest.raises(MissingObject):
            object_storage().size_of(s.storage_key)
    assert DatasetVersion.objects.get(pk=version.pk).state == "cancelled"


def test_a_failing_shard_retries_alone_then_fails_the_version_and_removes_its_uploads(
    admin, reviewer, project, s3_storage, settings, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    from celery.exceptions import Retry

    from annotations.providers.storage import MissingObject, TransientStorageError, object_storage
    from annotations.services.datasets import shard_build, version_snapshot
    from tests.conftest import free_port
    from workers.datasets import SHARD_RETRIES, build_dataset_shard

    for n in range(3):
        approved_work(project, reviewer, n)
    version = version_build(actor=admin, dataset=define(admin, project, shard_size=1))
    version_snapshot(version_id=version.pk)
    first, second, third = DatasetShard.objects.filter(version=version).order_by("index")
    shard_build(shard_id=first.pk)
    good = object_storage()
    assert good.size_of(first.storage_key) > 0
    working_endpoint = settings.S3_ENDPOINT_URL
    settings.S3_ENDPOINT_URL = f"http://127.0.0.1:{free_port()}"  # storage is down: nothing listens there
    monkeypatch.setitem(build_dataset_shard.app.conf, "task_eager_propagates", True)
    with pytest.raises(Retry):  # the first attempt asks to be tried again later; the other shards are untouched
        build_dataset_shard.apply(args=(second.pk,))
    assert dict(DatasetShard.objects.filter(version=version).values_list("index", "state")) == {
        0: "done",
        1: "pending",
        2: "pending",
    }
    with django_capture_on_commit_callbacks() as after_commit, pytest.raises(TransientStorageError):
        build_dataset_shard.apply(args=(second.pk,), retries=SHARD_RETRIES)  # the last attempt
    settings.S3_ENDPOINT_URL = working_endpoint
    for callback in after_commit:  # the clean-up the failure left for after its commit
        callback()
    states = dict(DatasetShard.objects.filter(version=version).values_list("index", "state"))
    attempts = dict(DatasetShard.objects.filter(version=version).values_list("index", "attempts"))
    assert states == {0: "done", 1: "failed", 2: "pending"}
    assert attempts == {0: 1, 1: 2, 2: 0}  # only the failing shard was tried again
    failed = DatasetVersion.objects.get(pk=version.pk)
    assert failed.state == "failed" and "jsonl shard 1 failed" in failed.error
    with pytest.raises(MissingObject):
        good.size_of(first.storage_key)  # a failed version leaves nothing half-written
    shard_build(shard_id=third.pk)
    assert DatasetShard.objects.get(pk=third.pk).state == "pending"  # nothing more is built for a failed version


def test_a_bundle_on_one_clock_round_trips_offsets_probes_and_item_time_anchors(
    admin, reviewer, org, storage_mode, tmp_path
) -> None:
    """A video, its audio and the motion take that shaped it, each at its offset; notes anchored to the item's
    clock, to one track and to a joint at a frame read back the same from JSONL, Parquet and WebDataset, and each
    WebDataset sample carries every file of the item."""
    project = published_project(items=0, replicas=1, organization=org, output_spec=SPEC, rubric=RUBRIC)
    item: Any = ItemFactory(project=project, external_id="bundle-1")
    probes = {
        "take.mp4": {"duration_seconds": 4.0, "streams": [{"type": "video", "fps": 30.0}]},
        "take.wav": {"duration_seconds": 4.5, "streams": [{"type": "audio", "sample_rate": 16000}]},
        "take.bvh": {"format": "bvh", "frames": 120, "frame_rate": 30.0, "duration_seconds": 4.0, "joints": ["Hips"]},
    }
    kinds = {
        "take.mp4": ("video", "video/mp4"),
        "take.wav": ("audio", "audio/wav"),
        "take.bvh": ("motion", "application/x-bvh"),
    }
    offsets = {"take.mp4": 0.0, "take.wav": -0.25, "take.bvh": 0.5}
    for name, (kind, content_type) in kinds.items():
        MediaFileFactory(
            item=item,
            name=name,
            kind=kind,
            content_type=content_type,
            storage_key=f"bundle/{name}",
            probe=probes[name],
            offset_seconds=offsets[name],
        )
    tasks_generate(project=project)
    for m in MediaFile.objects.filter(item=item):
        data = f"The bytes of {m.name}.".encode()
        object_storage().put(m.storage_key, data, m.content_type)
        MediaFile.objects.filter(pk=m.pk).update(size_bytes=len(data), sha256=hashlib.sha256(data).hexdigest())
    files = {m.name: m.pk for m in MediaFile.objects.filter(item=item)}
    anchors = [
        {"type": "time", "start": 3.2, "end": 3.6},
        {"type": "time", "file": files["take.wav"], "start": 0.5, "end": 1.0},
        {"type": "joint", "file": files["take.bvh"], "joint": "Hips", "frame": 96},
    ]
    notes = [{"id": f"n{i}", "body": f"Beat {i}.", "anchor": a} for i, a in enumerate(anchors)]
    approved_work(project, reviewer, 1, notes=notes)
    dataset = define(admin, project, formats=["jsonl", "parquet", "webdataset"])
    version = build_here(version_build(actor=admin, dataset=dataset))
    shards = {s.format: s for s in DatasetShard.objects.filter(version=version)}
    raw = download(shards["jsonl"].storage_key, tmp_path / "r.jsonl.zst").read_bytes()
    [jsonl] = [json.loads(line) for line in zstandard.ZstdDecompressor().stream_reader(raw).read().splitlines()]
    [parquet] = [
        from_row(r) for r in pq.read_table(download(shards["parquet"].storage_key, tmp_path / "r.parquet")).to_pylist()
    ]
    tar = download(shards["webdataset"].storage_key, tmp_path / "r.tar")
    [sample] = list(wds.WebDataset([str(tar)], shardshuffle=False, empty_check=False))
    web = json.loads(sample["json"])

    for record in (jsonl, parquet, web):
        media = {m["name"]: m for m in record["item"]["media"]}
        assert {n: m["offset_seconds"] for n, m in media.items()} == offsets
        assert {n: m["duration_seconds"] for n, m in media.items()} == {
            "take.mp4": 4.0,
            "take.wav": 4.5,
            "take.bvh": 4.0,
        }
        assert {n: m["probe"] for n, m in media.items()} == probes
        assert [n["anchor"] for n in record["notes"]] == anchors
    assert jsonl == parquet == web
    assert version.card["modalities"] == {"audio": 1, "motion": 1, "video": 1}
    assert "- motion: 1 records" in version.card_markdown
    members = tar_members(tar)
    rid = jsonl["record_id"]
    assert {f"{rid}.media_0.mp4", f"{rid}.media_1.wav", f"{rid}.media_2.bvh"} <= set(members)
