"""The exported record (schema version 1), its Parquet form, and the provenance check a consumer can run.

A record pairs one contribution's result with its process. JSONL and WebDataset carry it as JSON exactly as built
here; Parquet (and the Hugging Face layout) carry the same record with nested types, where the values whose shape
depends on the project (answers, rubric scores, anchors, media probes) are JSON strings. `from_row` turns a
Parquet row back into the JSON record, so every format can be compared field by field.

`verify_record` needs nothing but the standard library: a consumer can copy it. It recomputes each draft's link
of the hash chain, checks the links follow one another, checks text drafts against their hash, and recomputes the
contribution's content hash over intent, notes (with the history of edited ones), answers, the chain and the
declared tools.
"""

from __future__ import annotations

import hashlib
import json
from itertools import accumulate, chain, repeat
from typing import Any

import orjson
import pyarrow as pa

CHAIN_ALGORITHM = "sha256-chain-v1"

_MEDIA = pa.struct(
    [
        ("name", pa.string()),
        ("kind", pa.string()),
        ("content_type", pa.string()),
        ("size_bytes", pa.int64()),
        ("sha256", pa.string()),
        ("key", pa.string()),
        ("offset_seconds", pa.float64()),
        ("duration_seconds", pa.float64()),
        ("probe_json", pa.string()),
    ]
)


def media_duration(probe: Any) -> float | int | None:
    """A file's length in seconds as its probe found it (audio, video, motion, sensor); None for the rest."""
    found = probe.get("duration_seconds") if isinstance(probe, dict) else None
    return found if isinstance(found, (int, float)) and not isinstance(found, bool) else None


def offset_number(seconds: float) -> float | int:
    """A file's offset as PostgreSQL writes a float8 into JSON (a whole number without `.0`), so the records built
    in SQL and in Python are the same bytes. Offsets are kept to the millisecond, which never needs an exponent."""
    return int(seconds) if float(seconds).is_integer() else seconds


_NOTE_VERSION = pa.struct([("body", pa.string()), ("anchor_json", pa.string()), ("at", pa.string())])
_NOTE = pa.struct(
    [
        ("id", pa.string()),
        ("body", pa.string()),
        ("created_at", pa.string()),
        ("anchor_json", pa.string()),
        ("edited_at", pa.string()),
        ("history", pa.list_(_NOTE_VERSION)),
    ]
)
_DRAFT = pa.struct(
    [
        ("sequence", pa.int32()),
        ("kind", pa.string()),
        ("name", pa.string()),
        ("content_type", pa.string()),
        ("size_bytes", pa.int64()),
        ("content_sha256", pa.string()),
        ("previous_sha256", pa.string()),
        ("chain_sha256", pa.string()),
        ("created_at", pa.string()),
        ("change_note", pa.string()),
        ("what_failed", pa.string()),
        ("tools", pa.list_(pa.string())),
        ("generative_tools_used", pa.bool_()),
        ("text", pa.string()),
        ("key", pa.string()),
        ("source_type", pa.string()),
        (
            "evidence",
            pa.struct(
                [
                    ("active_seconds", pa.int64()),
                    ("sessions", pa.int32()),
                    ("typed_chars", pa.int64()),
                    ("pasted_chars", pa.int64()),
                ]
            ),
        ),
    ]
)
PARQUET_SCHEMA = pa.schema(
    [
        ("record_id", pa.string()),
        ("schema_version", pa.int16()),
        ("dataset_version", pa.int32()),
        ("contributor", pa.string()),
        (
            "project",
            pa.struct(
                [
                    ("id", pa.int64()),
                    ("title", pa.string()),
                    ("licence", pa.string()),
                    ("agreement_version", pa.string()),
                ]
            ),
        ),
        ("item", pa.struct([("external_id", pa.string()), ("media", pa.list_(_MEDIA))])),
        ("intent", pa.string()),
        ("notes", pa.list_(_NOTE)),
        ("drafts", pa.list_(_DRAFT)),
        ("answers_json", pa.string()),
        (
            "review",
            pa.struct(
                [
                    ("score", pa.float64()),
                    ("scores_json", pa.string()),
                    ("automatic", pa.bool_()),
                    ("revisions", pa.int32()),
                ]
            ),
        ),
        ("time_on_task_seconds", pa.int64()),
        ("tools", pa.list_(pa.string())),
        ("generative_tools_used", pa.bool_()),
        ("attested", pa.bool_()),
        ("licence", pa.string()),
        (
            "pay",
            pa.struct(
                [
                    ("amount_minor", pa.int64()),
                    ("currency", pa.string()),
                    ("top_up_minor", pa.int64()),
                    ("effective_hourly_minor", pa.int64()),
                ]
            ),
        ),
        (
            "provenance",
            pa.struct(
                [
                    ("algorithm", pa.string()),
                    ("content_sha256", pa.string()),
                    ("chain_sha256", pa.string()),
                    ("manifest_json", pa.string()),
                    ("signature", pa.string()),
                ]
            ),
        ),
        ("submitted_at", pa.string()),
        ("approved_at", pa.string()),
    ]
)


