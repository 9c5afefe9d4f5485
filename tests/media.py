"""Media made for tests, including broken and hostile files."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

from annotations.domain import samples


def png(width: int = 64, height: int = 48, colour: tuple[int, int, int] = (200, 40, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    img = Image.new("RGB", (80, 60), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPS info
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge canvas: a decompression bomb's calling card."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def truncated_png() -> bytes:
    data = png(256, 256, (1, 2, 3))
    noisy = io.BytesIO()
    Image.effect_noise((256, 256), 50).convert("RGB").save(noisy, format="PNG")
    return noisy.getvalue()[: len(noisy.getvalue()) // 2] if data else b""


def windows_executable() -> bytes:
    return (
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
        + b"\x00" * 48
        + b"This program cannot be run in DOS mode"
    )


def wav() -> bytes:
    return samples.tone_wav([440.0, 660.0], seconds=0.5)


def mp4() -> bytes:
    return samples.short_video(seed=7, seconds=1.0, size=(96, 64), fps=8)
