"""Motion capture, sensor series and 3D models: uploaded, sniffed, probed (exact facts), previewed, and hostile
files refused with a reason.

Good files go the whole way (announce, upload to the real S3 server and the embedded store, ingest). Hostile
files are probed directly, one test per way of being hostile, and a sample of them also goes through ingestion to
show the reason reaches the file.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from annotations.domain import manifest, probe_model, probe_motion, probe_sensor
from annotations.domain import media as media_rules
from annotations.domain.probe import ProbeError, probe
from annotations.models import MediaFile
from annotations.providers.storage import object_storage
from tests import media
from tests.api.test_auth import error
from tests.factories import ProjectFactory
from tests.test_ingestion import announce, upload

pytestmark = pytest.mark.django_db

WALK_JOINTS = [
    "Hips",
    "Spine",
    "Neck",
    "Head",
    "LeftArm",
    "LeftForeArm",
    "RightArm",
    "RightForeArm",
    "LeftUpLeg",
    "LeftLeg",
    "RightUpLeg",
    "RightLeg",
]
CUBE_FACTS = {
    "meshes": 1,
    "vertices": 8,
    "triangles": 12,
    "bounds": {"min": [-2.0, 0.0, -1.0], "max": [2.0, 2.0, 1.0]},
    "nodes": 2,
    "joints": ["root", "cube"],
    "animations": [{"name": "spin", "duration_seconds": 2.5}],
}


@pytest.fixture
def project(admin: Any) -> Any:
    return ProjectFactory(organization=admin.organization, modalities=["motion", "sensor", "model", "text"])


def probed(tmp_path: Path, data: bytes, kind: str) -> Any:
    path = tmp_path / "file"
    path.write_bytes(data)
    return probe(path, kind)


def refused(tmp_path: Path, data: bytes, kind: str) -> str:
    with pytest.raises(ProbeError) as caught:
        probed(tmp_path, data, kind)
    return str(caught.value)


def png_size(data: bytes) -> tuple[int, int]:
    img = Image.open(io.BytesIO(data))
    assert img.format == "PNG"
    return img.size


# Types, sniffing and the CSV rule -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (media.c3d_sample(), "application/x-c3d"),
        (media.sensor_parquet(), "application/vnd.apache.parquet"),
        (media.glb_cube(), "model/gltf-binary"),
        (media.bvh_sample(), "text/plain"),
        (media.gltf_cube(), "text/plain"),
        (b"APPLE PIE\n" * 100, "text/plain"),  # a 'P' second is not C3D
        (b"glTF is a format\n", "text/plain"),  # the magic alone is not GLB
        (media.png(), "image/png"),  # PNG's signature has 'P' second too
    ],
)
def test_sniff_knows_the_new_formats_by_their_bytes(data: bytes, expected: str) -> None:
    assert media_rules.sniff(data[:8192]).content_type == expected


@pytest.mark.parametrize(
    ("claimed", "data", "fits"),
    [
        ("application/x-bvh", media.bvh_sample(), True),
        ("application/x-bvh", b"\xef\xbb\xbf  HIERARCHY\nROOT a", True),
        ("application/x-bvh", b"hello, this is not motion", False),
        ("model/gltf+json", media.gltf_cube(), True),
        ("model/gltf+json", b"[1, 2, 3]", False),
        ("text/csv", b"a,b\n1,2\n", True),
        ("application/x-c3d", b"some text", False),
        ("model/gltf-binary", b"some text", False),
        ("application/vnd.apache.parquet", b"time,x\n0,1\n", False),
    ],
)
def test_text_fits_a_claimed_text_format_only_when_it_starts_like_one(claimed: str, data: bytes, fits: bool) -> None:
    assert media_rules.same_family(claimed, "text/plain", head=data[:8192]) is fits


@pytest.mark.parametrize(
    ("csv", "sensor"),
    [
        (b"time,ax,ay\n0,1.5,2\n0.01,1.6,\n", True),
        (b"Timestamp,temp\n1700000000.0,21.5\n", True),
        (b"T,x\n0,1\n", True),
        (b"sec;x\n0;1\n", False),  # one column named 'sec;x'
        (b"time,speaker,text\n0.0,Ann,hello\n", False),  # a transcript stays text
        (b"x,time\n1,0\n", False),  # the time column must come first
        (b"time\n0\n1\n", False),  # no channel
        (b"time,x\n", False),  # no data row
        (b"time,x\nnoon,1\n", False),
    ],
)
def test_which_csv_is_a_sensor_series(csv: bytes, sensor: bool) -> None:
    assert media_rules.csv_is_sensor(csv) is sensor


def test_extensions_guess_the_new_types() -> None:
    assert [manifest.guess_type(n) for n in ("a.BVH", "b.c3d", "c.glb", "d.gltf", "e.parquet")] == [
        "application/x-bvh",
        "application/x-c3d",
        "model/gltf-binary",
        "model/gltf+json",
        "application/vnd.apache.parquet",
    ]


def test_a_csv_may_be_announced_up_to_the_sensor_limit(client_for, admin, project) -> None:
    c = client_for(admin)
    big = {"name": "imu.csv", "size_bytes": 150 * 1024**2, "content_type": "text/csv"}
    assert announce(c, project, big).status_code == 201
    too_big = {"name": "imu.csv", "size_bytes": 201 * 1024**2, "content_type": "text/csv"}
    err = error(announce(c, project, too_big), 400, "invalid")
    assert err["fields"]["files.0"] == ["CSV files may be at most 200 MiB."]
    model = {"name": "m.glb", "size_bytes": 201 * 1024**2, "content_type": "model/gltf-binary"}
    assert error(announce(c, project, model), 400, "invalid")["fields"]["files.0"] == [
        "Model files may be at most 200 MiB."
    ]


# Good files, the whole way ------------------------------------------------------------------------------------


def test_good_motion_sensor_and_model_files_are_ingested_with_exact_facts(
    client_for, admin, project, storage_mode
) -> None:
    c = client_for(admin)
    bvh = upload(c, project, "walk.bvh", media.bvh_sample(frames=60, fps=30), "application/x-bvh", item="take-1")
    c3d = upload(c, project, "markers.c3d", media.c3d_sample(), "application/x-c3d", item="take-1")
    imu = upload(c, project, "imu.csv", media.sensor_csv(), "text/csv", item="take-1")
    gyro = upload(c, project, "gyro.parquet", media.sensor_parquet(), "application/vnd.apache.parquet", item="take-1")
    glb = upload(c, project, "cube.glb", media.glb_cube(), "model/gltf-binary", item="take-1")
    gltf = upload(c, project, "cube.gltf", media.gltf_cube(), "model/gltf+json", item="take-2")
    notes = upload(c, project, "notes.csv", b"name,comment\nAnn,fine\n", "text/csv", item="take-2")
    for m in (bvh, c3d, imu, gyro, glb, gltf, notes):
        assert m.status == "ready", (m.name, m.failure_reason)
    assert bvh.probe == {
        "format": "bvh",
        "frames": 60,
        "frame_rate": 30.0,
        "duration_seconds": 2.0,
        "joints": WALK_JOINTS,
        "parents": [-1, 0, 1, 2, 2, 4, 2, 6, 0, 8, 0, 10],
        "channels": 6 + 3 * 11,
    }
    assert c3d.probe == {
        "format": "c3d",
        "frames": 20,
        "frame_rate": 50.0,
        "duration_seconds": 0.4,
        "markers": ["HEAD", "LHND", "RHND"],
        "analog_channels": 0,
    }
    assert imu.probe == {
        "format": "csv",
        "time_column": "time",
        "channels": ["ax", "ay", "az"],
        "samples": 50,
        "sample_rate": 100.0,
        "duration_seconds": 0.49,
        "start_seconds": 0.0,
    }
    assert gyro.probe == {
        "format": "parquet",
        "time_column": "timestamp",
        "channels": ["gyro_x", "gyro_y"],
        "samples": 50,
        "sample_rate": 100.0,
        "duration_seconds": 0.49,
        "start_seconds": 0.0,
    }
    assert glb.probe == {"format": "glb", **CUBE_FACTS}
    assert gltf.probe == {"format": "gltf", **CUBE_FACTS}
    kinds = {m.name: (m.kind, m.content_type) for m in MediaFile.objects.filter(project=project)}
    assert kinds == {
        "walk.bvh": ("motion", "application/x-bvh"),
        "markers.c3d": ("motion", "application/x-c3d"),
        "imu.csv": ("sensor", "text/csv"),  # promoted by its content
        "gyro.parquet": ("sensor", "application/vnd.apache.parquet"),
        "cube.glb": ("model", "model/gltf-binary"),
        "cube.gltf": ("model", "model/gltf+json"),
        "notes.csv": ("text", "text/csv"),  # any other CSV stays text
    }
    for m in (bvh, c3d, imu, gyro):
        preview = b"".join(object_storage().chunks(m.preview_key))
        assert png_size(preview)[0] in (480, 800)
    assert glb.preview_key == "" and gltf.preview_key == ""


def test_the_bvh_preview_is_a_stick_figure(tmp_path) -> None:
    result = probed(tmp_path, media.bvh_sample(frames=30, fps=30), "motion")
    assert result.preview_type == "image/png"
    img = Image.open(io.BytesIO(result.preview)).convert("RGB")
    drawn = np.asarray(img)
    figure = (drawn == (79, 70, 229)).all(axis=2)
    assert figure.sum() > 500  # bones drawn in the accent colour
    rows = np.flatnonzero(figure.any(axis=1))
    assert rows.max() - rows.min() > 300  # standing: it fills most of the height


def test_bvh_forward_kinematics_agree_with_bvhio(tmp_path) -> None:
    bvhio = pytest.importorskip("bvhio")
    path = tmp_path / "walk.bvh"
    path.write_bytes(media.bvh_sample(frames=20, fps=30))
    with path.open() as fh:
        lines = probe_motion._Lines(fh)
        header = probe_motion.read_bvh_header(lines)
        frames = np.concatenate(list(probe_motion._frame_batches(lines, header)))
    root = bvhio.readAsHierarchy(str(path))
    for frame in (0, 7, 19):
        ours, _ = probe_motion.bvh_pose(header.joints, frames[frame])
        root.loadPose(frame)
        theirs = {j.Name: tuple(j.PositionWorld) for j, _, _ in root.layout()}
        for joint, position in zip(header.joints, ours, strict=True):
            assert position == pytest.approx(theirs[joint.name], abs=1e-3), (frame, joint.name)


def test_a_larger_sensor_series_keeps_its_sample_rate_and_a_bounded_preview(tmp_path) -> None:
    result = probed(tmp_path, media.sensor_csv(rows=20_000, rate=250.0, start=12.5), "sensor")
    assert result.facts["samples"] == 20_000
    assert result.facts["sample_rate"] == pytest.approx(250.0, rel=1e-3)
    assert result.facts["start_seconds"] == 12.5
    assert png_size(result.preview) == (800, 3 * probe_sensor.LANE_HEIGHT)


def test_parquet_timestamps_count_seconds(tmp_path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    stamps = pa.array(np.arange(10, dtype=np.int64) * 20 + 1_700_000_000_000, type=pa.timestamp("ms"))
    out = io.BytesIO()
    pq.write_table(pa.table({"time": stamps, "x": np.arange(10.0)}), out)
    facts = probed(tmp_path, out.getvalue(), "sensor").facts
    assert (facts["start_seconds"], facts["sample_rate"], facts["duration_seconds"]) == (1_700_000_000.0, 50.0, 0.18)


# Hostile and broken files: motion -----------------------------------------------------------------------------


def bvh_with(old: str, new: str, frames: int = 10) -> bytes:
    text = media.bvh_sample(frames=frames, fps=30).decode()
    assert old in text
    return text.replace(old, new, 1).encode()


def deep_bvh(depth: int) -> bytes:
    lines = ["HIERARCHY", "ROOT j0", "{", "OFFSET 0 0 0", "CHANNELS 3 Zrotation Xrotation Yrotation"]
    for i in range(1, depth):
        lines += [f"JOINT j{i}", "{", "OFFSET 0 1 0", "CHANNELS 3 Zrotation Xrotation Yrotation"]
    lines += ["}"] * depth + ["MOTION", "Frames: 1", "Frame Time: 0.1", " ".join(["0"] * 3 * depth)]
    return "\n".join(lines).encode()


def wide_bvh(joints: int) -> bytes:
    lines = ["HIERARCHY", "ROOT j0", "{", "OFFSET 0 0 0", "CHANNELS 3 Zrotation Xrotation Yrotation"]
    for i in range(1, joints):
        lines += [f"JOINT j{i}", "{", "OFFSET 0 1 0", "CHANNELS 3 Zrotation Xrotation Yrotation", "}"]
    lines += ["}", "MOTION", "Frames: 1", "Frame Time: 0.1", " ".join(["0"] * 3 * joints)]
    return "\n".join(lines).encode()


BVH_HOSTILE = [
    ("absurd frames", bvh_with("Frames: 10", "Frames: 999999999"), "claims 999,999,999 frames; at most 1,000,000"),
    ("too long", bvh_with("Frames: 10", "Frames: 900000"), "The motion lasts 30,000 s; at most 3,600 s"),
    ("zero frame time", bvh_with("Frame Time: 0.033333333", "Frame Time: 0"), "must be a positive number"),
    ("negative frame time", bvh_with("Frame Time: 0.033333333", "Frame Time: -0.01"), "must be a positive number"),
    ("absurd frame rate", bvh_with("Frame Time: 0.033333333", "Frame Time: 1e-9"), "more than 10,000 frames per"),
    ("no frames", bvh_with("Frames: 10", "Frames: 0"), "has no frames"),
    ("too many joints", wide_bvh(501), "more than 500 joints"),
    ("too deep", deep_bvh(65), "nested more than 64 joints deep"),
    ("cut in hierarchy", b"\n".join(media.bvh_sample().split(b"\n")[:9]), "The BVH file ends early"),
    ("cut mid-line", media.bvh_sample()[:200], "the channel count does not match"),
    ("cut in frames", media.bvh_sample(frames=10)[:-60], "Frame 10 (line 94) has 31 values; 39 expected"),
    ("missing frames", bvh_with("Frames: 10", "Frames: 12"), "ends after 10 of the 12 frames"),
    ("extra frames", bvh_with("Frames: 10", "Frames: 8"), "more frame lines than the 8"),
    ("not a number", bvh_with("\n0.0000 95.0000", "\nzero 95.0000"), "not a number"),
    ("bad channel", bvh_with("CHANNELS 3 Zrotation", "CHANNELS 3 Wrotation"), "channels must be distinct names"),
    ("channel count", bvh_with("CHANNELS 3 Zrotation", "CHANNELS 4 Zrotation"), "channel count does not match"),
    ("bad offset", bvh_with("OFFSET 0.00 20.00 0.00", "OFFSET 0.00 inf 0.00"), "infinite or NaN"),
    ("no root", bvh_with("ROOT Hips", "JOINT Hips"), "must start with ROOT"),
    ("one long line", b"HIERARCHY\nROOT " + b"x" * (probe_motion.MAX_LINE_CHARS + 10), "longer than 1,048,576"),
    ("not utf-8", b"HIERARCHY\nROOT \xff\xfe\n", "not UTF-8"),
]


@pytest.mark.parametrize(("case", "data", "reason"), BVH_HOSTILE, ids=[h[0] for h in BVH_HOSTILE])
def test_hostile_bvh_is_refused_with_a_reason(tmp_path, case, data, reason) -> None:
    assert reason in refused(tmp_path, data, "motion")


C3D_HOSTILE = [
    ("truncated data", media.c3d_sample(frames=40)[:-600], "The C3D file is truncated"),
    ("cut header", media.c3d_sample()[:300], "512-byte header is incomplete"),
    (
        "absurd frames",
        media.c3d_with_header(media.c3d_sample(), last_frame=65_000),
        "need",  # 65,000 frames claimed by the header: far more data than the file holds
    ),
    (
        "absurd markers",
        media.c3d_with_header(
            media.c3d_with_parameter(media.c3d_sample(), "POINT", "USED", 60_000), point_count=60_000
        ),
        "claims 60,000 markers; at most 1,000",
    ),
    (
        "absurd analog channels",
        media.c3d_with_parameter(media.c3d_sample(), "ANALOG", "USED", 5_000),
        "claims 5,000 analog channels",
    ),
    (
        "parameters outside",
        bytes([40]) + media.c3d_sample()[1:],
        "parameter section outside the file",
    ),
]


@pytest.mark.parametrize(("case", "data", "reason"), C3D_HOSTILE, ids=[h[0] for h in C3D_HOSTILE])
def test_hostile_c3d_is_refused_with_a_reason(tmp_path, case, data, reason) -> None:
    assert reason in refused(tmp_path, data, "motion")


def test_c3d_frame_counts_past_the_limit_are_refused_before_reading(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(probe_motion, "MAX_FRAMES", 10)
    assert "claims 20 frames; at most 10 are allowed" in refused(tmp_path, media.c3d_sample(frames=20), "motion")


# Hostile and broken files: sensor series ----------------------------------------------------------------------


def csv_rows(header: str, rows: list[str]) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


SENSOR_HOSTILE = [
    ("time goes back", csv_rows("time,x", ["0,1", "0.1,2", "0.05,3"]), "row 3 has 0.05 after 0.1"),
    ("time repeats", csv_rows("time,x", ["0,1", "0,2"]), "Time must increase row after row: row 2"),
    ("time missing", csv_rows("time,x", ["0,1", ",2"]), "Row 2, column 'time'"),
    ("time not finite", csv_rows("time,x", ["0,1", "inf,2"]), "the time is not a finite number"),
    ("text later", csv_rows("time,x", ["0,1", *[f"{i},2" for i in range(1, 900)], "900,oops"]), "'oops' is not a"),
    ("ragged", csv_rows("time,x,y", ["0,1,2", "1,2"]), "Row 2 has 2 cells; the header has 3"),
    ("too many channels", csv_rows("time," + ",".join(f"c{i}" for i in range(257)), []), "257 channels; at most 256"),
    ("duplicate names", csv_rows("time,x,x", ["0,1,2", "1,1,2"]), "Two channels have the same name"),
    ("one row", csv_rows("time,x", ["0,1"]), "needs at least two rows"),
    ("a day and more", csv_rows("time,x", ["0,1", "90000,2"]), "spans 90,000 s; at most 86,400 s"),
    (
        "parquet strings",
        media.sensor_parquet(label=np.array(["a"] * 50)),
        "Column 'label' is string; a sensor series holds only numeric channels",
    ),
    ("parquet truncated", media.sensor_parquet()[:-40], "The Parquet file cannot be read"),
    ("parquet no time", media.sensor_parquet()[:4] + b"\x00" * 100, "The Parquet file cannot be read"),
]


@pytest.mark.parametrize(("case", "data", "reason"), SENSOR_HOSTILE, ids=[h[0] for h in SENSOR_HOSTILE])
def test_hostile_sensor_series_are_refused_with_a_reason(tmp_path, case, data, reason) -> None:
    assert reason in refused(tmp_path, data, "sensor")


def test_parquet_time_going_backwards_is_refused(tmp_path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = io.BytesIO()
    pq.write_table(pa.table({"t": [0.0, 0.2, 0.1], "x": [1.0, 2.0, 3.0]}), out)
    assert "row 3 has 0.1 after 0.2" in refused(tmp_path, out.getvalue(), "sensor")


def test_rows_past_the_limit_are_refused(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(probe_sensor, "MAX_SAMPLES", 30)
    assert "more than 30 rows" in refused(tmp_path, media.sensor_csv(rows=50), "sensor")
    assert "50 rows; at most 30" in refused(tmp_path, media.sensor_parquet(rows=50), "sensor")


# Hostile and broken files: models -----------------------------------------------------------------------------

MODEL_HOSTILE = [
    (
        "external buffer",
        media.gltf_cube(buffers__0__uri="cube.bin"),
        "The model points outside itself",
    ),
    (
        "http buffer",
        media.gltf_cube(buffers__0__uri="https://example.com/cube.bin"),
        "buffers[0].uri = 'https://example.com/cube.bin'",
    ),
    (
        "parent path",
        media.gltf_cube(buffers__0__uri="../../etc/passwd"),
        "buffers[0].uri = '../../etc/passwd'",
    ),
    ("external image", media.glb_cube(images=[{"uri": "file:///etc/hosts"}]), "images[0].uri = 'file:///etc/hosts'"),
    ("chunk past the end", media.glb_with_chunk_length(media.glb_cube(), 10**9), "claims 1,000,000,000 bytes, past"),
    ("truncated glb", media.glb_cube()[:-8], "The GLB header says the file is"),
    (
        "count past the buffer",
        media.glb_cube(accessors__1__count=1_000_000),
        "accessors[1] needs 12,000,000 bytes (1,000,000 x 12 bytes) but bufferViews[1] holds 96",
    ),
    ("view past the buffer", media.glb_cube(bufferViews__3__byteLength=4096), "bufferViews[3] ends at byte"),
    ("buffer larger than data", media.gltf_cube(buffers__0__byteLength=10**6), "buffers[0] declares 1,000,000 bytes"),
    ("no position bounds", media.glb_cube(accessors__1__min=None), "the POSITION accessor's min must be 3 finite"),
    ("negative count", media.glb_cube(accessors__0__count=-5), "accessors[0].count must be a whole number"),
    ("node cycle", media.glb_cube(nodes__1__children=[0]), "loops back on itself"),
    ("two parents", media.glb_cube(nodes__0__children=[1, 1]), "two parents or is its own child"),
    ("not json", b"{ this is not json", "The glTF JSON cannot be read"),
    ("gltf 1", b'{"asset": {"version": "1.0"}}', "Only glTF 2.0 is accepted"),
]


@pytest.mark.parametrize(("case", "data", "reason"), MODEL_HOSTILE, ids=[h[0] for h in MODEL_HOSTILE])
def test_hostile_models_are_refused_with_a_reason(tmp_path, case, data, reason) -> None:
    assert reason in refused(tmp_path, data, "model")


def test_vertices_past_the_limit_are_refused(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(probe_model, "MAX_VERTICES", 7)
    assert "more than 7 vertices" in refused(tmp_path, media.glb_cube(), "model")


# Through ingestion --------------------------------------------------------------------------------------------

THROUGH_INGESTION = [
    ("absurd.bvh", bvh_with("Frames: 10", "Frames: 999999999"), "application/x-bvh", "claims 999,999,999 frames"),
    ("fake.bvh", b"just some words\n", "application/x-bvh", "does not start with HIERARCHY, so it is not a BVH"),
    ("fake.c3d", media.png(), "application/x-c3d", "The bytes are image/png, but it was uploaded as"),
    ("outside.gltf", media.gltf_cube(buffers__0__uri="https://example.com/a.bin"), "model/gltf+json", "outside"),
    ("cut.glb", media.glb_cube()[:-8], "model/gltf-binary", "The GLB header says the file is"),
    ("imu.csv", csv_rows("time,x", ["0,1", "0.2,2", "0.1,3"]), "text/csv", "Time must increase"),
    ("table.parquet", media.sensor_csv(), "application/vnd.apache.parquet", "The bytes are text, but it was"),
]


@pytest.mark.parametrize(
    ("name", "data", "claimed", "reason"), THROUGH_INGESTION, ids=[h[0] for h in THROUGH_INGESTION]
)
def test_hostile_files_are_marked_failed_through_ingestion(client_for, admin, project, name, data, claimed, reason):
    bad = upload(client_for(admin), project, name, data, claimed, item="bad")
    assert bad.status == "failed"
    assert reason in bad.failure_reason
    assert bad.sha256 == "" and bad.preview_key == ""


def test_a_text_csv_over_the_text_limit_is_refused(client_for, admin, project, monkeypatch) -> None:
    monkeypatch.setitem(media_rules.MAX_BYTES, "text", 100)
    notes = b"name,comment\n" + b"Ann,fine\n" * 20
    bad = upload(client_for(admin), project, "notes.csv", notes, "text/csv")
    assert bad.status == "failed"
    assert "text files may be at most 100 bytes (a larger CSV is taken only as a sensor series" in bad.failure_reason
    assert bad.kind == "text"
