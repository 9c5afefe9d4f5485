"""One clock per item: each timed file's offset (set by the admin until work starts) and the anchors on it.

Anchors are checked against the task's files: time ranges on the item's clock or on one timed track, a joint of a
motion take at a frame, a joint or a point of a 3D model, a point on an image.
"""

from __future__ import annotations

from typing import Any

import pytest

from annotations.domain import work as rules
from annotations.domain.output_spec import parse
from annotations.models import AuditEvent, MediaFile
from annotations.services.tasks import tasks_generate
from tests.api.test_auth import error
from tests.factories import ItemFactory, MediaFileFactory, OrganizationFactory, UserFactory, published_project

pytestmark = pytest.mark.django_db

BVH_PROBE = {
    "format": "bvh",
    "frames": 120,
    "frame_rate": 30.0,
    "duration_seconds": 4.0,
    "joints": ["Hips", "Spine", "Head", "LeftHand"],
    "parents": [-1, 0, 1, 1],
    "channels": 18,
}
MODEL_PROBE = {"format": "glb", "meshes": 1, "vertices": 8, "joints": ["Root", "Arm"], "animations": []}


def bundle(org: Any) -> tuple[Any, dict[str, Any]]:
    """A published project whose one item holds a video, its audio, the motion take, a model and a still."""
    project = published_project(items=0, organization=org)
    item: Any = ItemFactory(project=project, external_id="take-1")
    files = {
        "video": MediaFileFactory(item=item, name="take.mp4", kind="video", content_type="video/mp4"),
        "audio": MediaFileFactory(item=item, name="take.wav", kind="audio", content_type="audio/wav"),
        "motion": MediaFileFactory(
            item=item, name="take.bvh", kind="motion", content_type="application/x-bvh", probe=BVH_PROBE
        ),
        "model": MediaFileFactory(
            item=item, name="prop.glb", kind="model", content_type="model/gltf-binary", probe=MODEL_PROBE
        ),
        "image": MediaFileFactory(item=item, name="still.png"),
    }
    tasks_generate(project=project)
    return project, files


def offset(c: Any, project: Any, media: MediaFile, value: Any) -> Any:
    return c.patch(f"/api/v1/projects/{project.pk}/files/{media.pk}", {"offset_seconds": value}, format="json")


def test_an_admin_places_a_file_on_the_items_clock_and_it_is_recorded(client_for, admin, org) -> None:
    project, files = bundle(org)
    resp = offset(client_for(admin), project, files["motion"], 0.5)
    assert resp.status_code == 200, resp.content
    assert resp.json()["offset_seconds"] == 0.5 and resp.json()["kind"] == "motion"
    assert MediaFile.objects.get(pk=files["motion"].pk).offset_seconds == 0.5
    event = AuditEvent.objects.get(action="project.file_offset")
    assert event.data == {"file": files["motion"].pk, "name": "take.bvh", "offset_seconds": 0.5, "was": 0.0}
    # Kept to the millisecond; negative when the file began before the item.
    assert offset(client_for(admin), project, files["audio"], -1.23456).json()["offset_seconds"] == -1.235
    items = client_for(admin).get(f"/api/v1/projects/{project.pk}/items").json()["results"]
    assert {f["name"]: f["offset_seconds"] for f in items[0]["files"]}["take.bvh"] == 0.5


@pytest.mark.parametrize(
    ("value", "field_error"),
    [(3600.5, "less than or equal to 3600"), (-4000, "greater than or equal to -3600"), ("soon", "valid number")],
)
def test_an_offset_out_of_range_is_refused_and_changes_nothing(client_for, admin, org, value, field_error) -> None:
    project, files = bundle(org)
    resp = offset(client_for(admin), project, files["video"], value)
    assert field_error in " ".join(error(resp, 400, "invalid")["fields"]["offset_seconds"])
    assert MediaFile.objects.get(pk=files["video"].pk).offset_seconds == 0.0


