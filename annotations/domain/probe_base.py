"""What every probe answers, and how it refuses a file."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from PIL import Image


class ProbeError(Exception):
    """The file is broken, hostile or not what it claims: the reason is shown to the admin."""


@dataclass(slots=True)
class Probed:
    facts: dict[str, Any] = field(default_factory=dict)
    preview: bytes | None = None
    preview_type: str = ""


def png_bytes(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()
