"""Which media the platform takes, how large, and what a file really is (from its bytes, not its name)."""

from __future__ import annotations

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
}
# filetype's names for the same formats, mapped to ours.
_ALIASES = {"audio/x-wav": "audio/wav", "audio/x-flac": "audio/flac", "audio/mp3": "audio/mpeg"}

MAX_BYTES: dict[str, int] = {
    "image": 50 * 1024**2,
    "audio": 500 * 1024**2,
    "video": 2 * 1024**3,
    "text": 10 * 1024**2,
}
MAX_IMAGE_PIXELS = 40_000_000  # 40 megapixels; larger is refused as a likely decompression bomb
MAX_FILES_PER_REQUEST = 100


def canonical(content_type: str) -> str:
    base = content_type.split(";", 1)[0].strip().lower()
    return _ALIASES.get(base, base)


def kind_of(content_type: str) -> str | None:
    return ACCEPTED.get(canonical(content_type))


@dataclass(frozen=True, slots=True)
class Sniffed:
    content_type: str | None
    description: str


def sniff(head: bytes) -> Sniffed:
    """The real type from the first bytes. Text is UTF-8 without NUL bytes and with no binary signature."""
    guess = filetype.guess(head)
    if guess is not None:
        return Sniffed(canonical(guess.mime), guess.mime)
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


def same_family(claimed: str, sniffed: str) -> bool:
    """Claimed and real type agree: the same type, or any text type for text (CSV and Markdown sniff as text)."""
    claimed, sniffed = canonical(claimed), canonical(sniffed)
    if claimed == sniffed:
        return True
    return kind_of(claimed) == "text" and sniffed == "text/plain"


_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


def safe_name(name: str, max_length: int = 120) -> str:
    """A file name with no path, no control characters and no reserved characters; '' if nothing is left."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip(" ._")
    if len(name) > max_length:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: max_length - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else name[:max_length]
    return name
