"""HTTP byte ranges (RFC 9110 §14): which part of a file a `Range` header asks for.

One range is served; a request for several is answered with the whole file (RFC 9110 allows a server to ignore
`Range`), which players never send anyway. Browsers need ranges to seek audio and video: without `206` and
`Accept-Ranges`, a media element reports nothing seekable and every seek snaps back to the start.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SPEC = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE)


class Unsatisfiable(Exception):
    """The range starts past the end of the file (or the file is empty): 416."""


@dataclass(frozen=True, slots=True)
class ByteRange:
    start: int
    end: int  # inclusive, as in Content-Range

    @property
    def length(self) -> int:
        return self.end - self.start + 1

    def content_range(self, size: int) -> str:
        return f"bytes {self.start}-{self.end}/{size}"


def requested_range(header: str | None, size: int) -> ByteRange | None:
    """The one range `header` asks for within a file of `size` bytes; None means send the whole file.

    A header that is malformed, not in bytes, or lists several ranges is ignored (None), as RFC 9110 allows.
    Raises Unsatisfiable when the range cannot be served (its first byte is past the end).
    """
    if not header:
        return None
    found = _SPEC.match(header)
    if found is None:
        return None
    first, last = found.group(1), found.group(2)
    if not first and not last:
        return None
    if not first:  # a suffix: the last N bytes
        count = int(last)
        if count == 0 or size == 0:
            raise Unsatisfiable(header)
        return ByteRange(max(0, size - count), size - 1)
    start = int(first)
    if last and int(last) < start:
        return None  # invalid syntax: ignored
    if start >= size:
        raise Unsatisfiable(header)
    return ByteRange(start, min(int(last), size - 1) if last else size - 1)


def unsatisfied_content_range(size: int) -> str:
    return f"bytes */{size}"
