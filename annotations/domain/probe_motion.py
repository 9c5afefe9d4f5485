"""Probing motion capture: BVH (a skeleton and its channels per frame, as text) and C3D (labelled 3D markers, binary).

BVH is read by our own parser: the header first, against the limits below, before any frame is read, then the
frames line by line in batches of numbers, so neither a huge claimed frame count nor a missing line costs more than
the file's own size. (bvhio, the usual library, loops forever on a file cut short inside its hierarchy and builds
Python objects per joint and frame; tests still compare our forward kinematics with it.)

C3D is read with the `c3d` library, after its header and parameter section are checked: the metadata is parsed from
an in-memory copy of those blocks only, and the data block must be as long as frames x markers x channels says.

The preview is a stick figure: BVH joints placed by forward kinematics at a few frames (the middle one bold, a few
others faint), C3D markers as dots, projected orthographically on the vertical plane that shows the most.
"""

from __future__ import annotations

import io
import math
import struct
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np
from PIL import Image, ImageDraw

from annotations.domain.probe_base import Probed, ProbeError, png_bytes

MAX_JOINTS = 500
MAX_DEPTH = 64
MAX_FRAMES = 1_000_000
MAX_MOTION_SECONDS = 3600.0  # an hour: the span of an item's clock
MAX_FRAME_RATE = 10_000.0  # frames per second; faster is a broken frame time
MAX_LINE_CHARS = 1024 * 1024
MAX_MARKERS = 1_000
MAX_ANALOG_CHANNELS = 1_024
MAX_ANALOG_PER_FRAME = 1_000
FRAME_BATCH = 4096
PREVIEW_SIZE = (480, 480)

_BVH_CHANNELS = ("Xposition", "Yposition", "Zposition", "Xrotation", "Yrotation", "Zrotation")

Float3 = tuple[float, float, float]


@dataclass(slots=True)
class BvhJoint:
    name: str
    parent: int
    offset: Float3
    channels: list[str]
    end_site: Float3 | None = None


@dataclass(slots=True)
class BvhHeader:
    joints: list[BvhJoint] = field(default_factory=list)
    frames: int = 0
    frame_time: float = 0.0

    @property
    def channels(self) -> int:
        return sum(len(j.channels) for j in self.joints)


class _Lines:
    """Non-empty lines of a text file, each at most MAX_LINE_CHARS, with their numbers."""

    def __init__(self, fh: IO[str]) -> None:
        self._fh = fh
        self.number = 0

    def next(self) -> list[str] | None:
        while True:
            line = self._fh.readline(MAX_LINE_CHARS + 1)
            if not line:
                return None
            self.number += 1
            if len(line) > MAX_LINE_CHARS:
                raise ProbeError(f"Line {self.number} is longer than {MAX_LINE_CHARS:,} characters.")
            tokens = line.split()
            if tokens:
                return tokens

    def expect(self, what: str) -> list[str]:
        tokens = self.next()
        if tokens is None:
            raise ProbeError(f"The BVH file ends early: {what} was expected after line {self.number}.")
        return tokens


def _floats(tokens: list[str], count: int, what: str, line: int) -> list[float]:
    if len(tokens) != count:
        raise ProbeError(f"Line {line}: {what} needs {count} numbers.")
    try:
        values = [float(t) for t in tokens]
    except ValueError:
        raise ProbeError(f"Line {line}: {what} holds something that is not a number.") from None
    if not all(math.isfinite(v) for v in values):
        raise ProbeError(f"Line {line}: {what} holds an infinite or NaN value.")
    return values


def _offset(lines: _Lines) -> Float3:
    tokens = lines.expect("OFFSET")
    if tokens[0] != "OFFSET":
        raise ProbeError(f"Line {lines.number}: OFFSET was expected, found {tokens[0][:40]!r}.")
    x, y, z = _floats(tokens[1:], 3, "OFFSET", lines.number)
    return (x, y, z)


