"""Bulk import: manifests (CSV or JSONL) of object keys grouped into items, and keys found under a prefix.

Objects to import are put in the organisation's import folder of the bucket (``imports/<organisation slug>/``),
with any S3 tool. A manifest names them one file per row; keys are relative to that folder (a key that already
starts with it is taken as is). Files that share an ``item`` form one multimodal item; without one, each file is
its own item, named after the file like a browser upload.

CSV: a header row with ``key`` and optionally ``item``, ``content_type``, ``name``.
JSONL: one object per line with the same names.
"""

from __future__ import annotations

import csv
import io
import json
import mimetypes
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext, ngettext

from annotations.domain import media as media_rules

IMPORT_ROOT = "imports"
MAX_IMPORT_FILES = 10_000
MAX_KEY_LENGTH = 400
FORMATS = ("csv", "jsonl")
COLUMNS = ("key", "item", "content_type", "name")

_BAD_KEY = re.compile(r"[\x00-\x1f\x7f\\]")

# mimetypes does not know every type we accept under its usual extension on every system.
_EXTENSIONS = {
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".webp": "image/webp",
    ".flac": "audio/flac",
    ".bvh": "application/x-bvh",
    ".c3d": "application/x-c3d",
    ".parquet": "application/vnd.apache.parquet",
    ".gltf": "model/gltf+json",
    ".glb": "model/gltf-binary",
}


@dataclass(frozen=True, slots=True)
class ImportFile:
    """One object to register: its full key, the item it belongs to, its name and claimed type."""

    key: str
    item: str
    name: str
    content_type: str


class ManifestError(Exception):
    def __init__(self, message: str, fields: dict[str, list[str]]) -> None:
        super().__init__(message)
        self.fields = fields


def import_root(organization_slug: str) -> str:
    return f"{IMPORT_ROOT}/{organization_slug}/"


def guess_type(name: str) -> str:
    lowered = name.lower()
    for ext, content_type in _EXTENSIONS.items():
        if lowered.endswith(ext):
            return content_type
    return media_rules.canonical(mimetypes.guess_type(lowered)[0] or "")


def full_key(root: str, key: str) -> tuple[str, str | None]:
    """The key inside the import folder, or the reason it cannot be one."""
    key = key.strip()
    if not key:
        return "", gettext("The key is empty.")
    if _BAD_KEY.search(key):
        return "", gettext("The key holds control characters or backslashes.")
    key = key if key.startswith(root) else key.lstrip("/")
    full = key if key.startswith(root) else root + key
    parts = full[len(root) :].split("/")
    if any(p in ("", ".", "..") for p in parts):
        return "", gettext("The key has empty, '.' or '..' segments.")
    if len(full) > MAX_KEY_LENGTH:
        return "", gettext("The key is longer than %(max_key_length)s characters.") % {"max_key_length": MAX_KEY_LENGTH}
    return full, None


def _file(root: str, row: dict[str, str]) -> tuple[ImportFile | None, list[str]]:
    key, problem = full_key(root, row.get("key") or "")
    if problem:
        return None, [problem]
    name = media_rules.safe_name(row.get("name") or key.rsplit("/", 1)[-1])
    content_type = media_rules.canonical(row.get("content_type") or guess_type(name))
    problems = []
    if not name:
        problems.append(gettext("The file name is empty once path and control characters are removed."))
    if media_rules.kind_of(content_type) is None:
        problems.append(
            gettext("%(content_type)s is not an accepted media type; give a content_type or use a known extension.")
            % {"content_type": content_type}
            if content_type
            else gettext(
                "The type of %(name)s is not an accepted media type; give a content_type or use a known extension."
            )
            % {"name": repr(name)}
        )
    item = media_rules.safe_name(row.get("item") or "", max_length=200) or name.rsplit(".", 1)[0]
    if problems:
        return None, problems
    return ImportFile(key=key, item=item or "item", name=name, content_type=content_type), []


