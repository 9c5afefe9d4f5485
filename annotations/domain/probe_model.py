"""Probing 3D models: glTF 2.0, as JSON (.gltf) or binary (.glb).

A GLB's container is read by hand first: the header's length must be the file's, every chunk must end inside the
file, the JSON chunk comes first. The JSON is then read by pygltflib, and every number it holds is checked before it
is used: buffer views inside their buffers, accessors (count x element size, with the stride) inside their views,
nodes a forest without cycles. No buffer's bytes are decoded to answer: vertex counts come from accessor counts and
bounds from the POSITION accessors' min and max (which glTF requires), placed by the node transforms.

An item must be self-contained: any `uri` in the document (buffers, images, or an extension's) that is not a
`data:` URI is refused, so a model can never make us read a local file or fetch a URL.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import struct
from pathlib import Path
from typing import Any

import numpy as np

from annotations.domain.probe_base import Probed, ProbeError

MAX_VERTICES = 10_000_000
MAX_TRIANGLES = 20_000_000
MAX_NODES = 100_000
MAX_NODE_DEPTH = 256
MAX_ACCESSOR_COUNT = 100_000_000
MAX_JSON_BYTES = 64 * 1024**2  # the JSON chunk of a GLB (a .gltf carries its data URIs in its JSON)

_COMPONENT_BYTES = {5120: 1, 5121: 1, 5122: 2, 5123: 2, 5125: 4, 5126: 4}
_TYPE_COMPONENTS = {"SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4, "MAT2": 4, "MAT3": 9, "MAT4": 16}
_JSON_CHUNK, _BIN_CHUNK = 0x4E4F534A, 0x004E4942


def _int(value: Any, what: str, low: int = 0, high: int = 2**53) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ProbeError(f"{what} must be a whole number from {low:,} to {high:,}.")
    return int(value)


def _numbers(value: Any, what: str, count: int) -> list[float]:
    if (
        not isinstance(value, list)
        or len(value) != count
        or not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in value)
    ):
        raise ProbeError(f"{what} must be {count} finite numbers.")
    return [float(v) for v in value]


def read_glb(data: bytes) -> tuple[str, memoryview | None]:
    """The JSON text and the binary chunk of a GLB, after checking the container against the file."""
    if len(data) < 20:
        raise ProbeError("The GLB file is truncated: it is shorter than its header.")
    magic, version, length = struct.unpack_from("<4sII", data)
    if magic != b"glTF" or version != 2:
        raise ProbeError(f"Only glTF 2.0 binaries are accepted (this one says version {version}).")
    if length != len(data):
        raise ProbeError(f"The GLB header says the file is {length:,} bytes; it is {len(data):,}.")
    chunks: list[tuple[int, memoryview]] = []
    offset = 12
    view = memoryview(data)
    while offset < length:
        if offset + 8 > length:
            raise ProbeError(f"The GLB file is truncated inside the header of chunk {len(chunks)}.")
        size, kind = struct.unpack_from("<II", data, offset)
        if offset + 8 + size > length:
            raise ProbeError(
                f"GLB chunk {len(chunks)} claims {size:,} bytes, past the end of the file "
                f"({length - offset - 8:,} bytes are left)."
            )
        chunks.append((kind, view[offset + 8 : offset + 8 + size]))
        offset += 8 + size
    if not chunks or chunks[0][0] != _JSON_CHUNK:
        raise ProbeError("A GLB file's first chunk must be its JSON.")
    if len(chunks[0][1]) > MAX_JSON_BYTES:
        raise ProbeError(f"The GLB's JSON is larger than {MAX_JSON_BYTES // 1024**2} MiB.")
    binary = [c for kind, c in chunks[1:] if kind == _BIN_CHUNK]
    if len(binary) > 1 or (binary and chunks[1][0] != _BIN_CHUNK):
        raise ProbeError("A GLB file holds at most one binary chunk, right after its JSON.")
    try:
        text = bytes(chunks[0][1]).decode("utf-8")
    except UnicodeDecodeError:
        raise ProbeError("The GLB's JSON chunk is not UTF-8 text.") from None
    return text, binary[0] if binary else None


def _external_uris(node: Any, where: str = "") -> list[str]:
    """Every `uri` in the document that is not a data: URI, by where it is."""
    found: list[str] = []
    stack: list[tuple[Any, str]] = [(node, where)]
    while stack:
        value, at = stack.pop()
        if isinstance(value, dict):
            for key, child in value.items():
                path = f"{at}.{key}" if at else str(key)
                if key == "uri" and not (isinstance(child, str) and child.startswith("data:")):
                    found.append(f"{path} = {str(child)[:80]!r}")
                else:
                    stack.append((child, path))
        elif isinstance(value, list):
            stack.extend((child, f"{at}[{i}]") for i, child in enumerate(value))
    return sorted(found)


def _data_uri_length(uri: str, what: str) -> int:
    header, comma, payload = uri.partition(",")
    if not comma or not header.endswith(";base64"):
        raise ProbeError(f"{what} is a data: URI that is not base64.")
    try:
        return len(base64.b64decode(payload, validate=True))
    except (binascii.Error, ValueError):
        raise ProbeError(f"{what} is a data: URI whose base64 is broken.") from None


def _parse(text: str) -> tuple[dict[str, Any], Any]:
    import pygltflib

    try:
        raw = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise ProbeError(f"The glTF JSON cannot be read: {str(exc)[:200]}") from None
    if not isinstance(raw, dict):
        raise ProbeError("The glTF JSON must be an object.")
    outside = _external_uris(raw)
    if outside:
        raise ProbeError(
            "The model points outside itself (an item must be self-contained: embed data as data: URIs or upload "
            f"a .glb): {'; '.join(outside[:3])}."
        )
    version = raw.get("asset", {}).get("version") if isinstance(raw.get("asset"), dict) else None
    if not isinstance(version, str) or not version.startswith("2."):
        raise ProbeError("Only glTF 2.0 is accepted (asset.version must be 2.x).")
    try:
        doc = pygltflib.GLTF2.from_json(text, infer_missing=True)
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise ProbeError(f"The glTF document is not valid: {str(exc)[:200]}") from None
    return raw, doc


def _buffer_lengths(doc: Any, binary: memoryview | None, glb: bool) -> list[int]:
    lengths = []
    for i, buffer in enumerate(doc.buffers):
        declared = _int(buffer.byteLength, f"buffers[{i}].byteLength", 1)
        if buffer.uri is None:
            if not (glb and i == 0 and binary is not None):
                raise ProbeError(f"buffers[{i}] has no data: only a GLB's first buffer may omit its uri.")
            available = len(binary)
        else:
            available = _data_uri_length(buffer.uri, f"buffers[{i}].uri")
        if declared > available:
            raise ProbeError(f"buffers[{i}] declares {declared:,} bytes; only {available:,} are there.")
        lengths.append(declared)
    return lengths


def _check_views(doc: Any, buffers: list[int]) -> list[tuple[int, int | None]]:
    """(byteLength, byteStride) of each buffer view, each inside its buffer."""
    views = []
    for i, view in enumerate(doc.bufferViews):
        buffer = _int(view.buffer, f"bufferViews[{i}].buffer", 0, len(buffers) - 1)
        offset = _int(view.byteOffset or 0, f"bufferViews[{i}].byteOffset")
        length = _int(view.byteLength, f"bufferViews[{i}].byteLength", 1)
        if offset + length > buffers[buffer]:
            raise ProbeError(
                f"bufferViews[{i}] ends at byte {offset + length:,}, past the end of buffers[{buffer}] "
                f"({buffers[buffer]:,} bytes)."
            )
        stride = None if view.byteStride is None else _int(view.byteStride, f"bufferViews[{i}].byteStride", 4, 252)
        views.append((length, stride))
    return views


def _check_accessors(doc: Any, views: list[tuple[int, int | None]]) -> None:
    def fits(what: str, view_index: Any, offset: Any, count: int, element: int, strided: bool) -> None:
        index = _int(view_index, f"{what}.bufferView", 0, len(views) - 1)
        start = _int(offset or 0, f"{what}.byteOffset")
        length, stride = views[index]
        step = (stride or element) if strided else element
        needed = start + step * (count - 1) + element
        if needed > length:
            raise ProbeError(
                f"{what} needs {needed:,} bytes ({count:,} x {element} bytes) but bufferViews[{index}] holds "
                f"{length:,}."
            )

    for i, accessor in enumerate(doc.accessors):
        what = f"accessors[{i}]"
        if accessor.componentType not in _COMPONENT_BYTES or accessor.type not in _TYPE_COMPONENTS:
            raise ProbeError(f"{what} has an unknown componentType or type.")
        count = _int(accessor.count, f"{what}.count", 1, MAX_ACCESSOR_COUNT)
        element = _COMPONENT_BYTES[accessor.componentType] * _TYPE_COMPONENTS[accessor.type]
        if accessor.bufferView is not None:
            fits(what, accessor.bufferView, accessor.byteOffset, count, element, strided=True)
        if accessor.sparse is not None:
            sparse = accessor.sparse
            n = _int(sparse.count, f"{what}.sparse.count", 1, count)
            if sparse.indices is None or sparse.values is None:
                raise ProbeError(f"{what}.sparse needs indices and values.")
            index_bytes = _COMPONENT_BYTES.get(sparse.indices.componentType)
            if index_bytes is None:
                raise ProbeError(f"{what}.sparse.indices has an unknown componentType.")
            fits(f"{what}.sparse.indices", sparse.indices.bufferView, sparse.indices.byteOffset, n, index_bytes, False)
            fits(f"{what}.sparse.values", sparse.values.bufferView, sparse.values.byteOffset, n, element, False)


def _accessor(doc: Any, index: Any, what: str) -> Any:
    return doc.accessors[_int(index, what, 0, len(doc.accessors) - 1)]


def _geometry(doc: Any) -> tuple[int, int, list[list[tuple[list[float], list[float]]]]]:
    """Vertices, triangles, and each mesh's local boxes (one per primitive)."""
    vertices = triangles = 0
    boxes: list[list[tuple[list[float], list[float]]]] = []
    for m, mesh in enumerate(doc.meshes):
        mesh_boxes = []
        for p, primitive in enumerate(mesh.primitives or []):
            what = f"meshes[{m}].primitives[{p}]"
            position = getattr(primitive.attributes, "POSITION", None)
            if position is None:
                continue
            accessor = _accessor(doc, position, f"{what}.attributes.POSITION")
            if accessor.type != "VEC3":
                raise ProbeError(f"{what}: POSITION must be VEC3.")
            low = _numbers(accessor.min, f"{what}: the POSITION accessor's min", 3)
            high = _numbers(accessor.max, f"{what}: the POSITION accessor's max", 3)
            mesh_boxes.append((low, high))
            vertices += accessor.count
            if vertices > MAX_VERTICES:
                raise ProbeError(f"The model has more than {MAX_VERTICES:,} vertices.")
            mode = 4 if primitive.mode is None else _int(primitive.mode, f"{what}.mode", 0, 6)
            n = accessor.count if primitive.indices is None else _accessor(doc, primitive.indices, what).count
            triangles += n // 3 if mode == 4 else max(n - 2, 0) if mode in (5, 6) else 0
            if triangles > MAX_TRIANGLES:
                raise ProbeError(f"The model has more than {MAX_TRIANGLES:,} triangles.")
        boxes.append(mesh_boxes)
    return vertices, triangles, boxes


