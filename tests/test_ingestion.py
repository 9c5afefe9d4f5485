"""Uploads through presigned POSTs to the real S3 API server (and the embedded local store), then ingestion.

Hostile and broken files are each refused at the door or marked failed with a clear reason, and nothing else in
the project changes.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from annotations.models import AuditEvent, Item, MediaFile, Slot, Task
from annotations.providers.storage import object_storage
from annotations.services.ingestion import media_file_ingest
from tests import media
from tests.api.test_auth import error
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(admin: Any) -> Any:
    return ProjectFactory(organization=admin.organization, modalities=["image", "audio", "video", "text"])


def announce(client: Any, project: Any, *files: dict[str, Any]) -> Any:
    return client.post(f"/api/v1/projects/{project.pk}/uploads", {"files": list(files)})


def post_file(ticket: dict[str, Any], data: bytes, content_type: str, django_client: Client) -> int:
    """Do what the browser does: a multipart POST of the policy fields, then the file."""
    if ticket["url"].startswith("http"):
        sent = requests.post(
            ticket["url"], data=ticket["form_fields"], files={"file": ("f", data, content_type)}, timeout=30
        )
        return sent.status_code
    upload = SimpleUploadedFile("f", data, content_type=content_type)
    return django_client.post(ticket["url"], {**ticket["form_fields"], "file": upload}).status_code


def upload(client: Any, project: Any, name: str, data: bytes, content_type: str, item: str = "") -> MediaFile:
    """Announce, upload, confirm, ingest (the worker's part, run here in-process)."""
    resp = announce(
        client, project, {"name": name, "size_bytes": len(data), "content_type": content_type, "item": item}
    )
    assert resp.status_code == 201, resp.json()
    ticket = resp.json()["uploads"][0]
    assert post_file(ticket, data, content_type, Client()) in (200, 201, 204)
    done = client.post(f"/api/v1/projects/{project.pk}/uploads/complete", {"file_ids": [ticket["file_id"]]})
    assert done.status_code == 200, done.json()
    media_file_ingest(media_file_id=ticket["file_id"])
    return MediaFile.objects.get(pk=ticket["file_id"])


def test_good_files_of_every_kind_are_ingested_with_previews(client_for, admin, project, storage_mode) -> None:
    c = client_for(admin)
    image = upload(c, project, "photo.jpg", media.jpeg_with_gps(), "image/jpeg", item="scene-1")
    sound = upload(c, project, "take.wav", media.wav(), "audio/wav", item="scene-1")
    video = upload(c, project, "clip.mp4", media.mp4(), "video/mp4", item="scene-1")
    text = upload(c, project, "notes.md", "# Notes\nÀ bientôt\n".encode(), "text/markdown", item="scene-1")
    for m in (image, sound, video, text):
        assert m.status == "ready", m.failure_reason
    assert Item.objects.filter(project=project).count() == 1
    assert image.probe == {"width": 80, "height": 60, "format": "JPEG", "mode": "RGB", "frames": 1}
    assert sound.probe["duration_seconds"] == pytest.approx(0.5, abs=0.05)
    assert sound.probe["streams"][0]["sample_rate"] == 16000
    assert video.probe["streams"][0] | {"fps": 8.0} == {
        "type": "video",
        "codec": "h264",
        "width": 96,
        "height": 64,
        "fps": 8.0,
    }
    assert text.probe["characters"] == len("# Notes\nÀ bientôt\n")
    assert text.content_type == "text/markdown"
    preview = Image.open(io.BytesIO(b"".join(object_storage().chunks(image.preview_key))))
    assert preview.format == "WEBP"
    assert not preview.getexif()  # no camera make, no GPS
    assert object_storage().size_of(sound.preview_key) > 0 and object_storage().size_of(video.preview_key) > 0


def test_items_api_gives_short_lived_links(client_for, admin, project, storage_mode) -> None:
    c = client_for(admin)
    ready = upload(c, project, "a.png", media.png(), "image/png")
    event = AuditEvent.objects.get(action="project.assets_uploaded")
    assert (event.actor, event.data) == (admin, {"files": 1, "bytes": len(media.png())})
    body = c.get(f"/api/v1/projects/{project.pk}/items").json()
    file = body["results"][0]["files"][0]
    assert file["id"] == ready.pk and file["status"] == "ready"
    if storage_mode == "s3":
        assert "X-Amz-Expires=300" in file["download_url"]
        assert requests.get(file["preview_url"], timeout=10).status_code == 200
        got = requests.get(file["download_url"], timeout=10)
        assert (got.status_code, got.content) == (200, media.png())
    else:
        assert Client().get(file["preview_url"]).status_code == 200
        local = Client().get(file["download_url"])
        assert local.status_code == 200
        assert b"".join(local.streaming_content) == media.png()  # type: ignore[attr-defined]


HOSTILE = [
    ("truncated.png", media.truncated_png(), "image/png", "The image is broken or truncated"),
    (
        "bomb.png",
        media.png_claiming(50_000, 50_000),
        "image/png",
        "decompression bomb: the image claims 2,500,000,000 pixels",
    ),
    ("big.png", media.png_claiming(8_000, 8_000), "image/png", "decompression bomb: the image claims 8000x8000 pixels"),
    (
        "holiday.jpg",
        media.windows_executable(),
        "image/jpeg",
        "The bytes are application/x-msdownload, not the image/jpeg",
    ),
    ("song.wav", media.png(), "audio/wav", "The bytes are image/png, but it was uploaded as audio/wav."),
    ("notes.txt", b"\xff\xfe\x00\x00binary\x00\x01", "text/plain", "not the text/plain it was uploaded as"),
]


@pytest.mark.parametrize(("name", "data", "claimed", "reason"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_files_are_marked_failed_and_nothing_else_changes(
    client_for, admin, project, storage_mode, name, data, claimed, reason
) -> None:
    c = client_for(admin)
    good = upload(c, project, "good.png", media.png(), "image/png", item="good")
    before = list(MediaFile.objects.filter(pk=good.pk).values())
    bad = upload(c, project, name, data, claimed, item="bad")
    assert bad.status == "failed"
    assert reason in bad.failure_reason
    assert bad.sha256 == "" and bad.preview_key == ""
    assert list(MediaFile.objects.filter(pk=good.pk).values()) == before
    shown = c.get(f"/api/v1/projects/{project.pk}/items").json()["results"]
    assert {f["name"]: f["failure_reason"] for i in shown for f in i["files"]}[name] == bad.failure_reason


def test_duplicates_within_a_project_are_found_by_hash(client_for, admin, project, storage_mode) -> None:
    c = client_for(admin)
    first = upload(c, project, "one.png", media.png(), "image/png", item="a")
    second = upload(c, project, "two.png", media.png(), "image/png", item="b")
    assert first.status == "ready"
    assert second.status == "failed"
    assert second.failure_reason == "Duplicate of 'one.png' in item 'a' (same sha256)."
    other_project = ProjectFactory(organization=admin.organization)
    assert upload(c, other_project, "one.png", media.png(), "image/png").status == "ready"


def test_ingesting_twice_changes_nothing(client_for, admin, project, storage_mode) -> None:
    ready = upload(c := client_for(admin), project, "a.png", media.png(), "image/png")
    snapshot = list(MediaFile.objects.filter(pk=ready.pk).values())
    media_file_ingest(media_file_id=ready.pk)
    assert list(MediaFile.objects.filter(pk=ready.pk).values()) == snapshot
    assert c is not None


@pytest.mark.parametrize(
    ("file", "message"),
    [
        ({"name": "empty.png", "size_bytes": 0, "content_type": "image/png"}, "An empty file cannot be uploaded."),
        (
            {"name": "huge.png", "size_bytes": 51 * 1024**2, "content_type": "image/png"},
            "Image files may be at most 50 MiB.",
        ),
        (
            {"name": "run.exe", "size_bytes": 10, "content_type": "application/x-msdownload"},
            "application/x-msdownload is not accepted.",
        ),
        (
            {"name": "../\t/..", "size_bytes": 10, "content_type": "image/png"},
            "The file name is empty once path and control characters are removed.",
        ),
    ],
)
def test_refused_at_the_door(client_for, admin, project, file, message) -> None:
    err = error(announce(client_for(admin), project, file), 400, "invalid")
    assert err["fields"]["files.0"][0].startswith(message)
    assert not MediaFile.objects.exists() and not Item.objects.exists()


def test_names_with_paths_and_control_characters_are_cleaned(client_for, admin, project, storage_mode) -> None:
    m = upload(client_for(admin), project, "../../etc/pass\twd\x1b.png", media.png(), "image/png")
    assert m.name == "pass_wd_.png"
    assert ".." not in m.storage_key and "\x00" not in m.storage_key
    assert m.storage_key.startswith(f"projects/{project.pk}/items/")


def test_more_bytes_than_announced_never_become_ready(client_for, admin, project, storage_mode) -> None:
    c = client_for(admin)
    ticket = announce(c, project, {"name": "a.png", "size_bytes": 10, "content_type": "image/png"}).json()["uploads"][0]
    status = post_file(ticket, media.png(), "image/png", Client())
    done = c.post(f"/api/v1/projects/{project.pk}/uploads/complete", {"file_ids": [ticket["file_id"]]})
    # A server that enforces the policy refuses it; one that does not (moto) stores it, and completion then
    # finds the size differs. Either way it never goes on to ingestion.
    err = error(done, 400, "upload_incomplete")
    expected = (
        "a.png: not uploaded yet." if status >= 400 else f"a.png: {len(media.png())} bytes arrived, 10 were announced."
    )
    assert err["fields"] == {str(ticket["file_id"]): [expected]}
    assert MediaFile.objects.get(pk=ticket["file_id"]).status == "uploading"


def test_a_stored_type_that_differs_from_the_policy_is_never_served(client_for, admin, project, storage_mode) -> None:
    c = client_for(admin)
    data = media.png()
    ticket = announce(c, project, {"name": "a.png", "size_bytes": len(data), "content_type": "image/png"}).json()[
        "uploads"
    ][0]
    status = post_file(ticket, data, "text/html", Client())
    if status >= 400:
        return  # the server enforced the policy
    # moto stores it as text/html: the download link still serves the type ingestion found, never HTML.
    c.post(f"/api/v1/projects/{project.pk}/uploads/complete", {"file_ids": [ticket["file_id"]]})
    media_file_ingest(media_file_id=ticket["file_id"])
    link = c.get(f"/api/v1/projects/{project.pk}/items").json()["results"][0]["files"][0]["download_url"]
    assert link.startswith("http")  # only S3 servers that ignore the policy get here
    assert requests.get(link, timeout=10).headers["Content-Type"] == "image/png"


def test_confirming_before_uploading_reports_the_file(client_for, admin, project, storage_mode) -> None:
    c = client_for(admin)
    ticket = announce(c, project, {"name": "a.png", "size_bytes": 10, "content_type": "image/png"}).json()["uploads"][0]
    err = error(
        c.post(f"/api/v1/projects/{project.pk}/uploads/complete", {"file_ids": [ticket["file_id"]]}),
        400,
        "upload_incomplete",
    )
    assert "not uploaded yet" in err["fields"][str(ticket["file_id"])][0]


def test_a_published_project_gets_tasks_for_new_ready_items(client_for, admin, project, storage_mode) -> None:
    c = client_for(admin)
    upload(c, project, "a.png", media.png(), "image/png")
    project.replicas_per_item = 2
    project.save()
    assert c.post(f"/api/v1/projects/{project.pk}/transitions", {"action": "publish"}).status_code == 200
    assert Task.objects.filter(project=project).count() == 1
    upload(c, project, "b.png", media.png(colour=(0, 0, 255)), "image/png")
    assert Task.objects.filter(project=project).count() == 2
    assert Slot.objects.filter(task__project=project).count() == 4
    progress = c.get(f"/api/v1/projects/{project.pk}/progress").json()
    assert progress == {
        "files": {"uploading": 0, "pending": 0, "ready": 2, "failed": 0},
        "items": {"total": 2, "ready": 2, "failed": 0, "waiting": 0},
        "tasks": 2,
        "gold_items": 0,
        "slots": {"open": 4, "in_progress": 0, "submitted": 0, "approved": 0},
    }


@pytest.mark.parametrize("who", ["reviewer", "freelancer"])
def test_only_admins_upload(request, client_for, project, who) -> None:
    resp = announce(
        client_for(request.getfixturevalue(who)),
        project,
        {"name": "a.png", "size_bytes": 10, "content_type": "image/png"},
    )
    assert resp.status_code in (403, 404)
    assert not MediaFile.objects.exists()


def test_local_endpoints_are_closed_when_s3_is_in_use(s3_storage, api) -> None:
    error(api.get("/api/v1/media/local/anything"), 404, "not_found")
