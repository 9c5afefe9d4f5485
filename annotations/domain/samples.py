"""Sample media made on the spot (no downloads): images drawn with Pillow, tones as WAV, short texts."""

from __future__ import annotations

import io
import math
import random
import struct
import wave

from PIL import Image, ImageDraw


def drawn_image(seed: int, width: int = 640, height: int = 400) -> bytes:
    """A PNG of overlapping shapes over a gradient sky, different for every seed."""
    rnd = random.Random(seed)  # noqa: S311 - reproducible pictures, not secrets
    img = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(img)
    top = (rnd.randrange(40, 120), rnd.randrange(80, 160), rnd.randrange(150, 230))
    bottom = (rnd.randrange(200, 255), rnd.randrange(150, 220), rnd.randrange(100, 180))
    for y in range(height):
        t = y / max(height - 1, 1)
        draw.line([(0, y), (width, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    for _ in range(rnd.randrange(4, 9)):
        x, y = rnd.randrange(width), rnd.randrange(height)
        r = rnd.randrange(20, max(21, min(width, height) // 3))
        colour = (rnd.randrange(256), rnd.randrange(256), rnd.randrange(256))
        if rnd.random() < 0.5:
            draw.ellipse([x - r, y - r, x + r, y + r], fill=colour, outline=(20, 20, 20), width=2)
        else:
            draw.polygon([(x, y - r), (x + r, y + r), (x - r, y + r)], fill=colour, outline=(20, 20, 20))
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()


def tone_wav(frequencies: list[float], seconds: float = 2.0, rate: int = 16_000) -> bytes:
    """A mono 16-bit WAV playing the given frequencies one after the other, with short fades."""
    frames = bytearray()
    per_note = int(rate * seconds / max(len(frequencies), 1))
    fade = max(1, rate // 100)
    for freq in frequencies:
        for i in range(per_note):
            envelope = min(1.0, i / fade, (per_note - i) / fade)
            sample = int(0.4 * envelope * 32767 * math.sin(2 * math.pi * freq * i / rate))
            frames += struct.pack("<h", sample)
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(bytes(frames))
    return out.getvalue()


OPENING_LINES = [
    "The lighthouse keeper had not spoken to anyone in eleven days when the letter arrived.",
    "Every map of the city left out the same street, and Mira had finally decided to find out why.",
    "The orchestra tuned for the last time in a hall that would be gone by morning.",
]


def short_video(seed: int, seconds: float = 3.0, size: tuple[int, int] = (320, 240), fps: int = 12) -> bytes:
    """An H.264 MP4 of a ball crossing a drawn scene, made with Pillow frames and PyAV."""
    import av
    import numpy as np

    width, height = size
    background = Image.open(io.BytesIO(drawn_image(seed, width, height))).convert("RGB")
    rnd = random.Random(seed)  # noqa: S311 - reproducible pictures, not secrets
    colour = (rnd.randrange(256), rnd.randrange(256), rnd.randrange(256))
    out = io.BytesIO()
    with av.open(out, "w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=fps, options={"preset": "ultrafast", "crf": "30"})
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        total = max(1, int(seconds * fps))
        for n in range(total):
            frame = background.copy()
            x = int(n / total * (width + 40)) - 20
            y = int(height / 2 + math.sin(n / 3) * height / 4)
            ImageDraw.Draw(frame).ellipse([x - 18, y - 18, x + 18, y + 18], fill=colour, outline=(0, 0, 0))
            video_frame = av.VideoFrame.from_ndarray(np.asarray(frame), format="rgb24")
            for packet in stream.encode(video_frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return out.getvalue()


# A small figure: (name, parent index, offset in centimetres, Y up), in hierarchy order.
_FIGURE: list[tuple[str, int, tuple[float, float, float]]] = [
    ("Hips", -1, (0.0, 95.0, 0.0)),
    ("Spine", 0, (0.0, 20.0, 0.0)),
    ("Neck", 1, (0.0, 30.0, 0.0)),
    ("Head", 2, (0.0, 10.0, 0.0)),
    ("LeftArm", 2, (18.0, -4.0, 0.0)),
    ("LeftForeArm", 4, (0.0, -28.0, 0.0)),
    ("RightArm", 2, (-18.0, -4.0, 0.0)),
    ("RightForeArm", 6, (0.0, -28.0, 0.0)),
    ("LeftUpLeg", 0, (10.0, -5.0, 0.0)),
    ("LeftLeg", 8, (0.0, -42.0, 0.0)),
    ("RightUpLeg", 0, (-10.0, -5.0, 0.0)),
    ("RightLeg", 10, (0.0, -42.0, 0.0)),
]
_END_SITES = {"Head": (0.0, 12.0, 0.0), "LeftForeArm": (0.0, -24.0, 0.0), "RightForeArm": (0.0, -24.0, 0.0)}
_END_SITES |= {"LeftLeg": (0.0, -45.0, 8.0), "RightLeg": (0.0, -45.0, 8.0)}


def bvh_sample(frames: int = 60, fps: float = 30.0) -> bytes:
    """A BVH of a stick figure walking forward (along Z) and waving its right arm: 12 joints, the root with six
    channels (position, then Z X Y rotation) and the others with three. Deterministic for given arguments."""
    lines = ["HIERARCHY"]
    depth: list[int] = []
    for index, (name, parent, offset) in enumerate(_FIGURE):
        while depth and depth[-1] != parent:
            depth.pop()
            lines.append("  " * len(depth) + "}")
        pad = "  " * len(depth)
        lines.append(f"{pad}{'ROOT' if parent < 0 else 'JOINT'} {name}")
        lines.append(pad + "{")
        lines.append(f"{pad}  OFFSET {offset[0]:.2f} {offset[1]:.2f} {offset[2]:.2f}")
        channels = "6 Xposition Yposition Zposition" if parent < 0 else "3"
        lines.append(f"{pad}  CHANNELS {channels} Zrotation Xrotation Yrotation")
        if name in _END_SITES:
            end = _END_SITES[name]
            lines += [f"{pad}  End Site", pad + "  {", f"{pad}    OFFSET {end[0]:.2f} {end[1]:.2f} {end[2]:.2f}"]
            lines.append(pad + "  }")
        depth.append(index)
    while depth:
        depth.pop()
        lines.append("  " * len(depth) + "}")
    lines += ["MOTION", f"Frames: {frames}", f"Frame Time: {1 / fps:.9f}"]
    for frame in range(frames):
        t = frame / fps
        stride = math.sin(2 * math.pi * t)  # one step a second
        angles = {
            "LeftUpLeg": (0.0, 25 * stride, 0.0),
            "RightUpLeg": (0.0, -25 * stride, 0.0),
            "LeftLeg": (0.0, max(0.0, -30 * stride), 0.0),
            "RightLeg": (0.0, max(0.0, 30 * stride), 0.0),
            "LeftArm": (0.0, -20 * stride, 0.0),
            "RightArm": (-150.0, 0.0, 0.0),  # raised
            "RightForeArm": (25 * math.sin(2 * math.pi * 2 * t), 0.0, 0.0),  # waving
            "Spine": (0.0, 3.0, 4 * stride),
        }
        values = [0.0, 95.0 + 2 * abs(stride), 80.0 * t, 0.0, 0.0, 0.0]
        for name, parent, _offset in _FIGURE:
            if parent >= 0:
                values += angles.get(name, (0.0, 0.0, 0.0))
        lines.append(" ".join(f"{v:.4f}" for v in values))
    return ("\n".join(lines) + "\n").encode()
