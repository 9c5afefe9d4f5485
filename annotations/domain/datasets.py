"""Dataset rules without the database: the filters and build options a dataset may have, how a version is cut
into shards, the names of its files, and the data card made from the facts gathered while it was built."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.translation import gettext

from annotations.domain.money import exponent_of, major_units

SCHEMA_VERSION = 1
FORMATS = ("jsonl", "parquet", "webdataset", "hf")
COMPRESSIONS = ("none", "gzip", "zstd")
MODALITIES = ("image", "audio", "video", "text", "motion", "sensor", "model", "other")
MAX_SHARD_SIZE = 1_000_000
DEFAULT_FILTERS: dict[str, Any] = {
    "include_unreviewed": False,
    "approved_after": None,
    "approved_before": None,
    "min_review_score": None,
    "modalities": [],
    "exclude_flagged": False,
    "exclude_near_duplicates": False,
}
EXTENSIONS = {"jsonl": {"none": ".jsonl", "gzip": ".jsonl.gz", "zstd": ".jsonl.zst"}}


class DatasetError(ValueError):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


def _when(value: Any, key: str, errors: dict[str, list[str]]) -> str | None:
    if value in (None, ""):
        return None
    try:
        return datetime.fromisoformat(str(value)).isoformat()
    except ValueError:
        errors[f"filters.{key}"] = [gettext("A date or date-time in ISO 8601, e.g. 2026-11-01.")]
        return None


def clean_filters(raw: Any) -> dict[str, Any]:
    """The filters with defaults filled in; DatasetError names every bad one."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise DatasetError({"filters": [gettext("An object.")]})
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(raw) - set(DEFAULT_FILTERS))
    if unknown:
        errors["filters"] = [gettext("Unknown filter: %(unknown)s.") % {"unknown": ", ".join(unknown)}]
    out = {**DEFAULT_FILTERS}
    for flag in ("include_unreviewed", "exclude_flagged", "exclude_near_duplicates"):
        if flag in raw:
            if not isinstance(raw[flag], bool):
                errors[f"filters.{flag}"] = [gettext("true or false.")]
            else:
                out[flag] = raw[flag]
    out["approved_after"] = _when(raw.get("approved_after"), "approved_after", errors)
    out["approved_before"] = _when(raw.get("approved_before"), "approved_before", errors)
    if out["approved_after"] and out["approved_before"] and out["approved_after"] >= out["approved_before"]:
        errors["filters.approved_before"] = [gettext("Must be after approved_after.")]
    score = raw.get("min_review_score")
    if score is not None:
        if isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 1:
            errors["filters.min_review_score"] = [gettext("A share of the rubric maximum, from 0 to 1.")]
        else:
            out["min_review_score"] = float(score)
    kinds = raw.get("modalities", [])
    if not isinstance(kinds, list) or any(k not in MODALITIES for k in kinds):
        errors["filters.modalities"] = [gettext("A list of: %(modalities)s.") % {"modalities": ", ".join(MODALITIES)}]
    else:
        out["modalities"] = sorted(set(kinds))
    if errors:
        raise DatasetError(errors)
    return out


def clean_build_options(formats: Any, shard_size: Any, compression: Any) -> tuple[list[str], int, str]:
    errors: dict[str, list[str]] = {}
    if not isinstance(formats, list) or not formats or any(f not in FORMATS for f in formats):
        errors["formats"] = [gettext("One or more of: %(formats)s.") % {"formats": ", ".join(FORMATS)}]
    if isinstance(shard_size, bool) or not isinstance(shard_size, int) or not 1 <= shard_size <= MAX_SHARD_SIZE:
        errors["shard_size"] = [
            gettext("Records per shard, from 1 to %(max_shard_size)s.") % {"max_shard_size": f"{MAX_SHARD_SIZE:,}"}
        ]
    if compression not in COMPRESSIONS:
        errors["compression"] = [gettext("One of: %(compressions)s.") % {"compressions": ", ".join(COMPRESSIONS)}]
    if errors:
        raise DatasetError(errors)
    ordered = [f for f in FORMATS if f in formats]
    return ordered, int(shard_size), str(compression)


@dataclass(frozen=True, slots=True)
class ShardPlan:
    format: str
    index: int
    first: int
    end: int


def plan_shards(record_count: int, shard_size: int, formats: list[str]) -> list[ShardPlan]:
    """Every format cut at the same record boundaries: shard i holds records [i*size, (i+1)*size)."""
    count = max(1, math.ceil(record_count / shard_size)) if record_count else 0
    return [
        ShardPlan(fmt, i, i * shard_size, min(record_count, (i + 1) * shard_size))
        for fmt in formats
        for i in range(count)
    ]