def _channels(lines: _Lines) -> list[str]:
    tokens = lines.expect("CHANNELS")
    if tokens[0] != "CHANNELS" or len(tokens) < 2 or not tokens[1].isdigit():
        raise ProbeError(f"Line {lines.number}: CHANNELS and a count were expected.")
    names = tokens[2:]
    if int(tokens[1]) != len(names) or not 0 <= len(names) <= 6:
        raise ProbeError(f"Line {lines.number}: the channel count does not match the channels named (at most 6).")
    if any(n not in _BVH_CHANNELS for n in names) or len(set(names)) != len(names):
        raise ProbeError(f"Line {lines.number}: channels must be distinct names among {', '.join(_BVH_CHANNELS)}.")
    return names


def _open_brace(lines: _Lines, trailing: bool) -> None:
    if trailing:
        return
    tokens = lines.expect("{")
    if tokens != ["{"]:
        raise ProbeError(f"Line {lines.number}: an opening brace was expected.")


def _name_of(tokens: list[str], line: int) -> tuple[str, bool]:
    """The joint name after ROOT/JOINT (names may hold spaces), and whether the line ends with its brace."""
    rest = tokens[1:]
    brace = bool(rest) and rest[-1] == "{"
    name = " ".join(rest[:-1] if brace else rest)
    if not name:
        raise ProbeError(f"Line {line}: a joint without a name.")
    return name[:200], brace


def _joint(lines: _Lines, header: BvhHeader, name: str, parent: int, depth: int, brace: bool) -> None:
    if depth > MAX_DEPTH:
        raise ProbeError(f"The skeleton is nested more than {MAX_DEPTH} joints deep.")
    if len(header.joints) >= MAX_JOINTS:
        raise ProbeError(f"The skeleton has more than {MAX_JOINTS} joints.")
    _open_brace(lines, brace)
    index = len(header.joints)
    joint = BvhJoint(name=name, parent=parent, offset=_offset(lines), channels=_channels(lines))
    header.joints.append(joint)
    while True:
        tokens = lines.expect("JOINT, End Site or }")
        if tokens[0] == "JOINT":
            child, child_brace = _name_of(tokens, lines.number)
            _joint(lines, header, child, index, depth + 1, child_brace)
        elif tokens[:2] == ["End", "Site"]:
            _open_brace(lines, tokens[-1] == "{" and len(tokens) == 3)
            joint.end_site = _offset(lines)
            if lines.expect("}") != ["}"]:
                raise ProbeError(f"Line {lines.number}: the End Site must close with a brace.")
        elif tokens == ["}"]:
            return
        else:
            raise ProbeError(f"Line {lines.number}: JOINT, End Site or a closing brace was expected.")


def read_bvh_header(lines: _Lines) -> BvhHeader:
    """The hierarchy and the MOTION header, refused against the limits before any frame is read."""
    first = lines.next()
    if first is None or first[0].removeprefix("\ufeff") != "HIERARCHY":
        raise ProbeError("A BVH file starts with HIERARCHY.")
    tokens = lines.expect("ROOT")
    if tokens[0] != "ROOT":
        raise ProbeError(f"Line {lines.number}: the skeleton must start with ROOT.")
    header = BvhHeader()
    name, brace = _name_of(tokens, lines.number)
    _joint(lines, header, name, -1, 1, brace)
    if lines.expect("MOTION") != ["MOTION"]:
        raise ProbeError(f"Line {lines.number}: MOTION was expected after the skeleton (one ROOT only).")
    tokens = lines.expect("Frames:")
    if len(tokens) != 2 or tokens[0] != "Frames:" or not tokens[1].lstrip("-").isdigit():
        raise ProbeError(f"Line {lines.number}: 'Frames: <count>' was expected.")
    header.frames = int(tokens[1])
    if header.frames < 1:
        raise ProbeError("The BVH file has no frames.")
    if header.frames > MAX_FRAMES:
        raise ProbeError(f"The BVH file claims {header.frames:,} frames; at most {MAX_FRAMES:,} are allowed.")
    tokens = lines.expect("Frame Time:")
    if len(tokens) != 3 or tokens[:2] != ["Frame", "Time:"]:
        raise ProbeError(f"Line {lines.number}: 'Frame Time: <seconds>' was expected.")
    try:
        header.frame_time = float(tokens[2])
    except ValueError:
        raise ProbeError(f"Line {lines.number}: the frame time is not a number.") from None
    if not math.isfinite(header.frame_time) or header.frame_time <= 0:
        raise ProbeError(f"The frame time is {tokens[2][:40]}; it must be a positive number of seconds.")
    if 1 / header.frame_time > MAX_FRAME_RATE:
        raise ProbeError(
            f"The frame time {header.frame_time:g} s means more than {MAX_FRAME_RATE:,.0f} frames per second."
        )
    if header.frames * header.frame_time > MAX_MOTION_SECONDS:
        raise ProbeError(
            f"The motion lasts {header.frames * header.frame_time:,.0f} s; at most {MAX_MOTION_SECONDS:,.0f} s "
            "are allowed."
        )
    return header


