"""Rules of the work itself, without I/O: notes and their anchors, time on task, hash chains, submission checks."""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils.translation import gettext, ngettext

from annotations.domain.output_spec import OutputSpec

MAX_NOTES = 500
MAX_NOTE_LENGTH = 10_000
MAX_INTENT_LENGTH = 20_000
IDLE_CUTOFF = timedelta(seconds=120)  # a gap longer than this between signs of activity is idle, not work
MAX_TOOLS = 30
MAX_DRAFTS = 100  # per contribution: the output spec asks for at most a few dozen; this bounds storage
MAX_ANCHOR_BYTES = 4_000
_NOTE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
ANCHOR_TYPES = ("region", "time", "span", "draft", "joint", "point")


class WorkError(ValueError):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


TIMED_KINDS = ("audio", "video", "motion", "sensor")  # the kinds on the item's clock
REGION_SHAPES = ("rectangle", "polygon", "point")
MAX_COORDINATE = 1e6  # a 3D point further out than this from the model's origin is not on the model


@dataclass(frozen=True, slots=True)
class FileFacts:
    """What an anchor is checked against: the file's kind and what ingestion found in it (joints, frames, ...)."""

    kind: str
    probe: dict[str, Any]


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


def changed_anchors(incoming: Any, existing: list[dict[str, Any]]) -> list[Any]:
    """The anchors of incoming notes that are new or differ from the stored note of the same id: only these need
    checking against the task's files, since a stored anchor was checked when it was saved."""
    stored = {n.get("id"): n.get("anchor") for n in existing if isinstance(n, dict)}
    notes = [n for n in (incoming if isinstance(incoming, list) else []) if isinstance(n, dict)]
    missing = object()
    moved = [n for n in notes if stored.get(n.get("id"), missing) != n.get("anchor")]
    return [n["anchor"] for n in moved if n.get("anchor") is not None]


def anchor_problems(anchor: Any, files: dict[int, FileFacts], draft_ids: set[int]) -> list[str]:
    """What is wrong with one note's anchor ([] when it is fine), given the task's ready files.

    - region (image): `shape` rectangle (2 corners), polygon (3 to 100 points) or point (1); each point [x, y] in
      0..1 of the image.
    - span (text): `start` <= `end`, whole code points.
    - time: `start` <= `end`, seconds on the item's clock (a file's own time plus its offset). Without `file` the
      range is on the item's clock and shows on every timed track; with `file` it targets that track.
    - joint: a `joint` the probe names, of a motion take at a `frame` (0-based, within the take) or of a 3D
      model's skin (no frame).
    - point (3D model): `position` [x, y, z] in the model's own coordinates.
    - draft: a draft of this contribution.
    """
    if anchor is None:
        return []
    if not isinstance(anchor, dict) or anchor.get("type") not in ANCHOR_TYPES:
        return [gettext("An anchor is an object whose type is one of %(types)s.") % {"types": ", ".join(ANCHOR_TYPES)}]
    if len(json.dumps(anchor)) > MAX_ANCHOR_BYTES:
        return [gettext("An anchor takes at most %(count)s bytes.") % {"count": f"{MAX_ANCHOR_BYTES:,}"}]
    kind = anchor["type"]
    if kind == "draft":
        if anchor.get("draft") in draft_ids:
            return []
        return [gettext("The anchor names a draft of another contribution.")]
    if kind == "time" and "file" not in anchor:
        if not any(f.kind in TIMED_KINDS for f in files.values()):
            return [
                gettext("A time range on the item's clock needs an audio, video, motion or sensor file in the task.")
            ]
        return _range_problems(anchor, "time")
    target = files.get(anchor.get("file"))  # type: ignore[arg-type]
    if target is None:
        return [gettext("The anchor names a file that is not part of this task.")]
    wanted = _ANCHOR_KINDS[kind]
    if target.kind not in wanted:
        return [
            gettext("A %(anchor)s anchor goes on %(kinds)s files, not on %(kind)s.")
            % {"anchor": kind, "kinds": _either(wanted), "kind": target.kind}
        ]
    if kind == "region":
        return _region_problems(anchor)
    if kind == "joint":
        return _joint_problems(anchor, target)
    if kind == "point":
        position = anchor.get("position")
        if (
            not isinstance(position, list)
            or len(position) != 3
            or not all(_number(c) and math.isfinite(c) and abs(c) <= MAX_COORDINATE for c in position)
        ):
            return [gettext("A point on a model is [x, y, z] in the model's coordinates.")]
        return []
    problems = _range_problems(anchor, kind)
    if not problems and kind == "span" and not (isinstance(anchor["start"], int) and isinstance(anchor["end"], int)):
        return [gettext("A text span counts characters: start and end are whole numbers.")]
    return problems


