"""Process notes edited in place: the server keeps each note's first time, its last change and earlier versions,
whatever the client sends for them; the exported record shows the final note and when it changed."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pyarrow.parquet as pq
import pytest
import zstandard

from annotations.domain import work as rules
from annotations.domain.records import from_row, verify_record
from annotations.models import Contribution, DatasetShard
from annotations.selectors.datasets import record_id
from annotations.services.datasets import DatasetFields, dataset_create, version_build
from tests.datasets_support import RUBRIC, SPEC, approved_work, build_here, download, with_media_bytes
from tests.factories import published_project
from tests.test_work import claim, save

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def normalise(incoming: list[dict[str, Any]], existing: list[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
    return rules.normalise_notes(incoming, existing, now, {7: rules.FileFacts("text", {})}, {9})


# --- The rules (domain) ------------------------------------------------------------------------------------------


def test_an_edited_note_keeps_its_first_time_and_its_earlier_version() -> None:
    [first] = normalise([{"id": "a", "body": "The horizn is low.", "anchor": None}], [], at(0))
    assert first == {"id": "a", "body": "The horizn is low.", "anchor": None, "created_at": at(0).isoformat()}
    [edited] = normalise([{"id": "a", "body": "The horizon is low.", "anchor": None}], [first], at(5))
    assert edited == {
        "id": "a",
        "body": "The horizon is low.",
        "anchor": None,
        "created_at": at(0).isoformat(),
        "edited_at": at(5).isoformat(),
        "history": [{"body": "The horizn is low.", "anchor": None, "at": at(0).isoformat()}],
    }


def test_re_anchoring_is_an_edit_and_each_version_says_when_it_was_saved() -> None:
    span = {"type": "span", "file": 7, "start": 0, "end": 4}
    draft = {"type": "draft", "draft": 9}
    [n] = normalise([{"id": "a", "body": "Scale", "anchor": span}], [], at(0))
    [n] = normalise([{"id": "a", "body": "Scale", "anchor": draft}], [n], at(3))
    [n] = normalise([{"id": "a", "body": "Scale, again", "anchor": draft}], [n], at(8))
    assert (n["anchor"], n["created_at"], n["edited_at"]) == (draft, at(0).isoformat(), at(8).isoformat())
    assert n["history"] == [
        {"body": "Scale", "anchor": span, "at": at(0).isoformat()},
        {"body": "Scale", "anchor": draft, "at": at(3).isoformat()},
    ]


def test_an_unchanged_note_is_stored_exactly_as_it_was() -> None:
    [n] = normalise([{"id": "a", "body": "Same", "anchor": None}], [], at(0))
    assert normalise([{"id": "a", "body": "Same", "anchor": None}], [n], at(9)) == [n]
    assert "edited_at" not in n and "history" not in n  # never edited: hashed as before editing existed


@pytest.mark.parametrize(
    "forged",
    [
        {"created_at": "2020-01-01T00:00:00+00:00"},
        {"edited_at": "2020-01-01T00:00:00+00:00"},
        {"history": [{"body": "Something I never wrote", "anchor": None, "at": "2020-01-01T00:00:00+00:00"}]},
        {"history": []},
    ],
)
def test_times_and_history_sent_by_a_client_are_ignored(forged: dict[str, Any]) -> None:
    [n] = normalise([{"id": "a", "body": "v1", "anchor": None}], [], at(0))
    [n] = normalise([{"id": "a", "body": "v2", "anchor": None}], [n], at(1))
    # Unchanged with forged bookkeeping: stored as it was.
    assert normalise([{**n, **forged}], [n], at(2)) == [n]
    # Edited with forged bookkeeping: the server's times and an appended history.
    [edited] = normalise([{**n, **forged, "body": "v3"}], [n], at(3))
    assert (edited["created_at"], edited["edited_at"]) == (at(0).isoformat(), at(3).isoformat())
    assert [v["body"] for v in edited["history"]] == ["v1", "v2"]
    # A new note's time is the server's too.
    [new] = normalise([{"id": "b", "body": "new", "anchor": None, **forged}], [], at(4))
    assert new == {"id": "b", "body": "new", "anchor": None, "created_at": at(4).isoformat()}


def test_history_keeps_the_first_version_and_the_latest_ones() -> None:
    [n] = normalise([{"id": "a", "body": "v0", "anchor": None}], [], at(0))
    for i in range(1, 31):
        [n] = normalise([{"id": "a", "body": f"v{i}", "anchor": None}], [n], at(i))
    assert len(n["history"]) == rules.MAX_NOTE_HISTORY
    assert [v["body"] for v in n["history"]] == ["v0", *[f"v{i}" for i in range(11, 30)]]
    assert n["history"][0]["at"] == at(0).isoformat() and n["history"][-1]["at"] == at(29).isoformat()


def test_unknown_note_keys_are_still_refused() -> None:
    with pytest.raises(rules.WorkError) as caught:
        normalise([{"id": "a", "body": "x", "anchor": None, "colour": "red"}], [], at(0))
    assert caught.value.errors == {"notes.0": ["A note has id, body and anchor."]}


# --- Through the API ---------------------------------------------------------------------------------------------


def test_autosave_edits_a_note_in_place_and_answers_with_its_history(client_for, freelancer, org) -> None:
    project = published_project(items=1, replicas=1, organization=org)
    c = client_for(freelancer)
    cid = claim(c, project).json()["id"]
    files = c.get(f"/api/v1/contributions/{cid}").json()["files"]
    region = {"type": "region", "file": files[0]["id"], "shape": "rectangle", "points": [[0.1, 0.1], [0.4, 0.5]]}
    first = save(c, cid, 1, notes=[{"id": "n1", "body": "Horizn too low", "anchor": None}]).json()["notes"][0]
    assert (first["edited_at"], first["history"]) == (None, [])

    # The page sends the note back as it read it, with a new body and a new anchor.
    response = save(c, cid, 2, notes=[{**first, "body": "Horizon too low", "anchor": region}])
    assert response.status_code == 200, response.json()
    [note] = response.json()["notes"]
    assert (note["id"], note["body"], note["anchor"]) == ("n1", "Horizon too low", region)
    assert note["created_at"] == first["created_at"] and note["edited_at"] > first["created_at"]
    assert note["history"] == [{"body": "Horizn too low", "anchor": None, "at": first["created_at"]}]
    assert Contribution.objects.get(pk=cid).notes == [note]

    # A forged first time and a rewritten history change nothing.
    forged = {**note, "created_at": "2020-01-01T00:00:00+00:00", "history": []}
    again = save(c, cid, 3, notes=[forged]).json()["notes"]
    assert again == [note]


def test_the_exported_record_shows_the_final_note_and_when_it_changed(admin, reviewer, org, tmp_path) -> None:
    project = with_media_bytes(
        published_project(
            items=2, replicas=1, organization=org, output_spec=SPEC, rubric=RUBRIC, generative_tools_allowed=True
        )
    )
    plain = approved_work(project, reviewer, 1)
    edited = approved_work(project, reviewer, 2, note_edit="Kept the horizon high in piece 2.")
    dataset = dataset_create(
        actor=admin, fields=DatasetFields(name="Edited notes", project_ids=[project.pk], formats=["jsonl", "parquet"])
    )
    version = build_here(version_build(actor=admin, dataset=dataset))
    assert version.state == "built"
    jsonl, parquet = [], []
    for s in DatasetShard.objects.filter(version=version).order_by("format", "index"):
        path = download(s.storage_key, tmp_path / s.storage_key)
        if s.format == "jsonl":
            assert s.storage_key.endswith(".jsonl.zst")  # the default compression
            text = zstandard.ZstdDecompressor().stream_reader(path.read_bytes()).read().decode()
            jsonl += [json.loads(line) for line in text.splitlines()]
        else:
            parquet += [from_row(r) for r in pq.read_table(path).to_pylist()]
    assert jsonl == parquet
    by_id = {r["record_id"]: r for r in jsonl}

    [note] = by_id[record_id(edited.pk)]["notes"]
    stored = Contribution.objects.get(pk=edited.pk).notes[0]
    assert note["body"] == "Kept the horizon high in piece 2."
    assert (note["created_at"], note["edited_at"]) == (stored["created_at"], stored["edited_at"])
    assert note["edited_at"] >= note["created_at"]
    assert note["history"] == [{"body": "Kept the horizon low in piece 2.", "anchor": None, "at": note["created_at"]}]
    [untouched] = by_id[record_id(plain.pk)]["notes"]
    assert (untouched["edited_at"], untouched["history"]) == (None, [])
    # The content hash covers the edited note and its history: it verifies, and a rewritten history does not.
    for r in jsonl:
        assert verify_record(r) == []
    tampered = json.loads(json.dumps(by_id[record_id(edited.pk)]))
    tampered["notes"][0]["history"][0]["body"] = "Something else"
    assert "the content hash does not match intent, notes, answers, drafts and tools" in verify_record(tampered)


def test_answers_show_notes_exactly_as_the_note_serializer_describes_them() -> None:
    """The notes of an answer are built directly (note_shown), not through DRF's nested fields: the same output as
    NoteSerializer's declared fields give, for a note never edited and for one with history."""
    from rest_framework import serializers

    from annotations.api.work import NoteSerializer, NotesField

    never_edited = {"id": "n1", "body": "Low horizon.", "anchor": None, "created_at": "2026-12-01T10:00:00+00:00"}
    edited = {
        "id": "n2",
        "body": "Lower still.",
        "anchor": {"type": "draft", "draft": 4},
        "created_at": "2026-12-01T10:00:00+00:00",
        "edited_at": "2026-12-01T10:05:00+00:00",
        "history": [{"body": "Low.", "anchor": None, "at": "2026-12-01T10:00:00+00:00"}],
    }
    declared = [
        dict(serializers.Serializer.to_representation(NoteSerializer(), {"edited_at": None, "history": [], **n}))
        for n in (never_edited, edited)
    ]
    assert NotesField().to_representation([never_edited, edited]) == declared
