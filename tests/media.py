"""Media made for tests, including broken and hostile files."""

from __future__ import annotations

import base64
import io
import struct
import warnings
import zlib
from typing import Any

import numpy as np
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


# Motion capture, sensor series and 3D models -------------------------------------------------------------------

bvh_sample = samples.bvh_sample


def c3d_sample(frames: int = 20, rate: float = 50.0, markers: tuple[str, ...] = ("HEAD", "LHND", "RHND")) -> bytes:
    """A small C3D of markers moving on circles, written with the c3d library (float points, no analog)."""
    import c3d
    import numpy as np

    writer = c3d.Writer(point_rate=rate)
    writer.set_point_labels(list(markers))
    for frame in range(frames):
        angle = frame / rate * 2 * np.pi
        points = np.zeros((len(markers), 5), dtype=np.float32)
        for i in range(len(markers)):
            points[i, :3] = (400 * np.cos(angle + i), 400 * np.sin(angle + i), 1000 + 300 * i)
        writer.add_frames([(points, np.zeros((0, 0), dtype=np.float32))])
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "no analog data": there is none on purpose
        writer.write(out)
    return out.getvalue()


def c3d_with_header(data: bytes, **words: int) -> bytes:
    """A C3D whose header words are rewritten (point_count at byte 2, first/last frame at 6 and 8): a file that
    claims more than it holds."""
    at = {"point_count": 2, "analog_count": 4, "first_frame": 6, "last_frame": 8}
    raw = bytearray(data)
    for name, value in words.items():
        struct.pack_into("<H", raw, at[name], value)
    return bytes(raw)


def c3d_with_parameter(data: bytes, group: str, name: str, value: int) -> bytes:
    """A C3D whose 16-bit integer parameter GROUP:NAME is rewritten in place: the parameter is found by its name
    and its group's id, which precede it in the parameter section."""
    import c3d

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        reader = c3d.Reader(io.BytesIO(data))
    group_id = next(k for k, g in reader._groups.items() if isinstance(k, int) and g.name == group)
    raw = bytearray(data)
    marker = bytes([len(name), group_id]) + name.encode()
    at = raw.index(marker, (reader.header.parameter_block - 1) * 512) + len(marker)
    # then: offset to the next parameter (2 bytes), type (1), dimensions (1: none for a scalar), the value
    assert raw[at + 2] == 2 and raw[at + 3] == 0
    struct.pack_into("<H", raw, at + 4, value)
    return bytes(raw)


def sensor_csv(rows: int = 50, rate: float = 100.0, start: float = 0.0, header: str = "time,ax,ay,az") -> bytes:
    lines = [header]
    for i in range(rows):
        t = start + i / rate
        lines.append(f"{t:.4f},{np.sin(t):.5f},{np.cos(t):.5f},{9.81 + 0.1 * np.sin(3 * t):.5f}")
    return ("\n".join(lines) + "\n").encode()