def _either(names: tuple[str, ...]) -> str:
    """The names joined by "or" in the active language: audio or video or motion."""
    text = names[0]
    for name in names[1:]:
        text = gettext("%(either)s or %(other)s") % {"either": text, "other": name}
    return text


_ANCHOR_KINDS: dict[str, tuple[str, ...]] = {
    "region": ("image",),
    "span": ("text",),
    "time": TIMED_KINDS,
    "joint": ("motion", "model"),
    "point": ("model",),
}


def _range_problems(anchor: dict[str, Any], kind: str) -> list[str]:
    """`kind` is "time" (a time range) or "span" (a text span)."""
    start, end = anchor.get("start"), anchor.get("end")
    if (
        not (isinstance(start, (int, float)) and isinstance(end, (int, float)))
        or isinstance(start, bool)
        or isinstance(end, bool)
        or not 0 <= start <= end
        or not math.isfinite(end)
    ):
        if kind == "time":
            return [gettext("A time range needs 0 <= start <= end.")]
        return [gettext("A text span needs 0 <= start <= end.")]
    return []


def _region_problems(anchor: dict[str, Any]) -> list[str]:
    points, shape = anchor.get("points"), anchor.get("shape")
    if shape not in REGION_SHAPES:
        return [gettext("A region is a rectangle, a polygon or a point.")]
    counts = {"rectangle": (2, 2), "polygon": (3, 100), "point": (1, 1)}[shape]
    if (
        not isinstance(points, list)
        or not counts[0] <= len(points) <= counts[1]
        or any(not isinstance(p, list) or len(p) != 2 or not all(_number(c) and 0 <= c <= 1 for c in p) for p in points)
    ):
        return [
            gettext(
                "A rectangle has 2 corner points, a polygon 3 to 100, a point 1; each point is [x, y] between 0 and 1."
            )
        ]
    return []


def _joint_problems(anchor: dict[str, Any], target: FileFacts) -> list[str]:
    joint, frame = anchor.get("joint"), anchor.get("frame")
    names = target.probe.get("joints") or target.probe.get("markers") or []
    if not isinstance(joint, str) or joint not in names:
        return [gettext("The joint is not one of the file's joints.")]
    if target.kind == "model":
        return [] if frame is None else [gettext("A joint of a 3D model has no frame.")]
    frames = target.probe.get("frames")
    last = frames - 1 if isinstance(frames, int) else None
    if not isinstance(frame, int) or isinstance(frame, bool) or frame < 0 or (last is not None and frame > last):
        return [
            gettext("A joint of a motion take is at a frame from 0 to %(last)s.") % {"last": f"{max(0, last or 0):,}"}
        ]
    return []


MAX_NOTE_HISTORY = 20  # earlier versions kept per note: the first one and the latest ones
_NOTE_KEYS = {"id", "body", "anchor", "created_at", "edited_at", "history"}


