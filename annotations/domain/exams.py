"""Exam rules without the database: which fields an exam item asks, whether answers are well formed, the score
(share of items matched, each item checked with the gold rules of `domain.quality`), the pass decision and when a
failed attempt may be retried."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext

from annotations.domain import quality
from annotations.domain.output_spec import OutputSpec, SpecField


@dataclass(frozen=True, slots=True)
class ExamQuestion:
    """One item of an exam as the scorer needs it: its id, its project's spec and the known answers."""

    item_id: int
    spec: OutputSpec
    expected: dict[str, Any]


def asked_fields(spec: OutputSpec, expected: dict[str, Any]) -> list[SpecField]:
    """The rating and choice fields of the spec that the item has a known answer for, in spec order."""
    return [f for f in quality.comparable(spec) if f.key in expected]


def answer_problems(questions: list[ExamQuestion], answers: Any) -> dict[str, list[str]]:
    """Errors by `answers.<item>.<field>` for a submission ({} when it is well formed). Unanswered fields are
    allowed (they count as misses); unknown items and fields and values outside a field's range are not."""
    if not isinstance(answers, dict):
        return {"answers": [gettext("An object of answers by item id.")]}
    by_id = {str(q.item_id): q for q in questions}
    errors: dict[str, list[str]] = {}
    for item_key, given in answers.items():
        q = by_id.get(str(item_key))
        if q is None:
            errors[f"answers.{item_key}"] = [gettext("Not an item of this exam.")]
            continue
        if not isinstance(given, dict):
            errors[f"answers.{item_key}"] = [gettext("An object of answers by field key.")]
            continue
        fields = {f.key: f for f in asked_fields(q.spec, q.expected)}
        for key, value in given.items():
            f = fields.get(str(key))
            if f is None:
                errors[f"answers.{item_key}.{key}"] = [gettext("Not a field this item asks.")]
            elif value is not None and not quality.valid_value(f, value):
                errors[f"answers.{item_key}.{key}"] = [
                    gettext("Not a valid answer for %(label)s.") % {"label": f.label}
                ]
    return errors


@dataclass(frozen=True, slots=True)
class ExamScore:
    matched: int
    total: int

    @property
    def score(self) -> float:
        return round(self.matched / self.total, 3) if self.total else 0.0

    def passes(self, pass_mark: Decimal) -> bool:
        """score >= pass_mark, compared exactly (3 of 5 passes a mark of 0.6; no float rounding decides)."""
        return self.total > 0 and Fraction(self.matched, self.total) >= Fraction(pass_mark)


def exam_score(questions: list[ExamQuestion], answers: dict[str, Any]) -> ExamScore:
    """An item is matched when every field it asks matches its known answer (`quality.gold_check`)."""
    matched = 0
    for q in questions:
        given = answers.get(str(q.item_id)) or {}
        result = quality.gold_check(q.spec, q.expected, given if isinstance(given, dict) else {})
        matched += result.compared > 0 and result.matched == result.compared
    return ExamScore(matched=matched, total=len(questions))


def retry_at(last_failed_at: datetime | None, delay_hours: int) -> datetime | None:
    """When the next attempt may start after a failure (None: no failure to wait for)."""
    return None if last_failed_at is None else last_failed_at + timedelta(hours=delay_hours)