def _j(value: Any) -> str:
    """`json.dumps(value, sort_keys=True, separators=(",", ":"))`, the JSON text the Parquet columns hold (and,
    for a manifest, the very bytes that were signed). orjson writes the same text several times faster except in
    three cases, which go through `json.dumps`: non-ASCII text (orjson does not escape it), a float that Python
    writes with an exponent (1e+16, 1e-05: orjson writes 1e16, 0.00001), and what orjson refuses (integers beyond
    64 bits, keys that are not strings). Outside strings (split on quotes, when none is escaped) a float in
    exponent form shows an `e` that is not in true or false, and a small one `0.0000`. The values are JSON read
    from the database, which holds no NaN or infinity (orjson would write those as null)."""
    try:
        fast = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except TypeError:
        return json.dumps(value, sort_keys=True, separators=(",", ":"))
    if fast.isascii() and b'\\"' not in fast:
        bare = b"".join(fast.split(b'"')[::2]).replace(b"true", b"").replace(b"false", b"")
        if b"e" not in bare and b"E" not in bare and b"0.0000" not in bare:
            return fast.decode()
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def record_note(note: dict[str, Any]) -> dict[str, Any]:
    """A note as the record shows it: the final body and anchor, when it was first saved, when it last changed
    (`edited_at`, null if never) and its earlier versions (`history`: body, anchor and when each was saved)."""
    return {
        "id": note["id"],
        "body": note["body"],
        "anchor": note.get("anchor"),
        "created_at": note["created_at"],
        "edited_at": note.get("edited_at"),
        "history": [{"body": v["body"], "anchor": v.get("anchor"), "at": v["at"]} for v in note.get("history", [])],
    }


def to_row(record: dict[str, Any]) -> dict[str, Any]:
    """The record in the Parquet schema's shape."""
    row = {k: v for k, v in record.items() if k != "answers"}
    row["answers_json"] = _j(record["answers"])
    row["item"] = {
        "external_id": record["item"]["external_id"],
        "media": [
            {**{k: v for k, v in m.items() if k != "probe"}, "probe_json": _j(m["probe"])}
            for m in record["item"]["media"]
        ],
    }
    row["notes"] = [
        {
            "id": str(n["id"]),
            "body": n["body"],
            "created_at": n["created_at"],
            "anchor_json": _j(n.get("anchor")),
            "edited_at": n.get("edited_at"),
            "history": [
                {"body": v["body"], "anchor_json": _j(v.get("anchor")), "at": v["at"]} for v in n.get("history", [])
            ],
        }
        for n in record["notes"]
    ]
    prov = record["provenance"]
    row["provenance"] = {
        **{k: v for k, v in prov.items() if k != "manifest"},
        "manifest_json": None if prov.get("manifest") is None else _j(prov["manifest"]),
    }
    review = record["review"]
    row["review"] = {
        "score": review["score"],
        "scores_json": _j(review["scores"]),
        "automatic": review["automatic"],
        "revisions": review["revisions"],
    }
    return row


def to_table(records: list[dict[str, Any]]) -> pa.Table:
    """`pa.Table.from_pylist([to_row(r) for r in records], schema=PARQUET_SCHEMA)`, built a column at a time
    straight from the records: for each field of the nested schema one list of its values over every record,
    handed to Arrow whole, with the JSON-text fields (`<name>_json`, from `<name>`) written as `to_row` writes
    them. Several times faster than a dict per row; `tests/domain/test_formats.py` holds the two equal."""
    return pa.Table.from_arrays(
        [
            pa.array([_j(r["answers"]) for r in records], f.type)
            if f.name == "answers_json"
            else _column([r.get(f.name) for r in records], f.type, f.name)
            for f in PARQUET_SCHEMA
        ],
        schema=PARQUET_SCHEMA,
    )


def _field(values: list[Any], key: str) -> list[Any]:
    """`[v.get(key) for v in values]`, at C speed."""
    return list(map(dict.get, values, repeat(key)))


