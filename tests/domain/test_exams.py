"""Exam scoring without the database: an item counts when every field it asks matches; the pass mark is compared
exactly; answers are checked against the items' fields; the retry time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from annotations.domain import exams as rules
from annotations.domain.output_spec import parse

SPEC = parse(
    {
        "version": 1,
        "fields": [
            {"key": "intent", "type": "intent", "label": "Intent", "required": True},
            {"key": "mood", "type": "choice", "label": "Mood", "required": True, "options": ["calm", "tense"]},
            {"key": "quality", "type": "rating", "label": "Quality", "required": True, "min": 1, "max": 5},
        ],
    }
)


def questions(n: int) -> list[rules.ExamQuestion]:
    return [rules.ExamQuestion(item_id=i, spec=SPEC, expected={"mood": "calm", "quality": 4}) for i in range(1, n + 1)]


def right(i: int) -> dict[str, object]:
    return {str(i): {"mood": "calm", "quality": 5}}  # a rating within one point matches


def test_an_item_counts_only_when_every_asked_field_matches() -> None:
    answers = {**right(1), "2": {"mood": "calm", "quality": 1}, "3": {"mood": "tense", "quality": 4}}
    assert rules.exam_score(questions(3), answers) == rules.ExamScore(matched=1, total=3)


def test_unanswered_items_are_misses() -> None:
    result = rules.exam_score(questions(4), right(2))
    assert (result.matched, result.total, result.score) == (1, 4, 0.25)


@pytest.mark.parametrize(
    ("matched", "total", "mark", "passes"),
    [
        (3, 5, "0.6", True),
        (2, 5, "0.6", False),
        (2, 3, "0.667", False),
        (2, 3, "0.666", True),
        (0, 3, "0", True),
        (3, 3, "1", True),
        (0, 0, "0", False),
    ],
)
def test_the_pass_mark_is_compared_exactly(matched: int, total: int, mark: str, passes: bool) -> None:
    assert rules.ExamScore(matched, total).passes(Decimal(mark)) is passes


def test_answers_must_name_items_and_fields_of_the_exam_with_valid_values() -> None:
    assert rules.answer_problems(questions(2), {"1": {"mood": "calm"}}) == {}
    assert rules.answer_problems(questions(2), {"9": {}}) == {"answers.9": ["Not an item of this exam."]}
    assert rules.answer_problems(questions(2), {"1": {"intent": "x"}}) == {
        "answers.1.intent": ["Not a field this item asks."]
    }
    assert rules.answer_problems(questions(2), {"1": {"quality": 9}}) == {
        "answers.1.quality": ["Not a valid answer for Quality."]
    }
    assert rules.answer_problems(questions(2), ["x"]) == {"answers": ["An object of answers by item id."]}


def test_only_fields_with_known_answers_are_asked() -> None:
    assert [f.key for f in rules.asked_fields(SPEC, {"quality": 3})] == ["quality"]


def test_retry_at_is_the_failure_plus_the_delay() -> None:
    failed = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
    assert rules.retry_at(failed, 24) == failed + timedelta(hours=24)
    assert rules.retry_at(None, 24) is None
