"""Rules of the work itself, without I/O: notes and their anchors, time on task, hash chains, submission checks."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from annotations.domain.output_spec import OutputSpec

MAX_NOTES = 500
MAX_NOTE_LENGTH = 10_000
MAX_INTENT_LENGTH = 20_000
IDLE_CUTOFF = timedelta(seconds=120)  # a gap longer than this between signs of activity is idle, not work
MAX_TOOLS = 30
MAX_DRAFTS = 100  # per contribution: the output spec asks for at most a few dozen; this bounds storage
MAX_ANCHOR_BYTES = 4_000
_NOTE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
ANCHOR_TYPES = ("region", "time", "span", "draft")


class WorkError(ValueError):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def anchor_targets(notes: Any) -> tuple[set[int], set[int]]:
    """The file ids and the draft ids the anchors of `notes` name (whatever else the notes hold)."""
    files: set[int] = set()
    drafts: set[int] = set()
    for note in notes if isinstance(notes, list) else []:
        anchor = note.get("anchor") if isinstance(note, dict) else None
        if not isinstance(anchor, dict):
            continue
        if anchor.get("type") == "draft":
            if _id(anchor.get("draft")):
                drafts.add(anchor["draft"])
        elif _id(anchor.get("file")):
            files.add(anchor["file"])
    return files, drafts


def anchor_problems(anchor: Any, file_ids: set[int], draft_ids: set[int]) -> list[str]:
    """What is wrong with one note's anchor ([] when it is fine). Coordinates of regions are 0..1 of the image."""
    if anchor is None:
        return []
    if not isinstance(anchor, dict) or anchor.get("type") not in ANCHOR_TYPES:
        return [f"An anchor is an object whose type is one of {', '.join(ANCHOR_TYPES)}."]
    if len(json.dumps(anchor)) > MAX_ANCHOR_BYTES:
        return [f"An anchor takes at most {MAX_ANCHOR_BYTES:,} bytes."]
    kind = anchor["type"]
    if kind == "draft":
        return [] if anchor.get("draft") in draft_ids else ["The anchor names a draft of another contribution."]
    if anchor.get("file") not in file_ids:
        return ["The anchor names a file that is not part of this task."]
    if kind == "region":
        points = anchor.get("points")
        shape = anchor.get("shape")
        if shape not in ("rectangle", "polygon"):
            return ["A region is a rectangle or a polygon."]
        if (
            not isinstance(points, list)
            or not (len(points) == 2 if shape == "rectangle" else 3 <= len(points) <= 100)
            or any(
                not isinstance(p, list) or len(p) != 2 or not all(_number(c) and 0 <= c <= 1 for c in p) for p in points
            )
        ):
            return ["A rectangle has 2 corner points, a polygon 3 to 100; each point is [x, y] between 0 and 1."]
        return []
    start, end = anchor.get("start"), anchor.get("end")
    if not (_number(start) and _number(end)) or not 0 <= float(start or 0) <= float(end or 0):
        return [f"A {'time range' if kind == 'time' else 'text span'} needs 0 <= start <= end."]
    if kind == "span" and not (isinstance(start, int) and isinstance(end, int)):
        return ["A text span counts characters: start and end are whole numbers."]
    return []


MAX_NOTE_HISTORY = 20  # earlier versions kept per note: the first one and the latest ones
_NOTE_KEYS = {"id", "body", "anchor", "created_at", "edited_at", "history"}