def sensor_parquet(rows: int = 50, rate: float = 100.0, **extra_columns: Any) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    t = np.arange(rows) / rate
    table = pa.table({"timestamp": t, "gyro_x": np.sin(t), "gyro_y": np.cos(t), **extra_columns})
    out = io.BytesIO()
    pq.write_table(table, out, row_group_size=max(rows // 2, 1))
    return out.getvalue()


def _cube_document(binary: bool, **overrides: Any) -> tuple[Any, bytes]:
    import pygltflib

    vertices = np.array([(x, y, z) for x in (-1, 1) for y in (-1, 1) for z in (-1, 1)], dtype=np.float32)
    faces = [(0, 1, 3), (0, 3, 2), (4, 6, 7), (4, 7, 5), (0, 4, 5), (0, 5, 1)]
    faces += [(2, 3, 7), (2, 7, 6), (0, 2, 6), (0, 6, 4), (1, 5, 7), (1, 7, 3)]
    indices = np.array(faces, dtype=np.uint16).flatten()
    times = np.array([0.0, 1.25, 2.5], dtype=np.float32)
    rotations = np.array([(0, 0, 0, 1), (0, 0.7071068, 0, 0.7071068), (0, 1, 0, 0)], dtype=np.float32)
    blob = indices.tobytes() + vertices.tobytes() + times.tobytes() + rotations.tobytes()
    offsets = np.cumsum([0, indices.nbytes, vertices.nbytes, times.nbytes])
    doc = pygltflib.GLTF2(
        scene=0,
        scenes=[pygltflib.Scene(nodes=[0])],
        nodes=[
            pygltflib.Node(name="root", children=[1], translation=[0.0, 1.0, 0.0]),
            pygltflib.Node(name="cube", mesh=0, scale=[2.0, 1.0, 1.0]),
        ],
        meshes=[
            pygltflib.Mesh(primitives=[pygltflib.Primitive(attributes=pygltflib.Attributes(POSITION=1), indices=0)])
        ],
        skins=[pygltflib.Skin(joints=[0, 1])],
        animations=[
            pygltflib.Animation(
                name="spin",
                samplers=[pygltflib.AnimationSampler(input=2, output=3)],
                channels=[
                    pygltflib.AnimationChannel(
                        sampler=0, target=pygltflib.AnimationChannelTarget(node=1, path="rotation")
                    )
                ],
            )
        ],
        accessors=[
            pygltflib.Accessor(bufferView=0, componentType=pygltflib.UNSIGNED_SHORT, count=36, type=pygltflib.SCALAR),
            pygltflib.Accessor(
                bufferView=1,
                componentType=pygltflib.FLOAT,
                count=8,
                type=pygltflib.VEC3,
                min=[-1, -1, -1],
                max=[1, 1, 1],
            ),
            pygltflib.Accessor(
                bufferView=2, componentType=pygltflib.FLOAT, count=3, type=pygltflib.SCALAR, min=[0.0], max=[2.5]
            ),
            pygltflib.Accessor(bufferView=3, componentType=pygltflib.FLOAT, count=3, type=pygltflib.VEC4),
        ],
        bufferViews=[
            pygltflib.BufferView(buffer=0, byteOffset=int(offsets[0]), byteLength=indices.nbytes),
            pygltflib.BufferView(buffer=0, byteOffset=int(offsets[1]), byteLength=vertices.nbytes),
            pygltflib.BufferView(buffer=0, byteOffset=int(offsets[2]), byteLength=times.nbytes),
            pygltflib.BufferView(buffer=0, byteOffset=int(offsets[3]), byteLength=rotations.nbytes),
        ],
        buffers=[pygltflib.Buffer(byteLength=len(blob))],
    )
    for path, value in overrides.items():
        target: Any = doc
        *parents, last = path.split("__")
        for part in parents:
            target = target[int(part)] if part.isdigit() else getattr(target, part)
        setattr(target, last, value)
    if not binary and doc.buffers[0].uri is None:
        doc.buffers[0].uri = "data:application/octet-stream;base64," + base64.b64encode(blob).decode()
    return doc, blob


def glb_cube(**overrides: Any) -> bytes:
    """A GLB of a cube (8 vertices, 12 triangles) under a translated root, skinned to both nodes, with a 2.5 s
    animation. `overrides` set fields by path, e.g. accessors__1__count=10**6."""
    doc, blob = _cube_document(binary=True, **overrides)
    doc.set_binary_blob(blob)
    return b"".join(doc.save_to_bytes())


def gltf_cube(**overrides: Any) -> bytes:
    """The same cube as a .gltf with its buffer embedded as a data: URI."""
    doc, _ = _cube_document(binary=False, **overrides)
    return doc.to_json().encode()


def glb_with_chunk_length(data: bytes, length: int) -> bytes:
    """A GLB whose JSON chunk claims `length` bytes (past the end of the file when large)."""
    raw = bytearray(data)
    struct.pack_into("<I", raw, 12, length)
    return bytes(raw)