def _frame_batches(lines: _Lines, header: BvhHeader) -> Iterator[np.ndarray]:
    """The frames as arrays of shape (n, channels), a batch at a time; each line must hold every channel."""
    width = header.channels
    batch: list[list[str]] = []
    start = 0
    read = 0
    while read < header.frames:
        tokens = lines.next()
        if tokens is None:
            raise ProbeError(f"The BVH file ends after {read:,} of the {header.frames:,} frames it claims.")
        if len(tokens) != width:
            raise ProbeError(f"Frame {read + 1} (line {lines.number}) has {len(tokens)} values; {width} expected.")
        batch.append(tokens)
        read += 1
        if len(batch) == FRAME_BATCH or read == header.frames:
            try:
                values = np.array(batch, dtype=np.float64)
            except ValueError:
                raise ProbeError(
                    f"A frame between {start + 1} and {read} holds something that is not a number."
                ) from None
            if not np.isfinite(values).all():
                raise ProbeError(f"A frame between {start + 1} and {read} holds an infinite or NaN value.")
            yield values.reshape(len(batch), width)
            start, batch = read, []
    if lines.next() is not None:
        raise ProbeError(f"The BVH file has more frame lines than the {header.frames:,} it claims.")


def _rotation(axis: str, degrees: float) -> np.ndarray:
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    if axis == "X":
        return np.array([[1, 0, 0], [0, c, -s], [0, s, c]])
    if axis == "Y":
        return np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])
    return np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])


def bvh_pose(joints: list[BvhJoint], frame: np.ndarray) -> tuple[np.ndarray, list[np.ndarray | None]]:
    """World positions of each joint (and of its end site) at one frame, by forward kinematics.

    A joint's rotation is the product of its rotation channels in the order listed (intrinsic, degrees); its
    position channels, where it has them, replace its offset (as motion capture software writes them).
    """
    positions = np.zeros((len(joints), 3))
    rotations: list[np.ndarray] = []
    ends: list[np.ndarray | None] = []
    column = 0
    for index, joint in enumerate(joints):
        local = np.array(joint.offset, dtype=np.float64)
        rotation = np.eye(3)
        for channel in joint.channels:
            value = float(frame[column])
            column += 1
            if channel.endswith("position"):
                local["XYZ".index(channel[0])] = value
            else:
                rotation = rotation @ _rotation(channel[0], value)
        if joint.parent < 0:
            positions[index] = local
            world = rotation
        else:
            parent = rotations[joint.parent]
            positions[index] = positions[joint.parent] + parent @ local
            world = parent @ rotation
        rotations.append(world)
        ends.append(None if joint.end_site is None else positions[index] + world @ np.array(joint.end_site))
    return positions, ends