def _column(values: list[Any], typ: pa.DataType, name: str = "") -> pa.Array:
    if pa.types.is_struct(typ):
        mask = pa.array([v is None for v in values], pa.bool_()) if None in values else None
        present = [{} if v is None else v for v in values] if mask is not None else values
        children = []
        for f in typ:
            if f.name == "manifest_json":  # null stays null: a record without a manifest
                manifests = _field(present, "manifest")
                children.append(pa.array([None if m is None else _j(m) for m in manifests], pa.string()))
            elif f.name.endswith("_json"):
                children.append(pa.array(list(map(_j, _field(present, f.name[:-5]))), pa.string()))
            elif name == "notes" and f.name == "id":
                children.append(pa.array([str(v["id"]) for v in present], pa.string()))
            elif name == "notes" and f.name == "history":  # a note never edited may have none: an empty list
                children.append(_column([v.get("history", []) for v in present], f.type, f.name))
            else:
                children.append(_column(_field(present, f.name), f.type, f.name))
        return pa.StructArray.from_arrays(children, fields=list(typ), mask=mask)
    if pa.types.is_list(typ):
        mask = None
        if None in values:
            mask = pa.array([v is None for v in values], pa.bool_())
            values = [[] if v is None else v for v in values]
        offsets = pa.array(list(accumulate(map(len, values), initial=0)), pa.int32())
        child = _column(list(chain.from_iterable(values)), typ.value_type, name)
        return pa.ListArray.from_arrays(offsets, child, type=typ, mask=mask)
    return pa.array(values, type=typ)


def from_row(row: dict[str, Any]) -> dict[str, Any]:
    """A Parquet row back into the JSON record."""
    record = {k: v for k, v in row.items() if k != "answers_json"}
    record["answers"] = json.loads(row["answers_json"])
    record["item"] = {
        "external_id": row["item"]["external_id"],
        "media": [
            {**{k: v for k, v in m.items() if k != "probe_json"}, "probe": json.loads(m["probe_json"])}
            for m in row["item"]["media"]
        ],
    }
    record["notes"] = [
        {
            "id": n["id"],
            "body": n["body"],
            "anchor": json.loads(n["anchor_json"]),
            "created_at": n["created_at"],
            "edited_at": n.get("edited_at"),
            "history": [
                {"body": v["body"], "anchor": json.loads(v["anchor_json"]), "at": v["at"]}
                for v in n.get("history") or []
            ],
        }
        for n in row["notes"]
    ]
    prov = row["provenance"]
    record["provenance"] = {
        **{k: v for k, v in prov.items() if k != "manifest_json"},
        "manifest": None if prov["manifest_json"] is None else json.loads(prov["manifest_json"]),
    }
    review = row["review"]
    record["review"] = {
        "score": review["score"],
        "scores": json.loads(review["scores_json"]),
        "automatic": review["automatic"],
        "revisions": review["revisions"],
    }
    return record


# --- Provenance --------------------------------------------------------------------------------------------------


def chain_link(previous: str, content_sha256: str, sequence: int, created_at: str) -> str:
    return hashlib.sha256(f"{previous}\n{content_sha256}\n{sequence}\n{created_at}".encode()).hexdigest()


def content_hash(record: dict[str, Any]) -> str:
    body = {
        "intent": record["intent"],
        "notes": [_hashed_note(n) for n in record["notes"]],
        "answers": record["answers"],
        "drafts": [d["chain_sha256"] for d in record["drafts"]],
        "tools": record["tools"],
        "generative_tools_used": record["generative_tools_used"],
    }
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":"), default=str).encode()).hexdigest()


def _hashed_note(note: dict[str, Any]) -> dict[str, Any]:
    """The note as the content hash covers it: id, body, anchor and created_at, and for an edited note also
    edited_at and history (a note never edited hashes as it did before notes could be edited)."""
    hashed = {k: note[k] for k in ("id", "body", "anchor", "created_at")}
    if note.get("edited_at"):
        hashed["edited_at"] = note["edited_at"]
        hashed["history"] = note.get("history", [])
    return hashed


def verify_record(record: dict[str, Any]) -> list[str]:
    """Every way the record's provenance does not hold up (an empty list: it holds)."""
    problems = []
    previous = ""
    for d in record["drafts"]:
        if d["previous_sha256"] != previous:
            problems.append(f"draft {d['sequence']}: does not follow the draft before it")
        if d["text"] is not None and hashlib.sha256(d["text"].encode()).hexdigest() != d["content_sha256"]:
            problems.append(f"draft {d['sequence']}: the text does not match its hash")
        if chain_link(d["previous_sha256"], d["content_sha256"], d["sequence"], d["created_at"]) != d["chain_sha256"]:
            problems.append(f"draft {d['sequence']}: the chain link does not match")
        previous = d["chain_sha256"]
    prov = record["provenance"]
    if prov["chain_sha256"] != previous:
        problems.append("the chain head is not the last draft's link")
    if content_hash(record) != prov["content_sha256"]:
        problems.append("the content hash does not match intent, notes, answers, drafts and tools")
    return problems