def test_an_image_or_model_has_no_offset(client_for, admin, org) -> None:
    project, files = bundle(org)
    for name in ("image", "model"):
        resp = offset(client_for(admin), project, files[name], 1)
        fields = error(resp, 400, "invalid")["fields"]
        assert fields["offset_seconds"] == [f"A {files[name].kind} file has no place in time."]


def test_only_the_projects_admins_set_offsets(client_for, admin, reviewer, freelancer, org) -> None:
    project, files = bundle(org)
    assert offset(client_for(reviewer), project, files["audio"], 1).status_code == 403
    assert offset(client_for(freelancer), project, files["audio"], 1).status_code == 403
    # Another organisation's admin: the project does not exist for them.
    stranger = UserFactory(role="admin", organization=OrganizationFactory())
    assert offset(client_for(stranger), project, files["audio"], 1).status_code == 404
    _, other_files = bundle(org)
    # A file of another project through this project's address: not found, nothing changed.
    resp = client_for(admin).patch(
        f"/api/v1/projects/{project.pk}/files/{other_files['audio'].pk}", {"offset_seconds": 2}, format="json"
    )
    assert resp.status_code == 404
    assert MediaFile.objects.filter(offset_seconds__gt=0).count() == 0


def test_offsets_are_fixed_once_work_on_the_item_started(client_for, admin, freelancer, org) -> None:
    project, files = bundle(org)
    assert client_for(freelancer).post(f"/api/v1/projects/{project.pk}/claim").status_code == 201
    error(offset(client_for(admin), project, files["audio"], 2), 409, "offset_fixed")
    assert MediaFile.objects.get(pk=files["audio"].pk).offset_seconds == 0.0


def save_anchor(c: Any, cid: int, version: int, anchor: Any) -> Any:
    body = {"version": version, "intent": "", "notes": [{"id": "n1", "body": "Here.", "anchor": anchor}], "answers": {}}
    return c.put(f"/api/v1/contributions/{cid}/work", body, format="json")


def test_anchors_on_the_items_clock_a_joint_a_point_and_an_image_point_are_saved(client_for, freelancer, org) -> None:
    project, files = bundle(org)
    c = client_for(freelancer)
    cid = c.post(f"/api/v1/projects/{project.pk}/claim").json()["id"]
    contribution = c.get(f"/api/v1/contributions/{cid}").json()
    version = contribution["version"]
    assert {f["name"]: f["offset_seconds"] for f in contribution["files"]}["take.bvh"] == 0.0
    anchors = [
        {"type": "time", "start": 3.2, "end": 4.5},
        {"type": "time", "file": files["audio"].pk, "start": 0, "end": 1.5},
        {"type": "joint", "file": files["motion"].pk, "joint": "LeftHand", "frame": 96},
        {"type": "joint", "file": files["model"].pk, "joint": "Arm"},
        {"type": "point", "file": files["model"].pk, "position": [0.1, -2, 3.5]},
        {"type": "region", "file": files["image"].pk, "shape": "point", "points": [[0.25, 0.75]]},
    ]
    for anchor in anchors:
        resp = save_anchor(c, cid, version, anchor)
        assert resp.status_code == 200, (anchor, resp.content)
        version = resp.json()["version"]
        assert c.get(f"/api/v1/contributions/{cid}").json()["notes"][0]["anchor"] == anchor


