"""Bulk import from a CSV/JSONL manifest or an S3 prefix, against the real S3 API server and the local store."""

from __future__ import annotations

import json
from typing import Any

import pytest

from annotations.domain.manifest import import_root
from annotations.models import AuditEvent, Item, MediaFile
from annotations.providers.storage import object_storage
from annotations.services.ingestion import media_file_ingest
from tests import media
from tests.api.test_auth import error
from tests.factories import OrganizationFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(admin: Any) -> Any:
    return ProjectFactory(organization=admin.organization, modalities=["image", "audio", "text"])


def put(project: Any, key: str, data: bytes, content_type: str = "application/octet-stream") -> str:
    full = import_root(project.organization.slug) + key
    object_storage().put(full, data, content_type)
    return full


def imports(client: Any, project: Any, body: dict[str, Any]) -> Any:
    return client.post(f"/api/v1/projects/{project.pk}/imports", body)


def ingest_all(project: Any) -> dict[str, MediaFile]:
    for pk in MediaFile.objects.filter(project=project, status="pending").values_list("pk", flat=True):
        media_file_ingest(media_file_id=pk)
    return {m.name: m for m in MediaFile.objects.filter(project=project).select_related("item")}


def test_csv_manifest_groups_files_into_items_and_ingests_them(client_for, admin, project, storage_mode) -> None:
    put(project, "batch/a.png", media.png())
    put(project, "batch/a.wav", media.wav())
    put(project, "batch/b-notes.txt", b"A reference text.\n")
    manifest = "key,item\nbatch/a.png,scene-1\nbatch/a.wav,scene-1\nbatch/b-notes.txt,\n"
    resp = imports(client_for(admin), project, {"manifest": manifest, "format": "csv"})
    assert resp.status_code == 201, resp.json()
    body = resp.json()
    assert body == {
        "import_root": f"imports/{project.organization.slug}/",
        "created": 3,
        "already_imported": 0,
        "skipped_count": 0,
        "skipped": [],
    }
    files = ingest_all(project)
    assert {n: (m.status, m.item.external_id) for n, m in files.items()} == {
        "a.png": ("ready", "scene-1"),
        "a.wav": ("ready", "scene-1"),
        "b-notes.txt": ("ready", "b-notes"),
    }
    assert files["a.png"].probe["width"] > 0 and files["a.png"].preview_key
    assert files["a.wav"].size_bytes == len(media.wav())
    event = AuditEvent.objects.get(action="project.assets_imported")
    assert event.data == {"source": "manifest:csv", "created": 3, "already_imported": 0, "skipped": 0}


def test_importing_the_same_jsonl_manifest_twice_changes_nothing(client_for, admin, project, storage_mode) -> None:
    key = put(project, "one.png", media.png())
    lines = [{"key": "one.png", "item": "x"}, {"key": key, "item": "x"}]
    c = client_for(admin)
    bad = imports(c, project, {"manifest": "\n".join(json.dumps(line) for line in lines), "format": "jsonl"})
    assert error(bad, 400, "invalid_manifest")["fields"] == {"rows.2": ["The same key is on row 1."]}
    manifest = json.dumps(lines[0]) + "\n\n"
    assert imports(c, project, {"manifest": manifest, "format": "jsonl"}).json()["created"] == 1
    again = imports(c, project, {"manifest": manifest, "format": "jsonl"})
    assert (again.json()["created"], again.json()["already_imported"]) == (0, 1)
    assert MediaFile.objects.filter(project=project).count() == 1 and Item.objects.filter(project=project).count() == 1


BAD_MANIFESTS = [
    ("csv", "name\nx.png\n", "manifest", "Columns found: name."),
    ("csv", "key\na.png\n../other-org/secret.png\n", "rows.2", "The key has empty, '.' or '..' segments."),
    ("csv", "key\na.png\nbatch//b.png\n", "rows.2", "The key has empty, '.' or '..' segments."),
    ("csv", "key\na.png\nrun.exe\n", "rows.2", "is not an accepted media type"),
    ("csv", "key\na.png\nbad\\name.png\n", "rows.2", "control characters or backslashes"),
    ("jsonl", '{"key": "a.png"}\n{not json}\n', "rows.2", "Not JSON"),
    ("jsonl", '{"key": "a.png"}\n["b.png"]\n', "rows.2", "Each line must be an object"),
    ("jsonl", '{"key": "a.png"}\n{"key": 5}\n', "rows.2", "Each line must be an object"),
    ("jsonl", "\n\n", "manifest", "Add one row per file."),
]