def shard_name(fmt: str, index: int, total: int, compression: str) -> str:
    """The shard's path inside the version's folder, in each format's usual layout."""
    part = f"{index:05d}-of-{total:05d}"
    if fmt == "jsonl":
        return f"jsonl/part-{part}{EXTENSIONS['jsonl'][compression]}"
    if fmt == "parquet":
        return f"parquet/part-{part}.parquet"
    if fmt == "webdataset":
        return f"webdataset/part-{part}.tar"
    return f"hf/data/train-{part}.parquet"


# --- Facts gathered per shard, merged into the data card -------------------------------------------------------


@dataclass(slots=True)
class ShardFacts:
    """What a shard saw, small whatever the record count: sums, counts and a histogram of hourly rates."""

    records: int = 0
    drafts: int = 0
    notes: int = 0
    note_chars: int = 0
    active_seconds: int = 0
    generative: int = 0
    topped_up: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    hourly_minor: Counter[int] = field(default_factory=Counter)

    def add(self, record: dict[str, Any]) -> None:
        self.records += 1
        self.drafts += len(record["drafts"])
        self.notes += len(record["notes"])
        self.note_chars += sum(len(n.get("body", "")) for n in record["notes"])
        self.active_seconds += record["time_on_task_seconds"]
        self.generative += bool(record["generative_tools_used"])
        self.topped_up += bool(record["pay"]["top_up_minor"])
        self.kinds.update({m["kind"] for m in record["item"]["media"]})
        rate = record["pay"]["effective_hourly_minor"]
        if rate is not None:
            self.hourly_minor[rate] += 1

    def to_data(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "drafts": self.drafts,
            "notes": self.notes,
            "note_chars": self.note_chars,
            "active_seconds": self.active_seconds,
            "generative": self.generative,
            "topped_up": self.topped_up,
            "kinds": dict(self.kinds),
            "hourly_minor": {str(k): v for k, v in self.hourly_minor.items()},
        }

    @classmethod
    def merged(cls, parts: list[dict[str, Any]]) -> ShardFacts:
        out = cls()
        for p in parts:
            out.records += p["records"]
            out.drafts += p["drafts"]
            out.notes += p["notes"]
            out.note_chars += p["note_chars"]
            out.active_seconds += p["active_seconds"]
            out.generative += p["generative"]
            out.topped_up += p["topped_up"]
            out.kinds.update(p["kinds"])
            out.hourly_minor.update({int(k): v for k, v in p["hourly_minor"].items()})
        return out


def median_of(histogram: Counter[int]) -> float | None:
    total = sum(histogram.values())
    if not total:
        return None
    ordered = sorted(histogram.items())
    lower_rank, upper_rank = (total - 1) // 2, total // 2
    seen, lower, upper = 0, None, None
    for value, n in ordered:
        if lower is None and seen + n > lower_rank:
            lower = value
        if seen + n > upper_rank:
            upper = value
            break
        seen += n
    assert lower is not None and upper is not None
    return (lower + upper) / 2


def card_facts(
    *,
    facts: ShardFacts,
    contributors: int,
    projects: list[dict[str, Any]],
    licences: list[str],
    currency: str | None,
    filters: dict[str, Any],
    withdrawn_left_out: int,
    credits: list[str] | None = None,
    anti_collapse: dict[str, Any] | None = None,
    jsonl_compression: str | None = None,
) -> dict[str, Any]:
    n = facts.records or 1
    median = median_of(facts.hourly_minor)
    gaps = []
    if filters.get("include_unreviewed"):
        gaps.append("Includes submitted work that no reviewer has approved yet.")
    if not filters.get("exclude_flagged"):
        gaps.append("Work the review flags marked (low active time, copied or near-duplicate) is not left out.")
    if withdrawn_left_out:
        gaps.append(f"{withdrawn_left_out} contributions were left out because their creators withdrew consent.")
    gaps.append("Media bytes travel in the WebDataset shards; the other formats refer to them by key and sha256.")
    if len({p["currency"] for p in projects}) > 1:
        gaps.append("Projects pay in different currencies: no median hourly rate is given (it would mix them).")
    return {
        "records": facts.records,
        "contributors": contributors,
        "projects": projects,
        "licences": licences,
        "pay": {
            "currency": currency,
            "median_effective_hourly": None if median is None or currency is None else major_units(median, currency),
            "share_topped_up": round(facts.topped_up / n, 4),
        },
        "modalities": dict(sorted(facts.kinds.items())),
        "process": {
            "drafts_per_record": round(facts.drafts / n, 2),
            "notes_per_record": round(facts.notes / n, 2),
            "mean_note_chars": round(facts.note_chars / facts.notes, 1) if facts.notes else 0.0,
            "mean_active_minutes": round(facts.active_seconds / n / 60, 1),
        },
        "share_generative_tools": round(facts.generative / n, 4),
        "filters": filters,
        "known_gaps": gaps,
        "credits": sorted(credits or []),
        "anti_collapse": anti_collapse or {},
        "jsonl_compression": jsonl_compression,
    }