@pytest.mark.parametrize(
    ("target", "anchor", "message"),
    [
        ("motion", {"type": "joint", "joint": "Tail", "frame": 1}, "The joint is not one of the file's joints."),
        ("motion", {"type": "joint", "joint": "Head", "frame": 120}, "at a frame from 0 to 119"),
        ("motion", {"type": "joint", "joint": "Head", "frame": -1}, "at a frame from 0 to 119"),
        ("motion", {"type": "joint", "joint": "Head", "frame": 1.5}, "at a frame from 0 to 119"),
        ("model", {"type": "joint", "joint": "Arm", "frame": 3}, "A joint of a 3D model has no frame."),
        ("model", {"type": "point", "position": [0, 0]}, "A point on a model is [x, y, z]"),
        ("model", {"type": "point", "position": [0, 1e9, 0]}, "A point on a model is [x, y, z]"),
        ("image", {"type": "point", "position": [0, 0, 0]}, "A point anchor goes on model files, not on image."),
        ("image", {"type": "region", "shape": "point", "points": [[0.1, 0.1], [0.2, 0.2]]}, "a point 1"),
        ("image", {"type": "time", "start": 0, "end": 1}, "A time anchor goes on audio or video or motion or sensor"),
        ("video", {"type": "time", "start": 2, "end": 1}, "A time range needs 0 <= start <= end."),
        ("audio", {"type": "region", "shape": "point", "points": [[0, 0]]}, "A region anchor goes on image files"),
    ],
)
def test_an_anchor_that_does_not_fit_its_file_is_refused(client_for, freelancer, org, target, anchor, message) -> None:
    project, files = bundle(org)
    c = client_for(freelancer)
    contribution = c.post(f"/api/v1/projects/{project.pk}/claim").json()
    resp = save_anchor(c, contribution["id"], contribution["version"], {**anchor, "file": files[target].pk})
    assert message in " ".join(error(resp, 400, "invalid")["fields"]["notes.0"])
    assert c.get(f"/api/v1/contributions/{contribution['id']}").json()["version"] == contribution["version"]


def test_a_range_on_the_items_clock_needs_a_timed_file() -> None:
    stills = {1: rules.FileFacts("image", {}), 2: rules.FileFacts("text", {})}
    assert rules.anchor_problems({"type": "time", "start": 0, "end": 1}, stills, set()) == [
        "A time range on the item's clock needs an audio, video, motion or sensor file in the task."
    ]
    sensor = {3: rules.FileFacts("sensor", {})}
    assert rules.anchor_problems({"type": "time", "start": 0, "end": 1}, sensor, set()) == []


def test_a_range_on_the_items_clock_counts_for_every_timed_kind_of_the_item() -> None:
    spec_field = {"key": "on_motion", "type": "anchors", "label": "On the take", "required": True, "min": 1}
    spec_field["modality"] = "motion"
    spec = parse({"version": 1, "fields": [spec_field]})
    kinds = {1: "video", 2: "motion", 3: "image"}
    ranged = [{"id": "a", "body": "x", "anchor": {"type": "time", "start": 0, "end": 1}}]
    on_image = [{"id": "a", "body": "x", "anchor": {"type": "region", "file": 3, "shape": "point", "points": [[0, 0]]}}]
    check = {"intent": "", "answers": {}, "drafts": [], "kinds_by_file": kinds}
    assert rules.submission_problems(spec, notes=ranged, **check) == {}  # type: ignore[arg-type]
    assert "answers.on_motion" in rules.submission_problems(spec, notes=on_image, **check)  # type: ignore[arg-type]


def test_a_stored_anchor_is_not_checked_again(client_for, freelancer, org) -> None:
    project, files = bundle(org)
    c = client_for(freelancer)
    contribution = c.post(f"/api/v1/projects/{project.pk}/claim").json()
    anchor = {"type": "joint", "file": files["motion"].pk, "joint": "Head", "frame": 3}
    version = save_anchor(c, contribution["id"], contribution["version"], anchor).json()["version"]
    # The take is re-probed with fewer frames: the saved note stays valid as saved (it was checked then).
    MediaFile.objects.filter(pk=files["motion"].pk).update(probe={**BVH_PROBE, "frames": 2})
    body = {
        "version": version,
        "intent": "Moving on",
        "notes": [{"id": "n1", "body": "Here.", "anchor": anchor}],
        "answers": {},
    }
    resp = c.put(f"/api/v1/contributions/{contribution['id']}/work", body, format="json")
    assert resp.status_code == 200, resp.content