def _local_matrix(node: Any, i: int) -> np.ndarray:
    if node.matrix is not None:
        return np.array(_numbers(node.matrix, f"nodes[{i}].matrix", 16)).reshape(4, 4).T  # column-major
    t = _numbers(node.translation, f"nodes[{i}].translation", 3) if node.translation is not None else [0.0] * 3
    x, y, z, w = _numbers(node.rotation, f"nodes[{i}].rotation", 4) if node.rotation is not None else [0, 0, 0, 1.0]
    s = _numbers(node.scale, f"nodes[{i}].scale", 3) if node.scale is not None else [1.0] * 3
    rotation = np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
            [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
            [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
        ]
    )
    matrix = np.eye(4)
    matrix[:3, :3] = rotation * np.array(s)
    matrix[:3, 3] = t
    return matrix


def _bounds(doc: Any, boxes: list[list[tuple[list[float], list[float]]]]) -> dict[str, list[float]]:
    """World bounds of the default scene (every root node when there is none), from the meshes' boxes."""
    nodes = doc.nodes
    children: list[list[int]] = []
    has_parent = [False] * len(nodes)
    for i, node in enumerate(nodes):
        kids = [_int(c, f"nodes[{i}].children[]", 0, len(nodes) - 1) for c in node.children or []]
        for c in kids:
            if has_parent[c] or c == i:
                raise ProbeError(f"nodes[{c}] has two parents or is its own child: the nodes must form trees.")
            has_parent[c] = True
        children.append(kids)
    if doc.scenes:
        scene = _int(doc.scene or 0, "scene", 0, len(doc.scenes) - 1)
        roots = [_int(r, f"scenes[{scene}].nodes[]", 0, len(nodes) - 1) for r in doc.scenes[scene].nodes or []]
    else:
        roots = [i for i in range(len(nodes)) if not has_parent[i]]
    corners = np.array([[x, y, z, 1.0] for x in (0, 1) for y in (0, 1) for z in (0, 1)])
    points: list[np.ndarray] = []
    stack = [(r, np.eye(4), 1) for r in roots]
    visited = 0
    while stack:
        index, parent, depth = stack.pop()
        visited += 1
        if depth > MAX_NODE_DEPTH or visited > len(nodes):
            raise ProbeError(f"The node tree is deeper than {MAX_NODE_DEPTH} or loops back on itself.")
        world = parent @ _local_matrix(nodes[index], index)
        if nodes[index].mesh is not None:
            for low, high in boxes[_int(nodes[index].mesh, f"nodes[{index}].mesh", 0, len(boxes) - 1)]:
                box = corners.copy()
                box[:, :3] = np.where(corners[:, :3] > 0, high, low)
                points.append((box @ world.T)[:, :3])
        stack.extend((c, world, depth + 1) for c in children[index])
    if not points:
        return {"min": [0.0, 0.0, 0.0], "max": [0.0, 0.0, 0.0]}
    every = np.concatenate(points)
    return {
        "min": [round(float(v), 6) for v in every.min(axis=0)],
        "max": [round(float(v), 6) for v in every.max(axis=0)],
    }


