"""Probing and previewing a local copy of a media file: what it holds, and a small picture of it.

Images with Pillow (size limits checked from the header before any pixel is decoded; the decompression-bomb
warning is an error), audio and video with PyAV (FFmpeg). Previews are WebP/PNG re-encoded from pixels, so no
EXIF or location data survives. Motion capture, sensor series and 3D models have their own modules
(`probe_motion`, `probe_sensor`, `probe_model`), dispatched from `probe`.
"""

from __future__ import annotations

import codecs
import io
import re
import warnings
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, UnidentifiedImageError

from annotations.domain.media import MAX_IMAGE_PIXELS
from annotations.domain.probe_base import Probed, ProbeError
from annotations.domain.probe_model import probe_model
from annotations.domain.probe_motion import probe_motion
from annotations.domain.probe_sensor import probe_sensor

__all__ = ["ProbeError", "Probed", "probe"]

PREVIEW_SIZE = (480, 480)
WAVEFORM_SIZE = (800, 120)


def _webp(img: Image.Image) -> bytes:
    img = img.convert("RGBA" if img.mode in ("RGBA", "LA", "P") else "RGB")
    img.thumbnail(PREVIEW_SIZE)
    out = io.BytesIO()
    img.save(out, format="WEBP", quality=80, method=4)  # a fresh encode carries no EXIF
    return out.getvalue()


def probe_image(path: Path) -> Probed:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(path) as img:
                width, height = img.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise ProbeError(
                        f"Refused as a likely decompression bomb: the image claims {width}x{height} pixels, "
                        f"more than the {MAX_IMAGE_PIXELS:,} allowed."
                    )
                fmt = img.format or ""
                img.verify()
            with Image.open(path) as img:
                img.load()
                frames = getattr(img, "n_frames", 1)
                preview = _webp(img)
                mode = img.mode
        except ProbeError:
            raise
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            pixels = re.search(r"\((\d+) pixels\)", str(exc))
            claimed = f"{int(pixels.group(1)):,} pixels" if pixels else "too many pixels"
            raise ProbeError(
                f"Refused as a likely decompression bomb: the image claims {claimed}, "
                f"more than the {MAX_IMAGE_PIXELS:,} allowed."
            ) from None
        except UnidentifiedImageError:
            raise ProbeError("The bytes are not an image Pillow can read.") from None
        except (OSError, SyntaxError, ValueError) as exc:
            raise ProbeError(f"The image is broken or truncated: {exc}") from None
    return Probed(
        facts={"width": width, "height": height, "format": fmt, "mode": mode, "frames": frames},
        preview=preview,
        preview_type="image/webp",
    )


def _streams(container: Any) -> list[dict[str, Any]]:
    streams = []
    for s in container.streams:
        entry: dict[str, Any] = {"type": s.type, "codec": s.codec_context.name if s.codec_context else None}
        if s.type == "video":
            entry.update(width=s.codec_context.width, height=s.codec_context.height)
            if s.average_rate:
                entry["fps"] = round(float(s.average_rate), 3)
        elif s.type == "audio":
            entry.update(sample_rate=s.codec_context.sample_rate, channels=s.codec_context.channels)
        streams.append(entry)
    return streams


def _duration(container: Any) -> float | None:
    if container.duration:
        return round(float(container.duration) / 1_000_000, 3)
    for s in container.streams:
        if s.duration and s.time_base:
            return round(float(s.duration * s.time_base), 3)
    return None


def probe_av(path: Path, kind: str) -> Probed:
    import av

    try:
        with av.open(str(path)) as container:
            streams = _streams(container)
            duration = _duration(container)
            wanted = "video" if kind == "video" else "audio"
            if not any(s["type"] == wanted for s in streams):
                raise ProbeError(f"The file has no {wanted} stream.")
            facts = {"duration_seconds": duration, "streams": streams, "format": container.format.name}
            if kind == "video":
                return Probed(facts=facts, preview=_poster(container), preview_type="image/webp")
            return Probed(facts=facts, preview=_waveform(container, duration), preview_type="image/png")
    except ProbeError:
        raise
    except av.FFmpegError as exc:
        raise ProbeError(f"The {kind} is broken or unreadable: {exc}") from None


def _poster(container: Any) -> bytes | None:
    stream = container.streams.video[0]
    for frame in container.decode(stream):
        return _webp(frame.to_image())
    return None


def _waveform(container: Any, duration: float | None) -> bytes:
    """Peak amplitude per column over the whole file, decoded frame by frame (memory does not grow)."""
    width, height = WAVEFORM_SIZE
    stream = container.streams.audio[0]
    rate = stream.codec_context.sample_rate or 1
    total = max((duration or 1.0) * rate, 1.0)
    peaks = [0.0] * width
    position = 0
    for frame in container.decode(stream):
        samples = frame.to_ndarray()
        mono = abs(samples).max(axis=0) if samples.ndim > 1 else abs(samples)
        scale = float(2**15) if samples.dtype.kind == "i" else 1.0
        step = max(1, len(mono) // 64)
        for offset in range(0, len(mono), step):
            col = min(width - 1, int((position + offset) / total * width))
            value = float(mono[offset : offset + step].max()) / scale
            peaks[col] = max(peaks[col], min(value, 1.0))
        position += len(mono)
    img = Image.new("RGB", (width, height), (248, 249, 251))
    draw = ImageDraw.Draw(img)
    mid = height / 2
    for x, peak in enumerate(peaks):
        half = max(1.0, peak * (height / 2 - 4))
        draw.line([(x, mid - half), (x, mid + half)], fill=(79, 70, 229))
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()


def probe_text(path: Path) -> Probed:
    decoder = codecs.getincrementaldecoder("utf-8")()
    chars = lines = 0
    first = ""
    with path.open("rb") as fh:
        try:
            while chunk := fh.read(1024 * 1024):
                text = decoder.decode(chunk)
                if "\x00" in text:
                    raise ProbeError("The text holds NUL bytes: it is binary data.")
                chars += len(text)
                lines += text.count("\n")
                if len(first) < 280:
                    first += text[: 280 - len(first)]
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            raise ProbeError(f"The text is not valid UTF-8 (byte {exc.start}).") from None
    return Probed(facts={"characters": chars, "lines": lines, "encoding": "utf-8", "excerpt": first})


def probe(path: Path, kind: str) -> Probed:
    if kind == "image":
        return probe_image(path)
    if kind in ("audio", "video"):
        return probe_av(path, kind)
    if kind == "text":
        return probe_text(path)
    if kind == "motion":
        return probe_motion(path)
    if kind == "sensor":
        return probe_sensor(path)
    if kind == "model":
        return probe_model(path)
    raise ProbeError(f"No probe for {kind} files.")
