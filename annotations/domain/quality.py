"""Quality rules without the database: gold answers and how a contribution scores against them, perceptual-hash
distance, the gold turn of a claim, and how reputation combines its parts.

Gold answers cover the comparable fields of the output spec (ratings and choices): a rating matches within
`RATING_TOLERANCE` points, a choice matches exactly (a multiple choice as the same set).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext

from annotations.domain.output_spec import OutputSpec, SpecField

RATING_TOLERANCE = 1
MAX_GOLD_RATE = 50  # percent of claims; above that the stream is more test than work
# Perceptual hashes (64-bit pHash) this many bits apart or fewer are near-duplicates. Re-encoding, resizing and
# light colour changes stay within a few bits; unrelated photographs are ~32 bits apart.
NEAR_DUPLICATE_MAX_DISTANCE = 6
# How reputation weighs its parts once each has enough evidence.
REPUTATION_MIN_REVIEWED = 3
REPUTATION_MIN_GOLD = 2


def comparable(spec: OutputSpec) -> list[SpecField]:
    return [f for f in spec.fields if f.type in ("rating", "choice")]


def valid_value(f: SpecField, value: Any) -> bool:
    """A well-formed answer to a rating or choice field."""
    return _valid_value(f, value)


def _valid_value(f: SpecField, value: Any) -> bool:
    if f.type == "rating":
        lo, hi = f.options.get("min", 1), f.options.get("max", 5)
        return isinstance(value, int) and not isinstance(value, bool) and lo <= value <= hi
    options = f.options.get("options") or []
    if f.options.get("multiple"):
        return isinstance(value, list) and 0 < len(value) == len(set(value)) and all(v in options for v in value)
    return value in options


def gold_answer_problems(spec: OutputSpec, answers: Any) -> dict[str, list[str]]:
    """Errors by field key for a proposed set of gold answers ({} when they are usable)."""
    fields = {f.key: f for f in comparable(spec)}
    if not fields:
        return {"answers": [gettext("The output spec has no rating or choice field to check answers against.")]}
    if not isinstance(answers, dict) or not answers:
        return {
            "answers": [
                gettext("Give the known answer for at least one of: %(fields)s.") % {"fields": ", ".join(fields)}
            ]
        }
    errors: dict[str, list[str]] = {}
    for key, value in answers.items():
        f = fields.get(key)
        if f is None:
            errors[str(key)] = [gettext("Not a rating or choice field of this project.")]
        elif not _valid_value(f, value):
            errors[key] = [gettext("Not a valid answer for %(label)s.") % {"label": f.label}]
    return errors


def gold_subset(spec: OutputSpec, answers: dict[str, Any]) -> dict[str, Any]:
    """The comparable, valid answers of a contribution: what it contributes as a gold standard."""
    return {f.key: answers[f.key] for f in comparable(spec) if f.key in answers and _valid_value(f, answers[f.key])}


@dataclass(frozen=True, slots=True)
class GoldResult:
    matched: int
    compared: int
    misses: tuple[str, ...]

    @property
    def score(self) -> float:
        return round(self.matched / self.compared, 3) if self.compared else 0.0


def gold_check(spec: OutputSpec, expected: dict[str, Any], answers: dict[str, Any]) -> GoldResult:
    matched, misses = 0, []
    fields = {f.key: f for f in comparable(spec)}
    keys = [k for k in expected if k in fields]
    for key in keys:
        want, got = expected[key], (answers or {}).get(key)
        if fields[key].type == "rating":
            ok = isinstance(got, int) and not isinstance(got, bool) and abs(got - want) <= RATING_TOLERANCE
        elif isinstance(want, list):
            ok = isinstance(got, list) and set(got) == set(want)
        else:
            ok = got == want
        matched += ok
        if not ok:
            misses.append(fields[key].label)
    return GoldResult(matched=matched, compared=len(keys), misses=tuple(misses))


def gold_turn(secret: str, freelancer_id: int, project_id: int, claims_so_far: int, rate_percent: int) -> bool:
    """Whether this claim is a gold one: `rate_percent` of claims on average, unpredictable without the secret."""
    if rate_percent <= 0:
        return False
    digest = hashlib.sha256(f"{secret}:gold:{freelancer_id}:{project_id}:{claims_so_far}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100 < rate_percent


def hash_distance(a: int, b: int) -> int:
    return ((a ^ b) & 0xFFFF_FFFF_FFFF_FFFF).bit_count()


def to_signed64(unsigned: int) -> int:
    """A 64-bit hash as the signed integer a BIGINT column holds."""
    return unsigned - (1 << 64) if unsigned >= 1 << 63 else unsigned


@dataclass(frozen=True, slots=True)
class Reputation:
    score: float
    approval_rate: float | None
    review_score: float | None
    gold_accuracy: float | None
    reviewed: int
    gold_checked: int


def combine_reputation(
    *, approved: int, rejected: int, review_fractions: list[float], gold_scores: list[float]
) -> Reputation:
    """The mean of the parts with enough evidence: approval rate (from 3 reviewed), mean rubric score as a fraction
    of the maximum, and gold accuracy (from 2 gold items). With no part ready the reputation is 0."""
    reviewed = approved + rejected
    approval = round(approved / reviewed, 3) if reviewed >= REPUTATION_MIN_REVIEWED else None
    review = (
        round(sum(review_fractions) / len(review_fractions), 3)
        if len(review_fractions) >= REPUTATION_MIN_REVIEWED
        else None
    )
    gold = round(sum(gold_scores) / len(gold_scores), 3) if len(gold_scores) >= REPUTATION_MIN_GOLD else None
    parts = [p for p in (approval, review, gold) if p is not None]
    score = round(sum(parts) / len(parts), 3) if parts else 0.0
    return Reputation(score, approval, review, gold, reviewed, len(gold_scores))


def rubric_fraction(rubric: list[dict[str, Any]], scores: dict[str, Any]) -> float | None:
    """A review's rubric scores as one fraction of the maximum (None when it scored nothing)."""
    fractions = []
    for criterion in rubric or []:
        value, top = (scores or {}).get(str(criterion.get("key"))), criterion.get("max")
        if isinstance(value, int | float) and not isinstance(value, bool) and isinstance(top, int) and top > 0:
            fractions.append(min(max(value / top, 0.0), 1.0))
    return sum(fractions) / len(fractions) if fractions else None
