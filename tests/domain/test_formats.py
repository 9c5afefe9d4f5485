"""The shard writers and the record's Parquet form, without the database."""

from __future__ import annotations

import gzip
import hashlib
import json
import tarfile
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.domain import datasets as rules
from annotations.domain.formats import Attachment, writer_for
from annotations.domain.records import (
    PARQUET_SCHEMA,
    _j,
    chain_link,
    content_hash,
    from_row,
    to_row,
    to_table,
    verify_record,
)


def record(n: int) -> dict[str, Any]:
    created = "2026-11-25T10:00:00+00:00"
    text = f"draft of {n}"
    content = hashlib.sha256(text.encode()).hexdigest()
    link = chain_link("", content, 1, created)
    r: dict[str, Any] = {
        "record_id": f"r_{n}",
        "schema_version": 1,
        "dataset_version": 1,
        "contributor": "c_x",
        "project": {"id": 1, "title": "P", "licence": "CC-BY-4.0", "agreement_version": "2026-11"},
        "item": {
            "external_id": f"item-{n}",
            "media": [
                {
                    "name": "a.png",
                    "kind": "image",
                    "content_type": "image/png",
                    "size_bytes": 3,
                    "sha256": "0" * 64,
                    "key": "k/a.png",
                    "offset_seconds": 0,
                    "duration_seconds": None,
                    "probe": {"width": 2},
                },
                {
                    "name": "take.bvh",
                    "kind": "motion",
                    "content_type": "application/x-bvh",
                    "size_bytes": 9,
                    "sha256": "1" * 64,
                    "key": "k/take.bvh",
                    "offset_seconds": -0.25,
                    "duration_seconds": 2.0,
                    "probe": {"format": "bvh", "frames": 60, "frame_rate": 30.0, "joints": ["Hips", "Head"]},
                },
            ],
        },
        "intent": "Why",
        "notes": [
            {
                "id": "n1",
                "body": "b",
                "anchor": {"kind": "draft", "draft": 1},
                "created_at": created,
                "edited_at": None,
                "history": [],
            },
            {
                "id": "n2",
                "body": "edited",
                "anchor": None,
                "created_at": created,
                "edited_at": created,
                "history": [{"body": "first", "anchor": {"kind": "draft", "draft": 1}, "at": created}],
            },
        ],
        "drafts": [
            {
                "sequence": 1,
                "kind": "text",
                "name": "",
                "content_type": "text/plain",
                "size_bytes": len(text),
                "content_sha256": content,
                "previous_sha256": "",
                "chain_sha256": link,
                "created_at": created,
                "change_note": "c",
                "what_failed": "",
                "tools": [],
                "generative_tools_used": False,
                "text": text,
                "key": None,
                "source_type": "digitalCreation",
                "evidence": {"active_seconds": 300, "sessions": 1, "typed_chars": 42, "pasted_chars": 0},
            }
        ],
        "answers": {"mood": "calm", "quality": n},
        "review": {"score": 0.5, "scores": {"craft": 2}, "automatic": False, "revisions": 0},
        "time_on_task_seconds": 600,
        "tools": ["pencil"],
        "generative_tools_used": False,
        "attested": True,
        "licence": "CC-BY-4.0",
        "pay": {"amount_minor": 600, "currency": "USD", "top_up_minor": 0, "effective_hourly_minor": 3600},
        "provenance": {
            "algorithm": "sha256-chain-v1",
            "content_sha256": "",
            "chain_sha256": link,
            "manifest": {"spec": "atelier.provenance/1", "signer": {"key_id": "k"}},
            "signature": "c2ln",
        },
        "submitted_at": created,
        "approved_at": created,
    }
    r["provenance"]["content_sha256"] = content_hash(r)
    return r


@pytest.mark.parametrize("compression", ["none", "gzip", "zstd"])
def test_jsonl_in_each_compression_reads_back(tmp_path: Path, compression: str) -> None:
    path = tmp_path / "s"
    w = writer_for("jsonl", path, compression)
    for n in range(3):
        w.write(record(n), [])
    w.close()
    raw = path.read_bytes()
    text = {
        "none": lambda b: b,
        "gzip": gzip.decompress,
        "zstd": lambda b: zstandard.ZstdDecompressor().stream_reader(b).read(),
    }[compression](raw)
    assert [json.loads(x) for x in text.splitlines()] == [record(n) for n in range(3)]


def test_parquet_rows_round_trip_and_provenance_holds(tmp_path: Path) -> None:
    path = tmp_path / "s.parquet"
    w = writer_for("parquet", path, "none")
    for n in range(3):
        w.write(record(n), [])
    w.close()
    back = [from_row(r) for r in pq.read_table(path).to_pylist()]
    assert back == [record(n) for n in range(3)]
    assert to_row(record(1))["answers_json"] == '{"mood":"calm","quality":1}'
    assert all(verify_record(r) == [] for r in back)