def _joints(doc: Any) -> list[str]:
    names: list[str] = []
    seen: set[int] = set()
    for s, skin in enumerate(doc.skins):
        for j in skin.joints or []:
            index = _int(j, f"skins[{s}].joints[]", 0, len(doc.nodes) - 1)
            if index not in seen:
                seen.add(index)
                names.append(str(doc.nodes[index].name or f"node {index}"))
    return names


def _animations(doc: Any) -> list[dict[str, Any]]:
    found = []
    for a, animation in enumerate(doc.animations):
        duration = 0.0
        for s, sampler in enumerate(animation.samplers or []):
            accessor = _accessor(doc, sampler.input, f"animations[{a}].samplers[{s}].input")
            (end,) = _numbers(accessor.max, f"animations[{a}].samplers[{s}]: the input accessor's max", 1)
            duration = max(duration, end)
        found.append({"name": str(animation.name or f"animation {a}"), "duration_seconds": round(duration, 6)})
    return found


def probe_model(path: Path) -> Probed:
    data = path.read_bytes()
    glb = data[:4] == b"glTF"
    if glb:
        text, binary = read_glb(data)
    else:
        binary = None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ProbeError("The glTF file is not UTF-8 JSON.") from None
    _raw, doc = _parse(text)
    if len(doc.nodes) > MAX_NODES:
        raise ProbeError(f"The model has {len(doc.nodes):,} nodes; at most {MAX_NODES:,} are allowed.")
    views = _check_views(doc, _buffer_lengths(doc, binary, glb))
    _check_accessors(doc, views)
    vertices, triangles, boxes = _geometry(doc)
    facts: dict[str, Any] = {
        "format": "glb" if glb else "gltf",
        "meshes": len(doc.meshes),
        "vertices": vertices,
        "triangles": triangles,
        "bounds": _bounds(doc, boxes),
        "nodes": len(doc.nodes),
        "joints": _joints(doc),
        "animations": _animations(doc),
    }
    return Probed(facts=facts)
