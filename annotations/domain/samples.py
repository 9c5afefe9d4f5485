"""Sample media made on the spot (no downloads): images drawn with Pillow, tones as WAV, short texts."""

from __future__ import annotations

import io
import math
import random
import struct
import wave
from collections.abc import Callable, Iterable

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


def _mp4(frames: Iterable[Image.Image], size: tuple[int, int], fps: int, crf: int) -> bytes:
    """Pillow frames encoded as an H.264 MP4 with PyAV."""
    import av
    import numpy as np

    out = io.BytesIO()
    with av.open(out, "w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=fps, options={"preset": "ultrafast", "crf": str(crf)})
        stream.width, stream.height, stream.pix_fmt = size[0], size[1], "yuv420p"
        for image in frames:
            for packet in stream.encode(av.VideoFrame.from_ndarray(np.asarray(image), format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return out.getvalue()


def short_video(seed: int, seconds: float = 3.0, size: tuple[int, int] = (320, 240), fps: int = 12) -> bytes:
    """An H.264 MP4 of a ball crossing a drawn scene, made with Pillow frames and PyAV."""
    width, height = size
    background = Image.open(io.BytesIO(drawn_image(seed, width, height))).convert("RGB")
    rnd = random.Random(seed)  # noqa: S311 - reproducible pictures, not secrets
    colour = (rnd.randrange(256), rnd.randrange(256), rnd.randrange(256))
    total = max(1, int(seconds * fps))

    def frame(n: int) -> Image.Image:
        image = background.copy()
        x = int(n / total * (width + 40)) - 20
        y = int(height / 2 + math.sin(n / 3) * height / 4)
        ImageDraw.Draw(image).ellipse([x - 18, y - 18, x + 18, y + 18], fill=colour, outline=(0, 0, 0))
        return image

    return _mp4((frame(n) for n in range(total)), size, fps, crf=30)


# --- A motion take, the video it shaped and its sound --------------------------------------------------------------
# A figure doing jumping jacks, as a BVH take; the same figure drawn from the take as a video (front view), and the
# sound of the movement (a clap with the hands up, a landing with the feet together). Everything moves in the
# figure's frontal plane, so the drawing is the take seen from the front, frame for frame.

# name, parent (index), offset from the parent (x, y, z) in centimetres, end-site offset if it ends a limb.
_SKELETON: list[tuple[str, int, tuple[float, float, float], tuple[float, float, float] | None]] = [
    ("Hips", -1, (0.0, 0.0, 0.0), None),
    ("Spine", 0, (0.0, 12.0, 0.0), None),
    ("Neck", 1, (0.0, 14.0, 0.0), None),
    ("Head", 2, (0.0, 5.0, 0.0), (0.0, 9.0, 0.0)),
    ("LeftShoulder", 1, (5.0, 12.0, 0.0), None),
    ("LeftElbow", 4, (10.0, 0.0, 0.0), None),
    ("LeftHand", 5, (10.0, 0.0, 0.0), (4.0, 0.0, 0.0)),
    ("RightShoulder", 1, (-5.0, 12.0, 0.0), None),
    ("RightElbow", 7, (-10.0, 0.0, 0.0), None),
    ("RightHand", 8, (-10.0, 0.0, 0.0), (-4.0, 0.0, 0.0)),
    ("LeftHip", 0, (4.0, 0.0, 0.0), None),
    ("LeftKnee", 10, (0.0, -18.0, 0.0), None),
    ("LeftFoot", 11, (0.0, -18.0, 0.0), (0.0, -3.0, 5.0)),
    ("RightHip", 0, (-4.0, 0.0, 0.0), None),
    ("RightKnee", 13, (0.0, -18.0, 0.0), None),
    ("RightFoot", 14, (0.0, -18.0, 0.0), (0.0, -3.0, 5.0)),
]
MOTION_JOINTS = [name for name, *_ in _SKELETON]
_JACK_SECONDS = 1.0  # one jumping jack: arms up and feet apart at the half, back together at the end


def _jack_pose(t: float) -> tuple[float, list[float]]:
    """The hips' height and each joint's rotation about the forward axis (degrees) at `t` seconds."""
    p = (1 - math.cos(2 * math.pi * t / _JACK_SECONDS)) / 2  # 0: at rest, 1: arms up, feet apart
    z = [0.0] * len(_SKELETON)
    z[4], z[7] = -75 + 150 * p, 75 - 150 * p  # upper arms, from down along the body to up over the head
    z[5], z[8] = 15 * p, -15 * p  # elbows bend a little at the top
    z[10], z[13] = 14 * p, -14 * p  # legs apart
    z[11], z[14] = -4 * p, 4 * p
    return 39.0 + 4 * math.sin(math.pi * p), z


def motion_take_bvh(seconds: float = 4.0, fps: int = 30) -> bytes:
    """A BVH take of a figure doing jumping jacks: 16 joints, `fps` frames a second."""

    def pose(t: float) -> list[float]:
        height, z = _jack_pose(t)
        return [0.0, height, 0.0] + [v for angle in z for v in (angle, 0.0, 0.0)]

    return _bvh(_SKELETON, max(1, round(seconds * fps)), fps, pose)


def _bvh(
    skeleton: list[tuple[str, int, tuple[float, float, float], tuple[float, float, float] | None]],
    frames: int,
    fps: float,
    pose: Callable[[float], list[float]],
) -> bytes:
    """A BVH file: the hierarchy (the root with six channels, position then Z X Y rotation; the other joints with
    the three rotations; an end site where a limb ends) and `frames` lines of `pose(t)`, the channels' values."""
    lines = ["HIERARCHY"]
    depth: list[int] = []
    for index, (name, parent, offset, end) in enumerate(skeleton):
        while depth and depth[-1] != parent:
            depth.pop()
            lines.append("  " * len(depth) + "}")
        pad = "  " * len(depth)
        lines.append(f"{pad}{'ROOT' if parent < 0 else 'JOINT'} {name}")
        lines.append(pad + "{")
        lines.append(f"{pad}  OFFSET {offset[0]:.2f} {offset[1]:.2f} {offset[2]:.2f}")
        channels = "6 Xposition Yposition Zposition" if parent < 0 else "3"
        lines.append(f"{pad}  CHANNELS {channels} Zrotation Xrotation Yrotation")
        if end is not None:
            lines += [f"{pad}  End Site", pad + "  {", f"{pad}    OFFSET {end[0]:.2f} {end[1]:.2f} {end[2]:.2f}"]
            lines.append(pad + "  }")
        depth.append(index)
    while depth:
        depth.pop()
        lines.append("  " * len(depth) + "}")
    lines += ["MOTION", f"Frames: {frames}", f"Frame Time: {1 / fps:.9f}"]
    lines += [" ".join(f"{v:.4f}" for v in pose(frame / fps)) for frame in range(frames)]
    return ("\n".join(lines) + "\n").encode()


def _jack_points(t: float) -> list[tuple[float, float]]:
    """Where each joint (and each limb's end) is at `t`, seen from the front: x to the figure's left, y up."""
    height, z = _jack_pose(t)
    position: list[tuple[float, float]] = []
    angle: list[float] = []
    ends: list[tuple[float, float]] = []
    for index, (_name, parent, offset, end) in enumerate(_SKELETON):
        base = (0.0, height) if parent < 0 else position[parent]
        turn = 0.0 if parent < 0 else angle[parent]
        if parent >= 0:
            r = math.radians(turn)
            base = (
                base[0] + offset[0] * math.cos(r) - offset[1] * math.sin(r),
                base[1] + offset[0] * math.sin(r) + offset[1] * math.cos(r),
            )
        position.append(base)
        angle.append(turn + z[index])
        if end is not None:
            r = math.radians(angle[index])
            ends.append(
                (
                    base[0] + end[0] * math.cos(r) - end[1] * math.sin(r),
                    base[1] + end[0] * math.sin(r) + end[1] * math.cos(r),
                )
            )
    return position + ends


def motion_video(seconds: float = 4.0, lag: float = 0.25, size: tuple[int, int] = (320, 240), fps: int = 24) -> bytes:
    """An H.264 MP4 of the figure of `motion_take_bvh`, drawn from the front; the take started `lag` seconds after
    the camera, so the video at `t` shows the take at `t - lag` (the figure stands still before)."""

    width, height = size
    scale = height / 110
    links = [(p, i) for i, (_n, p, _o, _e) in enumerate(_SKELETON) if p >= 0]
    links += [(3, 16), (6, 17), (9, 18), (12, 19), (15, 20)]  # each limb to its end site

    def frame(n: int) -> Image.Image:
        image = Image.new("RGB", size, (238, 240, 246))
        draw = ImageDraw.Draw(image)
        draw.line([(0, height - 12), (width, height - 12)], fill=(160, 164, 176), width=2)
        points = [(width / 2 + x * scale, height - 12 - y * scale) for x, y in _jack_points(max(0.0, n / fps - lag))]
        for a, b in links:
            draw.line([points[a], points[b]], fill=(55, 48, 163), width=4)
        hx, hy = points[16]
        draw.ellipse([hx - 9, hy - 9, hx + 9, hy + 9], fill=(55, 48, 163))
        return image

    return _mp4((frame(n) for n in range(max(1, round(seconds * fps)))), size, fps, crf=28)


def motion_sound(seconds: float = 4.0, lag: float = 0.25, rate: int = 16_000) -> bytes:
    """The movement's sound: a clap when the hands meet overhead and a thud when the feet land, `lag` seconds
    after the start of the recording like the take."""
    rnd = random.Random(7)  # noqa: S311 - reproducible noise, not secrets
    samples = [0.0] * int(seconds * rate)
    beats = [(lag + k * _JACK_SECONDS + _JACK_SECONDS / 2, "clap") for k in range(int(seconds))]
    beats += [(lag + k * _JACK_SECONDS, "thud") for k in range(1, int(seconds) + 1)]
    for at, what in beats:
        start = int(at * rate)
        length = int((0.06 if what == "clap" else 0.12) * rate)
        for i in range(length):
            if start + i >= len(samples):
                break
            decay = math.exp(-i / (length / 5))
            if what == "clap":
                samples[start + i] += 0.7 * decay * (rnd.random() * 2 - 1)
            else:
                samples[start + i] += 0.8 * decay * math.sin(2 * math.pi * 70 * i / rate)
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"".join(struct.pack("<h", int(max(-1.0, min(1.0, s)) * 32767)) for s in samples))
    return out.getvalue()


# A small figure walking: (name, parent index, offset in centimetres with Y up, end site), in hierarchy order.
_LIMB_ENDS = {"Head": (0.0, 12.0, 0.0), "LeftForeArm": (0.0, -24.0, 0.0), "RightForeArm": (0.0, -24.0, 0.0)}
_LIMB_ENDS |= {"LeftLeg": (0.0, -45.0, 8.0), "RightLeg": (0.0, -45.0, 8.0)}
_FIGURE: list[tuple[str, int, tuple[float, float, float], tuple[float, float, float] | None]] = [
    (name, parent, offset, _LIMB_ENDS.get(name))
    for name, parent, offset in [
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
]


def bvh_sample(frames: int = 60, fps: float = 30.0) -> bytes:
    """A BVH of a stick figure walking forward (along Z) and waving its right arm: 12 joints, the root with six
    channels (position, then Z X Y rotation) and the others with three. Deterministic for given arguments."""

    def pose(t: float) -> list[float]:
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
        for name, parent, _offset, _end in _FIGURE:
            if parent >= 0:
                values += angles.get(name, (0.0, 0.0, 0.0))
        return values

    return _bvh(_FIGURE, frames, fps, pose)
