"""Media for the timeline's browser tests, made here: a BVH take, a GLB cube, and a ready MediaFile on an item
(the files are put in storage as ingestion would leave them, with the probe facts ingestion reports)."""

from __future__ import annotations

import hashlib
import json
import math
import struct
from typing import Any

from annotations.models import Item, MediaFile, MediaStatus, Project
from annotations.providers.storage import object_storage

# name, parent, offset
JOINTS: list[tuple[str, str | None, tuple[float, float, float]]] = [
    ("Hips", None, (0.0, 0.0, 0.0)),
    ("Spine", "Hips", (0.0, 10.0, 0.0)),
    ("Head", "Spine", (0.0, 10.0, 0.0)),
    ("LeftArm", "Spine", (5.0, 8.0, 0.0)),
    ("LeftHand", "LeftArm", (9.0, 0.0, 0.0)),
    ("RightArm", "Spine", (-5.0, 8.0, 0.0)),
    ("RightHand", "RightArm", (-9.0, 0.0, 0.0)),
    ("LeftLeg", "Hips", (3.0, 0.0, 0.0)),
    ("LeftFoot", "LeftLeg", (0.0, -12.0, 0.0)),
    ("RightLeg", "Hips", (-3.0, 0.0, 0.0)),
    ("RightFoot", "RightLeg", (0.0, -12.0, 0.0)),
]
END_SITES = {
    "Head": (0.0, 4.0, 0.0),
    "LeftHand": (3.0, 0.0, 0.0),
    "RightHand": (-3.0, 0.0, 0.0),
    "LeftFoot": (0.0, 0.0, 3.0),
    "RightFoot": (0.0, 0.0, 3.0),
}


def bvh_take(frames: int = 60, fps: int = 30, variant: int = 0) -> bytes:
    """A small skeleton waving its arms and stepping: 11 joints, `frames` frames at `fps` (`variant` shifts it a
    hair, so that takes on several items of one project are different files)."""
    lines = ["HIERARCHY"]

    def joint(name: str, depth: int) -> None:
        pad = "  " * depth
        parent = next(p for n, p, _ in JOINTS if n == name)
        offset = next(o for n, _, o in JOINTS if n == name)
        lines.append(f"{pad}{'ROOT' if parent is None else 'JOINT'} {name}")
        lines.append(f"{pad}{{")
        lines.append(f"{pad}  OFFSET {offset[0]:.2f} {offset[1]:.2f} {offset[2]:.2f}")
        if parent is None:
            lines.append(f"{pad}  CHANNELS 6 Xposition Yposition Zposition Zrotation Xrotation Yrotation")
        else:
            lines.append(f"{pad}  CHANNELS 3 Zrotation Xrotation Yrotation")
        for child, p, _ in JOINTS:
            if p == name:
                joint(child, depth + 1)
        if name in END_SITES:
            e = END_SITES[name]
            lines.extend(
                [f"{pad}  End Site", f"{pad}  {{", f"{pad}    OFFSET {e[0]:.2f} {e[1]:.2f} {e[2]:.2f}", f"{pad}  }}"]
            )
        lines.append(f"{pad}}}")

    joint("Hips", 0)
    lines += ["MOTION", f"Frames: {frames}", f"Frame Time: {1 / fps:.6f}"]
    order: list[str] = []

    def walk(name: str) -> None:
        order.append(name)
        for child, p, _ in JOINTS:
            if p == name:
                walk(child)

    walk("Hips")
    for f in range(frames):
        phase = 2 * math.pi * f / frames
        values = [variant / 1000, 20.0, 0.0, 0.0, 0.0, 0.0]
        for name in order[1:]:
            z = 0.0
            if name in ("LeftArm", "RightArm"):
                z = (60 if name == "LeftArm" else -60) * math.sin(phase)
            x = 30 * math.sin(phase) * (1 if name == "LeftLeg" else -1) if name in ("LeftLeg", "RightLeg") else 0.0
            values += [z, x, 0.0]
        lines.append(" ".join(f"{v:.4f}" for v in values))
    return ("\n".join(lines) + "\n").encode()


def bvh_probe(frames: int = 60, fps: int = 30) -> dict[str, Any]:
    names = [n for n, _, _ in JOINTS]
    return {
        "format": "bvh",
        "frames": frames,
        "frame_rate": fps,
        "duration_seconds": frames / fps,
        "joints": names,
        "parents": [names.index(p) if p else -1 for _, p, _ in JOINTS],
        "channels": 6 + 3 * (len(JOINTS) - 1),
    }