@pytest.mark.parametrize(("fmt", "text", "field", "message"), BAD_MANIFESTS)
def test_a_bad_manifest_is_refused_whole_and_changes_nothing(client_for, admin, project, fmt, text, field, message):
    put(project, "a.png", media.png())
    body = error(imports(client_for(admin), project, {"manifest": text, "format": fmt}), 400, "invalid_manifest")
    assert any(message in m for m in body["fields"][field]), body
    assert not MediaFile.objects.exists() and not Item.objects.exists()
    assert not AuditEvent.objects.filter(action="project.assets_imported").exists()


def test_a_manifest_naming_a_missing_object_fails_that_file_only(client_for, admin, project, storage_mode) -> None:
    put(project, "here.png", media.png())
    resp = imports(client_for(admin), project, {"manifest": "key\nhere.png\ngone.png\n", "format": "csv"})
    assert resp.json()["created"] == 2
    files = ingest_all(project)
    assert files["here.png"].status == "ready"
    assert (files["gone.png"].status, files["gone.png"].failure_reason) == (
        "failed",
        "Nothing is stored under this key: the upload never arrived or the manifest names a missing object.",
    )


def test_prefix_import_makes_an_item_per_folder_and_skips_what_is_not_media(
    client_for, admin, project, storage_mode
) -> None:
    put(project, "shoot/scene-1/still.png", media.png())
    put(project, "shoot/scene-1/room.wav", media.wav())
    put(project, "shoot/loose.txt", b"Loose text.\n")
    exe = put(project, "shoot/tool.exe", b"MZ\x90\x00")
    put(project, "shootout/not-this.png", media.png())  # a sibling folder with the same beginning
    c = client_for(admin)
    resp = imports(c, project, {"prefix": "shoot/"})
    assert resp.status_code == 201, resp.json()
    body = resp.json()
    assert (body["created"], body["skipped"]) == (
        3,
        [{"key": exe, "reason": "Not an accepted media type (judged by its extension)."}],
    )
    files = ingest_all(project)
    assert {n: (m.status, m.item.external_id) for n, m in files.items()} == {
        "still.png": ("ready", "scene-1"),
        "room.wav": ("ready", "scene-1"),
        "loose.txt": ("ready", "loose"),
    }
    assert imports(c, project, {"prefix": "shoot"}).json()["already_imported"] == 3
    error(imports(c, project, {"prefix": "empty/"}), 400, "empty_prefix")
    assert error(imports(c, project, {"prefix": "../x"}), 400, "invalid")["fields"]["prefix"]


def test_an_object_belongs_to_one_project(client_for, admin, project, storage_mode) -> None:
    put(project, "shared.png", media.png())
    other: Any = ProjectFactory(organization=admin.organization)
    c = client_for(admin)
    assert imports(c, project, {"prefix": ""}).json()["created"] == 1
    body = imports(c, other, {"manifest": "key\nshared.png\n", "format": "csv"}).json()
    assert body["created"] == 0 and "Already imported into project" in body["skipped"][0]["reason"]
    assert not MediaFile.objects.filter(project=other).exists()


def test_only_the_projects_admins_import(client_for, api, admin, reviewer, freelancer, project) -> None:
    body = {"manifest": "key\na.png\n", "format": "csv"}
    error(imports(client_for(reviewer), project, body), 403, "permission_denied")
    error(imports(client_for(freelancer), project, body), 403, "permission_denied")
    stranger = UserFactory(role="admin", organization=OrganizationFactory())
    error(imports(client_for(stranger), project, body), 404, "not_found")
    error(imports(api, project, body), 401, "not_authenticated")
    assert (
        client_for(reviewer).get(f"/api/v1/projects/{project.pk}/imports").json()["import_root"].startswith("imports/")
    )
    assert not MediaFile.objects.exists()


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"manifest": "key\na.png\n"}, "invalid", "format"),
        ({"manifest": "key\na.png\n", "format": "csv", "prefix": "x"}, "invalid", "manifest"),
        ({}, "invalid", "manifest"),
        ({"manifest": "key\na.png\n", "format": "xml"}, "invalid", "format"),
        ({"prefix": "x", "extra": 1}, "unknown_fields", "extra"),
    ],
)
def test_the_import_request_says_what_is_wrong(client_for, admin, project, body, code, field) -> None:
    assert field in error(imports(client_for(admin), project, body), 400, code)["fields"]
    assert not MediaFile.objects.exists()
