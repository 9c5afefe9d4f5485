from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.domain.output_spec import SpecError, default_spec, parse


def spec(*fields: dict[str, Any]) -> dict[str, Any]:
    return {"version": 1, "fields": list(fields)}


def test_default_spec_requires_intent_notes_and_drafts() -> None:
    s = default_spec()
    assert [(f.key, f.type, f.required) for f in s.fields] == [
        ("intent", "intent", True),
        ("notes", "process_notes", True),
        ("drafts", "drafts", True),
    ]
    assert s.field("drafts").options == {"min": 1, "max": 10}  # type: ignore[union-attr]


def test_every_type_round_trips_through_data() -> None:
    data = spec(
        {"key": "intent", "type": "intent", "label": "Intent", "required": True, "min_length": 10},
        {"key": "notes", "type": "process_notes", "label": "Notes", "required": True, "min_count": 3},
        {"key": "drafts", "type": "drafts", "label": "Drafts", "required": True, "min": 2, "max": 5},
        {
            "key": "regions",
            "type": "anchors",
            "label": "Regions",
            "required": False,
            "modality": "image",
            "shapes": ["rectangle"],
            "min": 0,
            "max": 4,
        },
        {
            "key": "moments",
            "type": "anchors",
            "label": "Moments",
            "required": False,
            "modality": "audio",
            "min": 1,
            "max": 9,
        },
        {"key": "quality", "type": "rating", "label": "Quality", "required": True, "min": 1, "max": 7},
        {
            "key": "mood",
            "type": "choice",
            "label": "Mood",
            "required": True,
            "options": ["calm", "tense"],
            "multiple": True,
        },
        {"key": "why", "type": "text", "label": "Why", "required": False, "min_length": 0, "max_length": 300},
        {
            "key": "final",
            "type": "file",
            "label": "Final",
            "required": True,
            "media_types": ["image/png"],
            "max_count": 1,
        },
    )
    parsed = parse(data)
    assert parse(parsed.to_data()) == parsed
    assert parsed.to_data() == data


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ("nope", {"spec": ["The output spec must be an object with version and fields."]}),
        (
            {"version": 2, "fields": [{"key": "a", "type": "text", "label": "A"}]},
            {"version": ["Only version 1 is known."]},
        ),
        (spec(), {"fields": ["fields must be a list of 1 to 40 fields."]}),
        (
            spec({"key": "a", "type": "smell", "label": "A"}),
            {"fields.0": ["type must be one of intent, process_notes, drafts, anchors, rating, choice, text, file."]},
        ),
        (
            spec({"key": "A b", "type": "text", "label": "A"}),
            {"fields.0": ["key must be lower-case letters, digits and _ (up to 40), starting with a letter."]},
        ),
        (
            spec({"key": "a", "type": "text", "label": "A"}, {"key": "a", "type": "text", "label": "B"}),
            {"fields.1": ["key 'a' is used twice."]},
        ),
        (
            spec({"key": "a", "type": "rating", "label": "A", "min": 5, "max": 5}),
            {"fields.0": ["max must be above min, by at most 10."]},
        ),
        (
            spec({"key": "a", "type": "choice", "label": "A", "options": ["x"]}),
            {"fields.0": ["options must be 2 to 50 different, non-blank strings."]},
        ),
        (
            spec({"key": "a", "type": "anchors", "label": "A", "modality": "smell"}),
            {"fields.0": ["modality must be one of image, audio, video, text, motion, sensor, model."]},
        ),
        (
            spec({"key": "a", "type": "drafts", "label": "A", "min": 4, "max": 2}),
            {"fields.0": ["min must not be more than max."]},
        ),
        (
            spec({"key": "a", "type": "file", "label": "A", "media_types": ["exe"]}),
            {"fields.0": ["media_types must be a non-empty list of media types such as image/png."]},
        ),
        (
            spec({"key": "a", "type": "text", "label": "A", "options": ["x"]}),
            {"fields.0": ["text fields take no options."]},
        ),
        (
            spec({"key": "a", "type": "intent", "label": "A"}, {"key": "b", "type": "intent", "label": "B"}),
            {"fields": ["At most one intent field."]},
        ),
        (
            spec({"key": "a", "type": "text", "label": " "}),
            {"fields.0": ["label must be a non-blank string of at most 200 characters."]},
        ),
        (
            spec({"key": "a", "type": "text", "label": "A", "required": "yes"}),
            {"fields.0": ["required must be true or false."]},
        ),
    ],
)
def test_bad_specs_name_what_is_wrong(data: Any, errors: dict[str, list[str]]) -> None:
    with pytest.raises(SpecError) as caught:
        parse(data)
    assert caught.value.errors == errors


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=8), c, max_size=4),
        max_leaves=20,
    )
)
def test_parse_never_fails_with_anything_but_a_spec_error(data: Any) -> None:
    try:
        parse(data)
    except SpecError as exc:
        assert exc.errors