def card_markdown(title: str, version: int, card: dict[str, Any], built_at: str) -> str:
    """The data card in Markdown, from the facts (the JSON card holds the same facts)."""
    pay, proc = card["pay"], card["process"]
    lines = [
        f"# {title}, version {version}",
        "",
        f"Built {built_at}. {card['records']:,} records by {card['contributors']:,} contributors. "
        "Each record pairs a finished contribution with the process that made it: the intent, anchored process "
        "notes, every draft with what changed and what failed, and a hash chain a consumer can verify.",
        "",
        "## Projects",
        "",
    ]
    for p in card["projects"]:
        lines += [f"### {p['title']}", "", p["brief"].strip() or "(no brief)", ""]
    rate = pay["median_effective_hourly"]
    rate_text = "n/a" if rate is None else f"{rate:.{exponent_of(pay['currency'])}f} {pay['currency']}"
    lines += [
        "## Pay",
        "",
        f"- Median effective hourly rate: {rate_text}",
        f"- Share of work topped up to the platform minimum: {pay['share_topped_up']:.1%}",
        "",
        "## Modalities",
        "",
        *[f"- {kind}: {n:,} records" for kind, n in card["modalities"].items()],
        "",
        "## Process",
        "",
        f"- Drafts per record: {proc['drafts_per_record']}",
        f"- Process notes per record: {proc['notes_per_record']} (mean {proc['mean_note_chars']} characters)",
        f"- Mean active time on task: {proc['mean_active_minutes']} minutes",
        f"- Records that declared generative tools: {card['share_generative_tools']:.1%}",
        "",
        *_collapse_lines(card.get("anti_collapse") or {}),
        *_file_lines(card.get("jsonl_compression")),
        "## Licence",
        "",
        ", ".join(card["licences"]) or "n/a",
        "",
        "## Known gaps",
        "",
        *[f"- {g}" for g in card["known_gaps"]],
        "",
        "## Credits",
        "",
        (
            "Made by " + ", ".join(card["credits"]) + ", and contributors who chose to stay pseudonymous."
            if card.get("credits")
            else "Every contributor chose to stay pseudonymous."
        ),
        "",
    ]
    return "\n".join(lines)


_COMPRESSED = {
    "zstd": "zstd-compressed (`.jsonl.zst`; Python's `zstandard` or `zstd -d` reads them). zstd is the default "
    "since 2026-12-04; earlier versions were gzip unless chosen otherwise",
    "gzip": "gzip-compressed (`.jsonl.gz`), as chosen for this dataset (zstd is the default)",
    "none": "not compressed (`.jsonl`), as chosen for this dataset (zstd is the default)",
}


def _file_lines(compression: str | None) -> list[str]:
    if compression not in _COMPRESSED:
        return []
    return ["## Files", "", f"- JSONL shards: {_COMPRESSED[compression]}.", ""]


def _collapse_lines(m: dict[str, Any]) -> list[str]:
    if not m.get("records_measured"):
        return []
    sample = f" (measured on an even sample of {m['records_measured']:,} records)" if m.get("sampled") else ""
    median = m.get("contributor_diversity_median")
    return [
        "## Anti-collapse",
        "",
        f"- Near-duplicates across contributors: {m['near_duplicate_rate']:.1%} of records{sample}",
        f"- Declared machine-made (generative tools or a generative source type): {m['machine_made_share']:.1%}",
        f"- Diversity across the version: {m['diversity'] if m['diversity'] is not None else 'n/a'} (0 all alike, 1 "
        "nothing shared)",
        f"- Median diversity within a contributor's own work: {median if median is not None else 'n/a'}",
        "",
    ]


def hf_readme(card_md: str, licence: str) -> str:
    """A dataset card the Hugging Face `datasets` library reads as it is: YAML config, then the Markdown."""
    header = [
        "---",
        f"license: {licence.lower()}",
        "configs:",
        "- config_name: default",
        "  data_files:",
        "  - split: train",
        "    path: data/train-*.parquet",
        "---",
        "",
    ]
    return "\n".join(header) + card_md