def odd(n: int) -> dict[str, Any]:
    """A record with what the column-at-a-time build must handle like `from_pylist`: no media, no notes, a note
    never edited (no history key), no manifest, non-ASCII text, exponent floats in the JSON-text fields."""
    r = record(n)
    r["item"]["media"] = []
    r["notes"] = [{"id": 7, "body": "é ✓", "anchor": {"t": 1e-07, "big": 1e16}, "created_at": "x"}]
    r["answers"] = {"ünï": "cödé", "small": 0.00001, "list": [1.5, None, True]}
    r["review"]["scores"] = {}
    r["review"]["score"] = None
    r["pay"]["effective_hourly_minor"] = None
    r["provenance"]["manifest"] = None
    r["provenance"]["signature"] = None
    r["drafts"][0]["text"], r["drafts"][0]["key"] = None, "k/d.png"
    r["submitted_at"] = None
    return r


def test_parquet_columns_built_at_once_equal_the_rows_built_one_by_one() -> None:
    records = [record(1), odd(2), record(3), odd(4)]
    table = to_table(records)
    assert table.schema == PARQUET_SCHEMA
    assert table.equals(pa.Table.from_pylist([to_row(r) for r in records], schema=PARQUET_SCHEMA))
    assert from_row(table.to_pylist()[0]) == record(1)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(JSON)
def test_json_text_is_what_the_standard_library_writes(value: Any) -> None:
    assert _j(value) == json.dumps(value, sort_keys=True, separators=(",", ":"))


@pytest.mark.parametrize("value", [1e16, 1e-05, -1.5e-07, 0.0001, 2**70, {"é": 1}, {1: 2}, {'a"b': 1e20}, "\u2028"])
def test_json_text_where_orjson_would_differ(value: Any) -> None:
    assert _j(value) == json.dumps(value, sort_keys=True, separators=(",", ":"))


def test_tampering_is_named_by_the_provenance_check() -> None:
    r = record(1)
    r["drafts"][0]["text"] = "someone else's words"
    r["intent"] = "Changed afterwards"
    problems = verify_record(r)
    assert "draft 1: the text does not match its hash" in problems
    assert "the content hash does not match intent, notes, answers, drafts and tools" in problems


def test_webdataset_samples_carry_their_files(tmp_path: Path) -> None:
    path = tmp_path / "s.tar"
    w = writer_for("webdataset", path, "none")
    w.write(record(1), [Attachment("media_0.png", 3, lambda: iter([b"ab", b"c"]))])
    w.close()
    with tarfile.open(path) as tar:
        names = tar.getnames()
        data = tar.extractfile("r_1.media_0.png").read()  # type: ignore[union-attr]
    assert names == ["r_1.json", "r_1.media_0.png"] and data == b"abc"


def test_shards_cut_every_format_at_the_same_records() -> None:
    plan = rules.plan_shards(5, 2, ["jsonl", "parquet"])
    assert [(p.format, p.index, p.first, p.end) for p in plan] == [
        ("jsonl", 0, 0, 2), ("jsonl", 1, 2, 4), ("jsonl", 2, 4, 5),
        ("parquet", 0, 0, 2), ("parquet", 1, 2, 4), ("parquet", 2, 4, 5),
    ]  # fmt: skip
    assert rules.plan_shards(0, 2, ["jsonl"]) == []
    assert rules.shard_name("hf", 3, 10, "gzip") == "hf/data/train-00003-of-00010.parquet"
    assert rules.shard_name("jsonl", 0, 1, "zstd") == "jsonl/part-00000-of-00001.jsonl.zst"


def test_the_median_hourly_rate_is_exact_from_the_histogram() -> None:
    assert rules.median_of(Counter({1000: 1, 2000: 1, 3000: 1})) == 2000
    assert rules.median_of(Counter({1000: 2, 3000: 2})) == 2000
    assert rules.median_of(Counter()) is None


def test_filters_are_checked_and_defaulted() -> None:
    assert rules.clean_filters(None) == rules.DEFAULT_FILTERS
    with pytest.raises(rules.DatasetError) as bad:
        rules.clean_filters({"approved_after": "2026-12-01", "approved_before": "2026-11-01", "exclude_flagged": 1})
    assert set(bad.value.errors) == {"filters.approved_before", "filters.exclude_flagged"}
    assert rules.clean_build_options(["parquet", "jsonl"], 5, "none") == (["jsonl", "parquet"], 5, "none")


@pytest.mark.parametrize(
    ("compression", "said"),
    [("zstd", "zstd-compressed (`.jsonl.zst`"), ("gzip", "gzip-compressed (`.jsonl.gz`)"), (None, None)],
)
def test_the_card_says_how_jsonl_shards_are_compressed(compression: str | None, said: str | None) -> None:
    card = rules.card_facts(
        facts=rules.ShardFacts(records=1), contributors=1, projects=[], licences=[], currency=None, filters={},
        withdrawn_left_out=0, jsonl_compression=compression,
    )  # fmt: skip
    text = rules.card_markdown("T", 1, card, "now")
    assert card["jsonl_compression"] == compression
    assert (said in text) if said else "## Files" not in text
