"""Quality rules: gold answers and scoring, the gold turn's rate, hash distance, and how reputation combines."""

from __future__ import annotations

from annotations.domain import quality as q
from annotations.domain.output_spec import parse

SPEC = parse(
    {
        "version": 1,
        "fields": [
            {"key": "intent", "type": "intent", "label": "Intent", "required": True},
            {"key": "mood", "type": "choice", "label": "Mood", "required": True, "options": ["calm", "tense"]},
            {
                "key": "tags",
                "type": "choice",
                "label": "Tags",
                "required": False,
                "options": ["a", "b", "c"],
                "multiple": True,
            },
            {"key": "quality", "type": "rating", "label": "Quality", "required": True, "min": 1, "max": 5},
            {"key": "caption", "type": "text", "label": "Caption", "required": False},
        ],
    }
)


def test_gold_answers_are_checked_against_the_comparable_fields() -> None:
    assert q.gold_answer_problems(SPEC, {"mood": "calm", "quality": 4, "tags": ["b", "a"]}) == {}
    assert set(q.gold_answer_problems(SPEC, {"caption": "x", "mood": "happy", "quality": 9})) == {
        "caption",
        "mood",
        "quality",
    }
    assert "answers" in q.gold_answer_problems(SPEC, {})
    assert "answers" in q.gold_answer_problems(SPEC, ["calm"])
    assert q.gold_answer_problems(SPEC, {"quality": True}) == {"quality": ["Not a valid answer for Quality."]}
    bare = parse({"version": 1, "fields": [{"key": "intent", "type": "intent", "label": "I", "required": True}]})
    assert "no rating or choice" in q.gold_answer_problems(bare, {"x": 1})["answers"][0]


def test_a_rating_matches_within_one_point_and_choices_match_exactly() -> None:
    expected = {"mood": "calm", "quality": 4, "tags": ["a", "b"]}
    full = q.gold_check(SPEC, expected, {"mood": "calm", "quality": 5, "tags": ["b", "a"]})
    assert (full.matched, full.compared, full.score, full.misses) == (3, 3, 1.0, ())
    half = q.gold_check(SPEC, expected, {"mood": "tense", "quality": 2, "tags": ["a", "b"]})
    assert (half.matched, half.score, half.misses) == (1, 0.333, ("Mood", "Quality"))
    assert q.gold_check(SPEC, expected, {}).score == 0.0
    assert q.gold_subset(SPEC, {"mood": "calm", "quality": 7, "caption": "hi"}) == {"mood": "calm"}


def test_the_gold_turn_comes_at_the_set_rate_and_depends_on_the_secret() -> None:
    turns = [q.gold_turn("s3cret", fl, 7, n, 20) for fl in range(100) for n in range(50)]
    assert 0.17 < sum(turns) / len(turns) < 0.23
    assert not any(q.gold_turn("s3cret", fl, 7, 0, 0) for fl in range(200))
    other = [q.gold_turn("another", fl, 7, 0, 20) for fl in range(100)]
    assert other != turns[::50]


def test_hash_distance_counts_differing_bits_of_signed_hashes() -> None:
    a = q.to_signed64(0xFFFF_0000_0000_0001)
    assert a < 0 and q.hash_distance(a, a) == 0
    assert q.hash_distance(a, q.to_signed64(0xFFFF_0000_0000_0000)) == 1
    assert q.hash_distance(0, -1) == 64


def test_reputation_is_the_mean_of_the_parts_with_enough_evidence() -> None:
    none = q.combine_reputation(approved=2, rejected=0, review_fractions=[1.0], gold_scores=[1.0])
    assert (none.score, none.approval_rate, none.review_score, none.gold_accuracy) == (0.0, None, None, None)
    approval_only = q.combine_reputation(approved=3, rejected=1, review_fractions=[], gold_scores=[])
    assert approval_only.score == 0.75
    everything = q.combine_reputation(approved=4, rejected=0, review_fractions=[0.5, 0.5, 0.5], gold_scores=[0.0, 0.5])
    assert (everything.approval_rate, everything.review_score, everything.gold_accuracy) == (1.0, 0.5, 0.25)
    assert everything.score == round((1.0 + 0.5 + 0.25) / 3, 3)


def test_rubric_scores_become_one_fraction_of_the_maximum() -> None:
    rubric = [{"key": "craft", "label": "Craft", "max": 4}, {"key": "idea", "label": "Idea", "max": 2}]
    assert q.rubric_fraction(rubric, {"craft": 2, "idea": 2}) == 0.75
    assert q.rubric_fraction(rubric, {}) is None
    assert q.rubric_fraction([], {"craft": 3}) is None