def normalise_notes(
    incoming: Any, existing: list[dict[str, Any]], now: datetime, files: dict[int, FileFacts], draft_ids: set[int]
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
        raise WorkError(
            {"notes": [gettext("notes is a list of at most %(max_notes)s notes.") % {"max_notes": MAX_NOTES}]}
        )
    stored = {n["id"]: n for n in existing if isinstance(n, dict) and "id" in n}
    errors: dict[str, list[str]] = {}
    notes: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, note in enumerate(incoming):
        problems: list[str] = []
        if not isinstance(note, dict) or set(note) - _NOTE_KEYS:
            errors[f"notes.{index}"] = [gettext("A note has id, body and anchor.")]
            continue
        note_id, body = note.get("id"), note.get("body")
        if not isinstance(note_id, str) or not _NOTE_ID.match(note_id) or note_id in seen:
            problems.append(gettext("Each note needs its own id (letters, digits, - and _)."))
        if not isinstance(body, str) or not body.strip() or len(body) > MAX_NOTE_LENGTH:
            problems.append(
                gettext("A note says something, in at most %(count)s characters.") % {"count": f"{MAX_NOTE_LENGTH:,}"}
            )
        kept = str(note_id) in stored and stored[str(note_id)].get("anchor") == note.get("anchor")
        if not kept:  # an anchor saved before was checked then (its file may have been re-probed since)
            problems += anchor_problems(note.get("anchor"), files, draft_ids)
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
            raise WorkError(
                {
                    name: [
                        gettext("A count of characters from 0 to %(max_evidence_chars)s.")
                        % {"max_evidence_chars": f"{MAX_EVIDENCE_CHARS:,}"}
                    ]
                }
            )
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
        raise WorkError(
            {"tools": [gettext("tools is a list of at most %(max_tools)s names.") % {"max_tools": MAX_TOOLS}]}
        )
    names = [t.strip() for t in tools if isinstance(t, str) and t.strip()]
    if len(names) != len(tools) or any(len(t) > 100 for t in names):
        raise WorkError({"tools": [gettext("Each tool is a name of at most 100 characters.")]})
    return sorted(set(names), key=names.index)


# --- Submission ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DraftFacts:
    id: int
    content_type: str


def _anchor_modalities(anchor: dict[str, Any] | None, kinds_by_file: dict[int, str]) -> set[str]:
    """The kinds of media an anchor is on: a range on the item's clock is on every timed kind the item has."""
    if not anchor or anchor.get("type") == "draft":
        return set()
    if anchor.get("type") == "time" and "file" not in anchor:
        return {k for k in kinds_by_file.values() if k in TIMED_KINDS}
    kind = kinds_by_file.get(anchor.get("file", -1))
    return {kind} if kind else set()


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
                errors["intent"] = [
                    gettext("Say what you meant to make, in at least %(count)s characters.")
                    % {"count": max(1, o["min_length"])}
                ]
        elif f.type == "process_notes":
            need = o["min_count"] if f.required else 0
            if len(notes) < need:
                errors["notes"] = [
                    ngettext("Write at least %(count)s process note.", "Write at least %(count)s process notes.", need)
                    % {"count": need}
                ]
        elif f.type == "drafts":
            lo, hi = (o["min"] if f.required else 0), o["max"]
            if not lo <= len(drafts) <= hi:
                errors["drafts"] = [
                    gettext("Save %(lo)s to %(hi)s drafts; there are %(drafts)s.")
                    % {"lo": lo, "hi": hi, "drafts": len(drafts)}
                ]
        elif f.type == "anchors":
            count = sum(1 for n in notes if o["modality"] in _anchor_modalities(n.get("anchor"), kinds_by_file))
            lo = o["min"] if f.required else 0
            if not lo <= count <= o["max"]:
                errors[key] = [
                    gettext("Anchor %(lo)s to %(max)s notes on the %(modality)s; there are %(count)s.")
                    % {"lo": lo, "max": o["max"], "modality": o["modality"], "count": count}
                ]
        elif value is None or value == "" or value == []:
            if f.required:
                errors[key] = [gettext("%(label)s is required.") % {"label": f.label}]
        elif f.type == "rating":
            if isinstance(value, bool) or not isinstance(value, int) or not o["min"] <= value <= o["max"]:
                errors[key] = [
                    gettext("Choose a whole number from %(min)s to %(max)s.") % {"min": o["min"], "max": o["max"]}
                ]
        elif f.type == "choice":
            chosen = value if o["multiple"] and isinstance(value, list) else [value]
            if not chosen or any(c not in o["options"] for c in chosen):
                errors[key] = [gettext("Choose from: %(options)s.") % {"options": ", ".join(o["options"])}]
        elif f.type == "text":
            if not isinstance(value, str) or not o["min_length"] <= len(value) <= o["max_length"]:
                errors[key] = [
                    gettext("Between %(min_length)s and %(max_length)s characters.")
                    % {"min_length": o["min_length"], "max_length": o["max_length"]}
                ]
        elif f.type == "file":
            by_id = {d.id: d for d in drafts}
            if (
                not isinstance(value, list)
                or not 1 <= len(value) <= o["max_count"]
                or any(v not in by_id for v in value)
                or any(by_id[v].content_type not in o["media_types"] for v in value)
            ):
                errors[key] = [
                    gettext("Pick 1 to %(max_count)s of your file drafts of type %(media_types)s.")
                    % {"max_count": o["max_count"], "media_types": ", ".join(o["media_types"])}
                ]
    known = {f.key for f in spec.fields}
    for extra in sorted(set(answers) - known):
        errors[f"answers.{extra}"] = [gettext("The output spec has no such field.")]
    return errors
