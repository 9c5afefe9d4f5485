"""The output spec: what every contribution to a project must hold, stored as data and checked field by field.

A spec is `{"version": 1, "fields": [<field>, ...]}`; each field has a unique `key`, a `type`, a `label` and
`required`, plus options of its type:

Types and their options (what a submission then holds):
- `intent`: `min_length` (default 20). The intent statement.
- `process_notes`: `min_count` (default 1). Anchored, timestamped notes.
- `drafts`: `min`, `max`. The draft iterations.
- `anchors`: `modality` (image, audio, video, text, motion, sensor, model), `shapes` (image: rectangle, polygon,
  point), `min`, `max`.
  Regions, time ranges or text spans.
- `rating`: `min`, `max` (integers, at most 10 apart). An integer.
- `choice`: `options` (2 to 50 strings), `multiple`. One option, or a list of them.
- `text`: `min_length`, `max_length`. Free text.
- `file`: `media_types` (e.g. image/png), `max_count`. Uploaded files.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext

SPEC_VERSION = 1
FIELD_TYPES = ("intent", "process_notes", "drafts", "anchors", "rating", "choice", "text", "file")
ANCHOR_MODALITIES = ("image", "audio", "video", "text", "motion", "sensor", "model")
IMAGE_SHAPES = ("rectangle", "polygon", "point")
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_MEDIA_TYPE = re.compile(r"^(image|audio|video|text|application)/[a-z0-9.+-]+$")
MAX_FIELDS = 40


class SpecError(ValueError):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class SpecField:
    key: str
    type: str
    label: str
    required: bool
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class OutputSpec:
    fields: tuple[SpecField, ...]

    def to_data(self) -> dict[str, Any]:
        return {
            "version": SPEC_VERSION,
            "fields": [{**{k: v for k, v in asdict(f).items() if k != "options"}, **f.options} for f in self.fields],
        }

    def field(self, key: str) -> SpecField | None:
        return next((f for f in self.fields if f.key == key), None)


def default_spec() -> OutputSpec:
    """Intent required, at least one process note, one to ten drafts: the process is the product."""
    return parse(
        {
            "version": SPEC_VERSION,
            "fields": [
                {"key": "intent", "type": "intent", "label": "What you meant to make", "required": True},
                {"key": "notes", "type": "process_notes", "label": "Process notes", "required": True},
                {"key": "drafts", "type": "drafts", "label": "Draft iterations", "required": True, "min": 1, "max": 10},
            ],
        }
    )


def _int(raw: dict[str, Any], name: str, default: int | None, lo: int, hi: int, errs: list[str]) -> int | None:
    value = raw.get(name, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        errs.append(
            gettext("%(name)s must be a whole number from %(lo)s to %(hi)s.") % {"name": name, "lo": lo, "hi": hi}
        )
        return None
    return int(value)


def _options(kind: str, raw: dict[str, Any], errs: list[str]) -> dict[str, Any]:
    opts: dict[str, Any] = {}
    if kind == "intent":
        opts["min_length"] = _int(raw, "min_length", 20, 0, 5000, errs)
    elif kind == "process_notes":
        opts["min_count"] = _int(raw, "min_count", 1, 0, 200, errs)
    elif kind in ("drafts", "anchors"):
        lo = _int(raw, "min", 1 if kind == "drafts" else 0, 0, 200, errs)
        hi = _int(raw, "max", 10 if kind == "drafts" else 50, 1, 200, errs)
        if lo is not None and hi is not None and lo > hi:
            errs.append(gettext("min must not be more than max."))
        opts.update(min=lo, max=hi)
        if kind == "anchors":
            modality = raw.get("modality")
            if modality not in ANCHOR_MODALITIES:
                errs.append(
                    gettext("modality must be one of %(modalities)s.") % {"modalities": ", ".join(ANCHOR_MODALITIES)}
                )
            opts["modality"] = modality
            if modality == "image":
                shapes = raw.get("shapes", list(IMAGE_SHAPES))
                if not isinstance(shapes, list) or not shapes or any(s not in IMAGE_SHAPES for s in shapes):
                    errs.append(
                        gettext("shapes must be a non-empty list of %(shapes)s.") % {"shapes": ", ".join(IMAGE_SHAPES)}
                    )
                opts["shapes"] = shapes
    elif kind == "rating":
        lo = _int(raw, "min", 1, -10, 10, errs)
        hi = _int(raw, "max", 5, -10, 100, errs)
        if lo is not None and hi is not None and not 0 < hi - lo <= 10:
            errs.append(gettext("max must be above min, by at most 10."))
        opts.update(min=lo, max=hi)
    elif kind == "choice":
        choices = raw.get("options")
        if (
            not isinstance(choices, list)
            or not 2 <= len(choices) <= 50
            or any(not isinstance(c, str) or not c.strip() or len(c) > 200 for c in choices)
            or len(set(choices)) != len(choices)
        ):
            errs.append(gettext("options must be 2 to 50 different, non-blank strings."))
        opts["options"] = choices
        multiple = raw.get("multiple", False)
        if not isinstance(multiple, bool):
            errs.append(gettext("multiple must be true or false."))
        opts["multiple"] = multiple
    elif kind == "text":
        lo = _int(raw, "min_length", 0, 0, 100_000, errs)
        hi = _int(raw, "max_length", 5000, 1, 100_000, errs)
        if lo is not None and hi is not None and lo > hi:
            errs.append(gettext("min_length must not be more than max_length."))
        opts.update(min_length=lo, max_length=hi)
    elif kind == "file":
        types = raw.get("media_types")
        if (
            not isinstance(types, list)
            or not types
            or any(not isinstance(t, str) or not _MEDIA_TYPE.match(t) for t in types)
        ):
            errs.append(gettext("media_types must be a non-empty list of media types such as image/png."))
        opts["media_types"] = types
        opts["max_count"] = _int(raw, "max_count", 1, 1, 50, errs)
    return opts


_COMMON = {"key", "type", "label", "required"}
_ALLOWED = {
    "intent": {"min_length"},
    "process_notes": {"min_count"},
    "drafts": {"min", "max"},
    "anchors": {"min", "max", "modality", "shapes"},
    "rating": {"min", "max"},
    "choice": {"options", "multiple"},
    "text": {"min_length", "max_length"},
    "file": {"media_types", "max_count"},
}
_SINGLETONS = ("intent", "process_notes", "drafts")


def parse(data: Any) -> OutputSpec:
    """Validate spec data; raises SpecError with messages keyed `fields.<n>` (or `version`, `fields`)."""
    if not isinstance(data, dict):
        raise SpecError({"spec": [gettext("The output spec must be an object with version and fields.")]})
    errors: dict[str, list[str]] = {}
    if data.get("version") != SPEC_VERSION:
        errors["version"] = [gettext("Only version %(spec_version)s is known.") % {"spec_version": SPEC_VERSION}]
    unknown_top = sorted(set(data) - {"version", "fields"})
    if unknown_top:
        errors["spec"] = [gettext("Unknown keys: %(unknown_top)s.") % {"unknown_top": ", ".join(unknown_top)}]
    raw_fields = data.get("fields")
    if not isinstance(raw_fields, list) or not 1 <= len(raw_fields) <= MAX_FIELDS:
        errors["fields"] = [
            gettext("fields must be a list of 1 to %(max_fields)s fields.") % {"max_fields": MAX_FIELDS}
        ]
        raise SpecError(errors)
    parsed: list[SpecField] = []
    seen_keys: set[str] = set()
    for index, raw in enumerate(raw_fields):
        errs: list[str] = []
        if not isinstance(raw, dict):
            errors[f"fields.{index}"] = [gettext("Each field must be an object.")]
            continue
        kind, key = raw.get("type"), raw.get("key")
        if kind not in FIELD_TYPES:
            errors[f"fields.{index}"] = [
                gettext("type must be one of %(field_types)s.") % {"field_types": ", ".join(FIELD_TYPES)}
            ]
            continue
        if not isinstance(key, str) or not _KEY.match(key):
            errs.append(gettext("key must be lower-case letters, digits and _ (up to 40), starting with a letter."))
        elif key in seen_keys:
            errs.append(gettext("key %(key)s is used twice.") % {"key": repr(key)})
        else:
            seen_keys.add(key)
        label = raw.get("label", "")
        if not isinstance(label, str) or not label.strip() or len(label) > 200:
            errs.append(gettext("label must be a non-blank string of at most 200 characters."))
        required = raw.get("required", False)
        if not isinstance(required, bool):
            errs.append(gettext("required must be true or false."))
        extra = sorted(set(raw) - _COMMON - _ALLOWED[kind])
        if extra:
            errs.append(gettext("%(kind)s fields take no %(extra)s.") % {"kind": kind, "extra": ", ".join(extra)})
        opts = _options(kind, raw, errs)
        if errs:
            errors[f"fields.{index}"] = errs
            continue
        parsed.append(SpecField(key=str(key), type=kind, label=label.strip(), required=required, options=opts))
    for kind in _SINGLETONS:
        if sum(1 for f in parsed if f.type == kind) > 1:
            errors.setdefault("fields", []).append(gettext("At most one %(kind)s field.") % {"kind": kind})
    if errors:
        raise SpecError(errors)
    return OutputSpec(fields=tuple(parsed))
