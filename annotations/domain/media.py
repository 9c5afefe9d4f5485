"""Which media the platform takes, how large, and what a file really is (from its bytes, not its name).

CSV is the one type whose kind depends on its content: a `text/csv` upload whose header's first column is a time
column (`TIME_COLUMNS`, any case) and whose other columns hold numbers is a sensor series (kind `sensor`); any
other CSV is text. See `csv_is_sensor`.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from dataclasses import dataclass

import filetype

# Media types accepted for upload, by kind. A short list on purpose: each one is probed and previewed.
ACCEPTED: dict[str, str] = {
    "image/png": "image",
    "image/jpeg": "image",
    "image/webp": "image",
    "image/gif": "image",
    "audio/wav": "audio",
    "audio/x-wav": "audio",
    "audio/mpeg": "audio",
    "audio/flac": "audio",
    "audio/x-flac": "audio",
    "audio/ogg": "audio",
    "video/mp4": "video",
    "video/webm": "video",
    "video/quicktime": "video",
    "text/plain": "text",
    "text/markdown": "text",
    "text/csv": "text",
    "application/json": "text",
    "application/x-bvh": "motion",
    "application/x-c3d": "motion",
    "application/vnd.apache.parquet": "sensor",
    "model/gltf+json": "model",
    "model/gltf-binary": "model",
}
# filetype's names for the same formats, mapped to ours.
_ALIASES = {
    "audio/x-wav": "audio/wav",
    "audio/x-flac": "audio/flac",
    "audio/mp3": "audio/mpeg",
    "application/x-parquet": "application/vnd.apache.parquet",
}

# Motion, sensor and model files are parsed whole by a probe (not streamed through a codec like audio and video),
# so their ceiling is set by what a probe and a browser viewer can hold: 200 MiB is about an hour of 120 fps BVH
# for a 60-channel skeleton, ten million rows of a few sensor channels as CSV, or a mesh near the vertex limit.
MAX_BYTES: dict[str, int] = {
    "image": 50 * 1024**2,
    "audio": 500 * 1024**2,
    "video": 2 * 1024**3,
    "text": 10 * 1024**2,
    "motion": 200 * 1024**2,
    "sensor": 200 * 1024**2,
    "model": 200 * 1024**2,
}
# A CSV may be a sensor series, so it may be announced up to the sensor limit; one that turns out to be plain text
# is then held to the text limit by ingestion.
_MAX_BYTES_BY_TYPE: dict[str, int] = {"text/csv": MAX_BYTES["sensor"]}
MAX_IMAGE_PIXELS = 40_000_000  # 40 megapixels; larger is refused as a likely decompression bomb
MAX_FILES_PER_REQUEST = 100


def canonical(content_type: str) -> str:
    base = content_type.split(";", 1)[0].strip().lower()
    return _ALIASES.get(base, base)


def kind_of(content_type: str) -> str | None:
    return ACCEPTED.get(canonical(content_type))


def max_bytes_for(content_type: str) -> int | None:
    """The most an upload of this type may weigh when announced (None: not an accepted type)."""
    content_type = canonical(content_type)
    kind = kind_of(content_type)
    if kind is None:
        return None
    return _MAX_BYTES_BY_TYPE.get(content_type, MAX_BYTES[kind])


@dataclass(frozen=True, slots=True)
class Sniffed:
    content_type: str | None
    description: str


def _is_c3d(head: bytes) -> bool:
    """C3D: byte 1 is 0x50 and byte 0 points to the parameter block, whose fourth byte names the processor type
    (84 Intel, 85 DEC, 86 MIPS). The second check keeps text whose second letter is 'P' from looking like C3D."""
    if len(head) < 512 or head[1] != 0x50 or head[0] < 2 or b"\x00" not in head[:512]:
        return False  # a C3D header is mostly zeros; text has none
    at = (head[0] - 1) * 512 + 3
    return at >= len(head) or head[at] in (84, 85, 86)


def sniff(head: bytes) -> Sniffed:
    """The real type from the first bytes. Text is UTF-8 without NUL bytes and with no binary signature."""
    if head.startswith(b"glTF") and head[4:8] == b"\x02\x00\x00\x00":
        return Sniffed("model/gltf-binary", "a binary glTF (GLB) model")
    if head.startswith(b"PAR1") and b"\x00" in head:
        return Sniffed("application/vnd.apache.parquet", "a Parquet table")
    guess = filetype.guess(head)
    if guess is not None:
        return Sniffed(canonical(guess.mime), guess.mime)
    if _is_c3d(head):  # after filetype: PNG's signature also has 'P' second
        return Sniffed("application/x-c3d", "C3D motion capture")
    if head and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # a cut multi-byte character at the very end is fine
                return Sniffed(None, "binary data that is not UTF-8 text")
        return Sniffed("text/plain", "UTF-8 text")
    if head.startswith((b"MZ", b"\x7fELF")):
        return Sniffed(None, "an executable")
    return Sniffed(None, "unrecognised binary data")


def _text_start(head: bytes) -> bytes:
    return head.removeprefix(b"\xef\xbb\xbf").lstrip()


def text_misfit(claimed: str, head: bytes) -> str | None:
    """Why text bytes cannot be the text format claimed, or None when they fit (only the start is checked here;
    the probe reads the rest)."""
    claimed = canonical(claimed)
    if claimed == "application/x-bvh" and not _text_start(head).startswith(b"HIERARCHY"):
        return "The text does not start with HIERARCHY, so it is not a BVH file."
    if claimed == "model/gltf+json" and not _text_start(head).startswith(b"{"):
        return "The text is not a JSON object, so it is not a glTF file."
    if kind_of(claimed) not in ("text", "motion", "model") or claimed in ("application/x-c3d", "model/gltf-binary"):
        return f"The bytes are text, but it was uploaded as {claimed}."
    return None


def same_family(claimed: str, sniffed: str, *, head: bytes) -> bool:
    """Claimed and real type agree: the same type, any text type for text (CSV and Markdown sniff as text), and
    BVH or glTF JSON for text whose start fits the format (see `text_misfit`)."""
    claimed, sniffed = canonical(claimed), canonical(sniffed)
    if claimed == sniffed:
        return True
    return sniffed == "text/plain" and text_misfit(claimed, head) is None


# A CSV is a sensor series when its first column has one of these names (any case) and every other column holds
# numbers (an empty cell is a missing sample). Time is in seconds.
TIME_COLUMNS = ("time", "t", "timestamp", "time_s", "seconds", "sec")


def is_time_column(name: str) -> bool:
    return name.strip().lower() in TIME_COLUMNS


def _number(cell: str, *, blank_ok: bool) -> bool:
    cell = cell.strip()
    if not cell:
        return blank_ok
    try:
        return not math.isinf(float(cell))
    except ValueError:
        return False


def csv_is_sensor(head: bytes) -> bool:
    """Whether a CSV is a sensor series, judged on its first bytes: a time column first, at least one other column,
    and every complete data row there numeric (time always; other cells numeric or empty). The probe then holds
    every later row to the same rule and refuses the file if one breaks it."""
    text = head.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="ignore")
    lines = text.splitlines()
    if len(head) >= 8192 or not text.endswith(("\n", "\r")):
        lines = lines[:-1]  # the last line may be cut
    try:
        rows = [r for r in csv.reader(io.StringIO("\n".join(lines))) if r]
    except csv.Error:
        return False
    if len(rows) < 2 or len(rows[0]) < 2 or not is_time_column(rows[0][0]):
        return False
    width = len(rows[0])
    return all(
        len(r) == width and _number(r[0], blank_ok=False) and all(_number(c, blank_ok=True) for c in r[1:])
        for r in rows[1:]
    )


_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


def safe_name(name: str, max_length: int = 120) -> str:
    """A file name with no path, no control characters and no reserved characters; '' if nothing is left."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip(" ._")
    if len(name) > max_length:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: max_length - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else name[:max_length]
    return name