def glb_cube(size: float = 1.0, variant: int = 0) -> bytes:
    """A cube of side `size` centred on the origin, with normals, as a GLB (one mesh, one material; `variant` tints
    it, so that cubes on several items of one project are different files)."""
    h = size / 2
    faces = [
        ((1, 0, 0), [(h, -h, -h), (h, h, -h), (h, h, h), (h, -h, h)]),
        ((-1, 0, 0), [(-h, -h, h), (-h, h, h), (-h, h, -h), (-h, -h, -h)]),
        ((0, 1, 0), [(-h, h, -h), (-h, h, h), (h, h, h), (h, h, -h)]),
        ((0, -1, 0), [(-h, -h, h), (-h, -h, -h), (h, -h, -h), (h, -h, h)]),
        ((0, 0, 1), [(-h, -h, h), (h, -h, h), (h, h, h), (-h, h, h)]),
        ((0, 0, -1), [(h, -h, -h), (-h, -h, -h), (-h, h, -h), (h, h, -h)]),
    ]
    positions: list[float] = []
    normals: list[float] = []
    indices: list[int] = []
    for n, (normal, corners) in enumerate(faces):
        for c in corners:
            positions += c
            normals += normal
        b = n * 4
        indices += [b, b + 1, b + 2, b, b + 2, b + 3]
    pos = struct.pack(f"<{len(positions)}f", *positions)
    nor = struct.pack(f"<{len(normals)}f", *normals)
    idx = struct.pack(f"<{len(indices)}H", *indices)
    idx += b"\0" * (-len(idx) % 4)
    binary = pos + nor + idx
    doc = {
        "asset": {"version": "2.0"},
        "scene": 0,
        "scenes": [{"nodes": [0]}],
        "nodes": [{"mesh": 0, "name": "Cube"}],
        "meshes": [{"primitives": [{"attributes": {"POSITION": 0, "NORMAL": 1}, "indices": 2, "material": 0}]}],
        "materials": [
            {
                "pbrMetallicRoughness": {
                    "baseColorFactor": [0.8, 0.55, 0.3 + variant / 100, 1],
                    "metallicFactor": 0,
                    "roughnessFactor": 0.8,
                }
            }
        ],
        "buffers": [{"byteLength": len(binary)}],
        "bufferViews": [
            {"buffer": 0, "byteOffset": 0, "byteLength": len(pos), "target": 34962},
            {"buffer": 0, "byteOffset": len(pos), "byteLength": len(nor), "target": 34962},
            {"buffer": 0, "byteOffset": len(pos) + len(nor), "byteLength": len(indices) * 2, "target": 34963},
        ],
        "accessors": [
            {
                "bufferView": 0,
                "componentType": 5126,
                "count": 24,
                "type": "VEC3",
                "min": [-h, -h, -h],
                "max": [h, h, h],
            },
            {"bufferView": 1, "componentType": 5126, "count": 24, "type": "VEC3"},
            {"bufferView": 2, "componentType": 5123, "count": len(indices), "type": "SCALAR"},
        ],
    }
    text = json.dumps(doc).encode()
    text += b" " * (-len(text) % 4)
    length = 12 + 8 + len(text) + 8 + len(binary)
    return (
        struct.pack("<III", 0x46546C67, 2, length)
        + struct.pack("<II", len(text), 0x4E4F534A)
        + text
        + struct.pack("<II", len(binary), 0x004E4942)
        + binary
    )


def glb_probe(size: float = 1.0) -> dict[str, Any]:
    h = size / 2
    return {
        "format": "glb",
        "meshes": 1,
        "vertices": 24,
        "triangles": 12,
        "bounds": {"min": [-h, -h, -h], "max": [h, h, h]},
        "nodes": 1,
        "joints": [],
        "animations": [],
    }


def add_to_every_item(
    project_title: str, name: str, kind: str, content_type: str, make: Any, probe: dict[str, Any], offset: float = 0.0
) -> dict[int, MediaFile]:
    """The file (`make(n)` its bytes for the n-th item) on every item of the project, by item id. Added before the
    task is opened: the workspace's copy of a task is revalidated by its ETag, which a new file on the item does not
    change."""
    project = Project.objects.get(title__startswith=project_title)
    return {
        item.pk: add_ready_file(item.pk, project.pk, name, kind, content_type, make(n), probe, offset)
        for n, item in enumerate(Item.objects.filter(project=project).order_by("pk"))
    }


def add_ready_file(
    item_id: int,
    project_id: int,
    name: str,
    kind: str,
    content_type: str,
    data: bytes,
    probe: dict[str, Any],
    offset: float = 0.0,
) -> MediaFile:
    """A file on an item as ingestion leaves it: in storage, hashed, probed, ready."""
    key = f"e2e/{project_id}/{item_id}/{name}"
    object_storage().put(key, data, content_type)
    fields: dict[str, Any] = {
        "item_id": item_id,
        "project_id": project_id,
        "name": name,
        "storage_key": key,
        "kind": kind,
        "content_type": content_type,
        "claimed_content_type": content_type,
        "size_bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "status": MediaStatus.READY,
        "probe": probe,
        "offset_seconds": offset,
    }
    return MediaFile.objects.create(**fields)