def probe_bvh(path: Path) -> Probed:
    with path.open("r", encoding="utf-8", newline=None) as fh:
        lines = _Lines(fh)
        try:
            header = read_bvh_header(lines)
            wanted = sorted({0, header.frames // 4, header.frames // 2, 3 * header.frames // 4, header.frames - 1})
            kept: dict[int, np.ndarray] = {}
            seen = 0
            for batch in _frame_batches(lines, header):
                for index in wanted:
                    if seen <= index < seen + len(batch):
                        kept[index] = batch[index - seen].copy()
                seen += len(batch)
        except UnicodeDecodeError:
            raise ProbeError("The BVH file is not UTF-8 text.") from None
    frame_rate = 1 / header.frame_time
    poses = [bvh_pose(header.joints, kept[i]) for i in wanted]
    middle = wanted.index(header.frames // 2)
    segments = []
    for positions, ends in poses:
        bones = [(positions[j.parent], positions[i]) for i, j in enumerate(header.joints) if j.parent >= 0]
        bones += [(positions[i], end) for i, end in enumerate(ends) if end is not None]
        segments.append(bones)
    facts: dict[str, Any] = {
        "format": "bvh",
        "frames": header.frames,
        "frame_rate": round(frame_rate, 6),
        "duration_seconds": round(header.frames * header.frame_time, 6),
        "joints": [j.name for j in header.joints],
        "parents": [j.parent for j in header.joints],
        "channels": header.channels,
    }
    return Probed(facts=facts, preview=_stick_figure(segments, middle), preview_type="image/png")


def _c3d_reader(meta: bytes) -> Any:
    import c3d

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "no analog data" and the like: facts, not faults
            return c3d.Reader(io.BytesIO(meta))
    except (AssertionError, ValueError, KeyError, IndexError, TypeError, struct.error, UnicodeDecodeError) as exc:
        raise ProbeError(f"The C3D parameters cannot be read: {str(exc)[:200] or type(exc).__name__}.") from None


def probe_c3d(path: Path) -> Probed:
    size = path.stat().st_size
    with path.open("rb") as fh:
        head = fh.read(512)
        if len(head) < 512 or head[1] != 0x50:
            raise ProbeError("The C3D file is truncated or not C3D: its 512-byte header is incomplete or wrong.")
        parameter_block = head[0]
        if parameter_block < 2 or (parameter_block - 1) * 512 + 4 > size:
            raise ProbeError("The C3D header points to a parameter section outside the file.")
        fh.seek((parameter_block - 1) * 512)
        _, _, blocks, processor = fh.read(4)
        if processor not in (84, 85, 86):
            raise ProbeError(f"The C3D parameter section names an unknown processor type ({processor}).")
        meta_end = (parameter_block - 1 + blocks) * 512
        if blocks < 1 or meta_end > size:
            raise ProbeError("The C3D parameter section runs past the end of the file.")
        fh.seek(0)
        reader = _c3d_reader(fh.read(meta_end))
    try:
        markers = int(reader.point_used)
        analog = int(reader.analog_used)
        per_frame = int(reader.analog_per_frame) if analog else 0
        frames = int(reader.frame_count)
        rate = float(reader.point_rate)
        scale = float(reader.point_scale)
        data_block = int(reader.header.data_block)
        labels = [str(s).strip() for s in reader.point_labels][:markers] if markers else []
    except (AssertionError, ValueError, KeyError, IndexError, TypeError, AttributeError, ZeroDivisionError) as exc:
        raise ProbeError(f"The C3D parameters are inconsistent: {str(exc)[:200] or type(exc).__name__}.") from None
    if markers > MAX_MARKERS:
        raise ProbeError(f"The C3D file claims {markers:,} markers; at most {MAX_MARKERS:,} are allowed.")
    if analog > MAX_ANALOG_CHANNELS or per_frame > MAX_ANALOG_PER_FRAME:
        raise ProbeError(
            f"The C3D file claims {analog:,} analog channels at {per_frame:,} samples per frame; at most "
            f"{MAX_ANALOG_CHANNELS:,} channels and {MAX_ANALOG_PER_FRAME:,} samples per frame are allowed."
        )
    if frames < 1:
        raise ProbeError("The C3D file has no frames.")
    if frames > MAX_FRAMES:
        raise ProbeError(f"The C3D file claims {frames:,} frames; at most {MAX_FRAMES:,} are allowed.")
    if not math.isfinite(rate) or rate <= 0 or rate > MAX_FRAME_RATE:
        raise ProbeError(f"The C3D frame rate is {rate:g}; it must be above 0 and at most {MAX_FRAME_RATE:,.0f}.")
    if frames / rate > MAX_MOTION_SECONDS:
        raise ProbeError(f"The motion lasts {frames / rate:,.0f} s; at most {MAX_MOTION_SECONDS:,.0f} s are allowed.")
    value_bytes = 4 if scale < 0 else 2
    needed = frames * (markers * 4 + analog * per_frame) * value_bytes
    start = (max(data_block, 1) - 1) * 512
    if data_block < 2 or start + needed > size:
        raise ProbeError(
            f"The C3D file is truncated: {frames:,} frames of {markers} markers and {analog} analog channels need "
            f"{needed:,} bytes of data, and the file holds {max(size - start, 0):,} after its header."
        )
    poses = _c3d_poses(path, frames) if markers else []
    facts: dict[str, Any] = {
        "format": "c3d",
        "frames": frames,
        "frame_rate": round(rate, 6),
        "duration_seconds": round(frames / rate, 6),
        "markers": labels,
        "analog_channels": analog,
    }
    preview = _marker_dots(poses) if poses else None
    return Probed(facts=facts, preview=preview, preview_type="image/png" if preview else "")


def _c3d_poses(path: Path, frames: int) -> list[np.ndarray]:
    """The visible markers of the middle frame (and a few others, for the faint figures)."""
    import c3d

    wanted = {0, frames // 4, frames // 2, 3 * frames // 4, frames - 1}
    poses: list[np.ndarray] = []
    try:
        with path.open("rb") as fh, warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            for index, (_, points, _) in enumerate(c3d.Reader(fh).read_frames(copy=False)):
                if index in wanted:
                    visible = points[points[:, 3] >= 0][:, :3]
                    poses.append(visible[np.isfinite(visible).all(axis=1)].copy())
    except (AssertionError, ValueError, KeyError, IndexError, TypeError, struct.error) as exc:
        raise ProbeError(f"The C3D frames cannot be read: {str(exc)[:200] or type(exc).__name__}.") from None
    return poses


def _finite(points: np.ndarray) -> np.ndarray:
    finite = points[np.isfinite(points).all(axis=1)] if len(points) else points
    return finite if len(finite) else np.zeros((1, 3))


def _canvas(points: np.ndarray, main: np.ndarray) -> tuple[Image.Image, ImageDraw.ImageDraw, Any]:
    """A canvas fitting all points, projected on the vertical plane in which the main pose spreads widest (the
    figure seen from the front, whichever way it walks)."""
    img = Image.new("RGB", PREVIEW_SIZE, (248, 249, 251))
    draw = ImageDraw.Draw(img)
    finite = _finite(points)
    main = _finite(main)
    spread = main.max(axis=0) - main.min(axis=0)
    up = 1 if spread[1] >= spread[2] else 2  # C3D is often Z up
    across = 0 if spread[0] >= spread[3 - up] else 3 - up
    low, high = finite.min(axis=0), finite.max(axis=0)
    span = max(float(high[across] - low[across]), float(high[up] - low[up]), 1e-9)
    margin = 24
    scale = (min(PREVIEW_SIZE) - 2 * margin) / span
    centre = (low + high) / 2

    def project(p: np.ndarray) -> tuple[float, float]:
        return (
            PREVIEW_SIZE[0] / 2 + float(p[across] - centre[across]) * scale,
            PREVIEW_SIZE[1] / 2 - float(p[up] - centre[up]) * scale,
        )

    return img, draw, project


def _stick_figure(poses: list[list[tuple[np.ndarray, np.ndarray]]], bold: int) -> bytes:
    origin = [np.zeros(3)]
    every = [p for bones in poses for bone in bones for p in bone] or origin
    main = [p for bone in poses[bold] for p in bone] or origin
    img, draw, project = _canvas(np.array(every), np.array(main))
    for index, bones in enumerate(poses):
        if index == bold:
            continue
        for a, b in bones:
            draw.line([project(a), project(b)], fill=(203, 205, 214), width=2)
    for a, b in poses[bold]:
        draw.line([project(a), project(b)], fill=(79, 70, 229), width=3)
        x, y = project(b)
        draw.ellipse([x - 3, y - 3, x + 3, y + 3], fill=(49, 46, 129))
    return png_bytes(img)


def _marker_dots(poses: list[np.ndarray]) -> bytes:
    nonempty = [p for p in poses if len(p)]
    bold = len(poses) // 2
    img, draw, project = _canvas(np.concatenate(nonempty) if nonempty else np.zeros((1, 3)), poses[bold])
    for index, points in enumerate(poses):
        colour, radius = ((79, 70, 229), 4) if index == bold else ((203, 205, 214), 2)
        for p in points:
            x, y = project(p)
            draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=colour)
    return png_bytes(img)


def probe_motion(path: Path) -> Probed:
    with path.open("rb") as fh:
        head = fh.read(16)
    if len(head) >= 2 and head[1] == 0x50 and head[0] >= 2:
        return probe_c3d(path)
    return probe_bvh(path)