def _rows(text: str, fmt: str) -> Iterable[tuple[int, dict[str, str] | str]]:
    """(row number, fields or the reason the row cannot be read). Row numbers count data rows from 1."""
    if fmt == "csv":
        reader = csv.DictReader(io.StringIO(text))
        header = [h.strip() for h in reader.fieldnames or []]
        if "key" not in header:
            raise ManifestError(
                gettext("The CSV manifest needs a header row with a 'key' column."),
                {
                    "manifest": [
                        gettext("Columns found: %(columns)s. Expected: key, and optionally item, content_type, name.")
                        % {"columns": ", ".join(header) or "-"}
                    ]
                },
            )
        reader.fieldnames = header
        for number, raw in enumerate(reader, start=1):
            yield number, {k: (v or "").strip() for k, v in raw.items() if k in COLUMNS and isinstance(v, str)}
        return
    number = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        number += 1
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, gettext("Not JSON: %(error)s at column %(column)s.") % {"error": exc.msg, "column": exc.colno}
            continue
        if not isinstance(value, dict) or not all(isinstance(value.get(c, ""), str) for c in COLUMNS):
            yield number, gettext("Each line must be an object whose key, item, content_type and name are strings.")
            continue
        yield number, {k: v.strip() for k, v in value.items() if k in COLUMNS}


def parse_manifest(text: str, fmt: str, root: str) -> list[ImportFile]:
    """All files of a manifest, or ManifestError naming every bad row (nothing is imported then)."""
    if fmt not in FORMATS:
        raise ManifestError(
            gettext("Unknown manifest format."),
            {"format": [gettext("Use one of: %(formats)s.") % {"formats": ", ".join(FORMATS)}]},
        )
    files: list[ImportFile] = []
    errors: dict[str, list[str]] = {}
    seen: dict[str, int] = {}
    try:
        rows = list(_rows(text, fmt))
    except csv.Error as exc:
        raise ManifestError(gettext("The CSV manifest cannot be read."), {"manifest": [str(exc)]}) from exc
    if not rows:
        raise ManifestError(gettext("The manifest lists no files."), {"manifest": [gettext("Add one row per file.")]})
    if len(rows) > MAX_IMPORT_FILES:
        raise ManifestError(
            gettext("The manifest is too long."),
            {
                "manifest": [
                    gettext("At most %(max_import_files)s files per import.")
                    % {"max_import_files": f"{MAX_IMPORT_FILES:,}"}
                ]
            },
        )
    for number, row in rows:
        if isinstance(row, str):
            errors[f"rows.{number}"] = [row]
            continue
        found, problems = _file(root, row)
        if found is not None and found.key in seen:
            problems = [gettext("The same key is on row %(row)s.") % {"row": seen[found.key]}]
        if problems or found is None:
            errors[f"rows.{number}"] = problems
            continue
        seen[found.key] = number
        files.append(found)
    if errors:
        raise ManifestError(
            ngettext(
                "%(count)s row of the manifest cannot be imported; nothing was imported.",
                "%(count)s rows of the manifest cannot be imported; nothing was imported.",
                len(errors),
            )
            % {"count": len(errors)},
            errors,
        )
    return files


def files_under_prefix(listed: list[tuple[str, int]], prefix: str) -> tuple[list[ImportFile], dict[str, str]]:
    """Files found under a prefix, grouped into items by their first folder below it (else one item per file).

    Returns the files and, for objects that cannot be imported, the reason by key.
    """
    files: list[ImportFile] = []
    skipped: dict[str, str] = {}
    for key, _size in listed:
        rest = key[len(prefix) :].lstrip("/")
        folder, _, _ = rest.rpartition("/")
        name = media_rules.safe_name(rest.rsplit("/", 1)[-1])
        content_type = guess_type(name)
        if not name or media_rules.kind_of(content_type) is None:
            skipped[key] = gettext("Not an accepted media type (judged by its extension).")
            continue
        item = media_rules.safe_name(folder.split("/", 1)[0], max_length=200) if folder else ""
        files.append(
            ImportFile(key=key, item=item or name.rsplit(".", 1)[0] or "item", name=name, content_type=content_type)
        )
    return files, skipped