def normalise_notes(
    incoming: Any, existing: list[dict[str, Any]], now: datetime, file_ids: set[int], draft_ids: set[int]
) -> list[dict[str, Any]]:
    """Validated notes, with their times and history kept by the server.

    The client sends the whole list; it says only each note's id, body and anchor. Whatever it sends as
    `created_at`, `edited_at` or `history` is ignored: those come from the notes already stored. A new id gets
    `created_at = now`. A known id whose body or anchor changed keeps its `created_at`, gets `edited_at = now`
    and appends the version it replaces to `history` ({body, anchor, at}, `at` being when that version was
    saved), append-only: the first version and the latest `MAX_NOTE_HISTORY - 1` are kept. An unchanged note
    is stored exactly as it was (a note never edited has no `edited_at` or `history` keys, as before editing
    existed, so the content hash of older work is unchanged).
    """
    if not isinstance(incoming, list) or len(incoming) > MAX_NOTES:
        raise WorkError({"notes": [f"notes is a list of at most {MAX_NOTES} notes."]})
    stored = {n["id"]: n for n in existing if isinstance(n, dict) and "id" in n}
    errors: dict[str, list[str]] = {}
    notes: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, note in enumerate(incoming):
        problems: list[str] = []
        if not isinstance(note, dict) or set(note) - _NOTE_KEYS:
            errors[f"notes.{index}"] = ["A note has id, body and anchor."]
            continue
        note_id, body = note.get("id"), note.get("body")
        if not isinstance(note_id, str) or not _NOTE_ID.match(note_id) or note_id in seen:
            problems.append("Each note needs its own id (letters, digits, - and _).")
        if not isinstance(body, str) or not body.strip() or len(body) > MAX_NOTE_LENGTH:
            problems.append(f"A note says something, in at most {MAX_NOTE_LENGTH:,} characters.")
        problems += anchor_problems(note.get("anchor"), file_ids, draft_ids)
        if problems:
            errors[f"notes.{index}"] = problems
            continue
        seen.add(str(note_id))
        notes.append(_note_version(stored.get(str(note_id)), str(note_id), str(body), note.get("anchor"), now))
    if errors:
        raise WorkError(errors)
    return notes


def _note_version(before: dict[str, Any] | None, note_id: str, body: str, anchor: Any, now: datetime) -> dict[str, Any]:
    if before is None:
        return {"id": note_id, "body": body, "anchor": anchor, "created_at": now.isoformat()}
    if before.get("body") == body and before.get("anchor") == anchor:
        return dict(before)
    history = [*before.get("history", []), _replaced(before)]
    if len(history) > MAX_NOTE_HISTORY:
        history = [history[0], *history[-(MAX_NOTE_HISTORY - 1) :]]
    return {
        "id": note_id,
        "body": body,
        "anchor": anchor,
        "created_at": before["created_at"],
        "edited_at": now.isoformat(),
        "history": history,
    }


def _replaced(before: dict[str, Any]) -> dict[str, Any]:
    return {
        "body": before.get("body"),
        "anchor": before.get("anchor"),
        "at": before.get("edited_at") or before["created_at"],
    }


def added_active_time(last_activity: datetime | None, now: datetime) -> int:
    """Seconds of work between two signs of activity: the gap if it is short, nothing if the freelancer was idle."""
    if last_activity is None or now <= last_activity:
        return 0
    gap = now - last_activity
    return int(gap.total_seconds()) if gap <= IDLE_CUTOFF else 0


def starts_session(last_activity: datetime | None, now: datetime) -> bool:
    """A sign of activity after an idle gap (or the first one) opens a new editing session."""
    return last_activity is None or now - last_activity > IDLE_CUTOFF


MAX_EVIDENCE_CHARS = 10_000_000


def clean_evidence(typed: Any, pasted: Any) -> tuple[int, int]:
    """Counts of characters typed and pasted since the last draft, as the browser reports them (no content)."""
    for name, value in (("typed_chars", typed), ("pasted_chars", pasted)):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_EVIDENCE_CHARS:
            raise WorkError({name: [f"A count of characters from 0 to {MAX_EVIDENCE_CHARS:,}."]})
    return int(typed), int(pasted)


def lease_length(estimated_minutes: int, multiple: float) -> timedelta:
    return timedelta(minutes=max(10.0, estimated_minutes * multiple))


# --- Provenance ------------------------------------------------------------------------------------------------


def chain_hash(previous: str, content_sha256: str, sequence: int, created_at: datetime) -> str:
    """The draft's link in the chain: changing any earlier draft changes every later hash."""
    link = f"{previous}\n{content_sha256}\n{sequence}\n{created_at.isoformat()}"
    return hashlib.sha256(link.encode()).hexdigest()


def canonical_sha256(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, separators=(",", ":"), default=str).encode()).hexdigest()


def clean_tools(tools: Any) -> list[str]:
    if not isinstance(tools, list) or len(tools) > MAX_TOOLS:
        raise WorkError({"tools": [f"tools is a list of at most {MAX_TOOLS} names."]})
    names = [t.strip() for t in tools if isinstance(t, str) and t.strip()]
    if len(names) != len(tools) or any(len(t) > 100 for t in names):
        raise WorkError({"tools": ["Each tool is a name of at most 100 characters."]})
    return sorted(set(names), key=names.index)


# --- Submission ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DraftFacts:
    id: int
    content_type: str


def _anchor_modality(anchor: dict[str, Any] | None, kinds_by_file: dict[int, str]) -> str | None:
    if not anchor or anchor.get("type") == "draft":
        return None
    return kinds_by_file.get(anchor.get("file", -1))


def submission_problems(
    spec: OutputSpec,
    *,
    intent: str,
    notes: list[dict[str, Any]],
    answers: dict[str, Any],
    drafts: list[DraftFacts],
    kinds_by_file: dict[int, str],
) -> dict[str, list[str]]:
    """Every field of the output spec checked against the contribution; {} when it can be submitted."""
    errors: dict[str, list[str]] = {}
    for f in spec.fields:
        o = f.options
        key = f"answers.{f.key}"
        value = answers.get(f.key)
        if f.type == "intent":
            if f.required and len(intent.strip()) < max(1, o["min_length"]):
                errors["intent"] = [f"Say what you meant to make, in at least {max(1, o['min_length'])} characters."]
        elif f.type == "process_notes":
            need = o["min_count"] if f.required else 0
            if len(notes) < need:
                errors["notes"] = [f"Write at least {need} process note{'s' if need != 1 else ''}."]
        elif f.type == "drafts":
            lo, hi = (o["min"] if f.required else 0), o["max"]
            if not lo <= len(drafts) <= hi:
                errors["drafts"] = [f"Save {lo} to {hi} drafts; there are {len(drafts)}."]
        elif f.type == "anchors":
            count = sum(1 for n in notes if _anchor_modality(n.get("anchor"), kinds_by_file) == o["modality"])
            lo = o["min"] if f.required else 0
            if not lo <= count <= o["max"]:
                errors[key] = [f"Anchor {lo} to {o['max']} notes on the {o['modality']}; there are {count}."]
        elif value is None or value == "" or value == []:
            if f.required:
                errors[key] = [f"{f.label} is required."]
        elif f.type == "rating":
            if isinstance(value, bool) or not isinstance(value, int) or not o["min"] <= value <= o["max"]:
                errors[key] = [f"Choose a whole number from {o['min']} to {o['max']}."]
        elif f.type == "choice":
            chosen = value if o["multiple"] and isinstance(value, list) else [value]
            if not chosen or any(c not in o["options"] for c in chosen):
                errors[key] = [f"Choose from: {', '.join(o['options'])}."]
        elif f.type == "text":
            if not isinstance(value, str) or not o["min_length"] <= len(value) <= o["max_length"]:
                errors[key] = [f"Between {o['min_length']} and {o['max_length']} characters."]
        elif f.type == "file":
            by_id = {d.id: d for d in drafts}
            if (
                not isinstance(value, list)
                or not 1 <= len(value) <= o["max_count"]
                or any(v not in by_id for v in value)
                or any(by_id[v].content_type not in o["media_types"] for v in value)
            ):
                errors[key] = [f"Pick 1 to {o['max_count']} of your file drafts of type {', '.join(o['media_types'])}."]
    known = {f.key for f in spec.fields}
    for extra in sorted(set(answers) - known):
        errors[f"answers.{extra}"] = ["The output spec has no such field."]
    return errors
