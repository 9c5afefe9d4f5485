"""The export API: defining datasets (with clear 4xx), building, progress, manifest, card, downloads, the JSONL
record stream with cursors, `since` and ETags, tokens with export:read, tenant isolation, rate limits."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
import requests
import zstandard
from django.test import Client

from annotations.models import Contribution, Dataset, DatasetVersion
from annotations.selectors.datasets import record_id
from annotations.services.tokens import api_token_create
from tests.api.test_auth import error
from tests.datasets_support import RUBRIC, SPEC, approved_work, build_here, with_media_bytes
from tests.factories import OrganizationFactory, UserFactory, published_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(org: Any) -> Any:
    return with_media_bytes(published_project(items=6, organization=org, output_spec=SPEC, rubric=RUBRIC))


@pytest.fixture
def built(admin: Any, reviewer: Any, project: Any, client_for: Any) -> tuple[int, list[Contribution]]:
    work = [approved_work(project, reviewer, n * 3 + 1) for n in range(5)]  # n*3+1: no generative tools
    body = {"name": "Harbour", "project_ids": [project.pk], "formats": ["jsonl", "parquet"], "shard_size": 2}
    dataset_id = client_for(admin).post("/api/v1/datasets", body, format="json").json()["id"]
    build_here(DatasetVersion.objects.get(pk=_build(client_for(admin), dataset_id)["__pk"]))
    return dataset_id, work


def _build(c: Any, dataset_id: int) -> dict[str, Any]:
    resp = c.post(f"/api/v1/datasets/{dataset_id}/versions")
    assert resp.status_code == 202, resp.json()
    body = dict(resp.json())
    body["__pk"] = DatasetVersion.objects.get(dataset_id=dataset_id, number=body["number"]).pk
    return body


def test_defining_a_dataset_checks_every_field(client_for, admin, reviewer, project) -> None:
    c = client_for(admin)
    elsewhere: Any = OrganizationFactory()
    other_org_project = published_project(items=1, organization=elsewhere)
    bad = c.post(
        "/api/v1/datasets",
        {
            "name": " ",
            "project_ids": [project.pk, other_org_project.pk],
            "filters": {"min_review_score": 2, "modalities": ["smell"], "colour": "red"},
            "formats": ["csv"],
            "shard_size": 0,
            "compression": "rar",
        },
        format="json",
    )
    fields = error(bad, 400, "invalid")["fields"]
    assert set(fields) == {
        "name",
        "project_ids",
        "filters",
        "filters.min_review_score",
        "filters.modalities",
        "formats",
        "shard_size",
        "compression",
    }
    assert not Dataset.objects.exists()
    error(
        client_for(reviewer).post("/api/v1/datasets", {"name": "x", "project_ids": [project.pk]}, format="json"),
        403,
        "permission_denied",
    )
    made = c.post("/api/v1/datasets", {"name": "Harbour", "project_ids": [project.pk]}, format="json")
    assert made.status_code == 201, made.json()
    assert made.json()["formats"] == ["jsonl"] and made.json()["filters"]["include_unreviewed"] is False
    error(
        c.post("/api/v1/datasets", {"name": "Harbour", "project_ids": [project.pk]}, format="json"),
        409,
        "duplicate_name",
    )
    # Nothing approved yet: a build is refused with the reason.
    error(c.post(f"/api/v1/datasets/{made.json()['id']}/versions"), 409, "empty")
    assert not DatasetVersion.objects.exists()
    patched = c.patch(f"/api/v1/datasets/{made.json()['id']}", {"formats": ["parquet", "jsonl"]}, format="json")
    assert patched.status_code == 200 and patched.json()["formats"] == ["jsonl", "parquet"]


def test_a_build_reports_progress_and_only_one_runs_at_a_time(client_for, admin, reviewer, project) -> None:
    approved_work(project, reviewer, 1)
    c = client_for(admin)
    dataset_id = c.post("/api/v1/datasets", {"name": "H", "project_ids": [project.pk]}, format="json").json()["id"]
    queued = _build(c, dataset_id)
    assert (queued["state"], queued["progress"], queued["number"]) == ("queued", 0.0, 1)
    error(c.post(f"/api/v1/datasets/{dataset_id}/versions"), 409, "build_running")
    error(c.get(f"/api/v1/datasets/{dataset_id}/versions/1/card"), 409, "not_built")
    build_here(DatasetVersion.objects.get(pk=queued["__pk"]))
    done = c.get(f"/api/v1/datasets/{dataset_id}/versions/1").json()
    assert (done["state"], done["progress"], done["record_count"]) == ("built", 1.0, 1)
    assert done["manifest"]["shards"][0]["sha256"] and done["manifest"]["schema_version"] == 1
    error(c.post(f"/api/v1/datasets/{dataset_id}/versions/1/cancel"), 409, "conflict")


def test_manifest_card_and_downloads(client_for, admin, built, project) -> None:
    dataset_id, work = built
    c = client_for(admin)
    listed = c.get(f"/api/v1/datasets/{dataset_id}/versions").json()["results"]
    assert [v["number"] for v in listed] == [1]
    card = c.get(f"/api/v1/datasets/{dataset_id}/versions/1/card")
    assert card["Content-Type"].startswith("text/markdown") and b"# Harbour, version 1" in card.content
    assert c.get(f"/api/v1/datasets/{dataset_id}/versions/1/card?format=json").json()["records"] == 5
    files = c.get(f"/api/v1/datasets/{dataset_id}/versions/1/files").json()
    shards = [f for f in files if f["format"] == "jsonl"]
    assert [f["records"] for f in shards] == [2, 2, 1]
    assert {f["path"] for f in files if f["format"] == "meta"} == {"manifest.json", "card.md", "card.json", "keys.json"}
    first = shards[0]
    url = first["url"]
    body = (
        requests.get(url, timeout=30).content
        if url.startswith("http")
        else b"".join(Client().get(url).streaming_content)  # type: ignore[attr-defined]
    )

    assert hashlib.sha256(body).hexdigest() == first["sha256"]
    assert first["path"].endswith(".jsonl.zst")  # zstd unless the dataset asks otherwise
    lines = zstandard.ZstdDecompressor().stream_reader(body).read().decode().splitlines()
    assert [json.loads(x)["record_id"] for x in lines] == [record_id(w.pk) for w in work[:2]]


def read_stream(c: Any, url: str) -> tuple[list[dict[str, Any]], Any]:
    resp = c.get(url)
    assert resp.status_code == 200, resp.content
    assert resp["Content-Type"] == "application/x-ndjson"
    body = b"".join(resp.streaming_content).decode()
    return [json.loads(line) for line in body.splitlines()], resp


def test_the_record_stream_pages_with_cursors_and_syncs_incrementally(client_for, admin, built) -> None:
    dataset_id, work = built
    c = client_for(admin)
    base = f"/api/v1/datasets/{dataset_id}/versions/1/records"
    seen: list[dict[str, Any]] = []
    url = f"{base}?limit=2"
    pages = 0
    while url:
        records, resp = read_stream(c, url)
        seen += records
        pages += 1
        cursor = resp.get("X-Next-Cursor")
        url = f"{base}?limit=2&cursor={cursor}" if cursor else ""
    assert pages == 3 and [r["record_id"] for r in seen] == [record_id(w.pk) for w in work]
    # An incremental sync from the approval time of the second record gets the three after it, in order.
    since = seen[1]["approved_at"]
    later, _ = read_stream(c, f"{base}?since={since}")
    assert [r["record_id"] for r in later] == [r["record_id"] for r in seen[2:]]
    # A page of a built version never changes: its ETag answers If-None-Match with 304.
    _, first = read_stream(c, f"{base}?limit=2")
    again = c.get(f"{base}?limit=2", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    error(c.get(f"{base}?cursor=bm90LWEtY3Vyc29y"), 400, "invalid")
    error(c.get(f"{base}?limit=5000"), 400, "invalid")
    error(c.get(f"{base}?since=yesterday"), 400, "invalid")


def test_tokens_need_export_read_and_see_only_their_organisation(api, admin, built) -> None:
    dataset_id, _ = built
    reader = api_token_create(user=admin, name="pipeline", scopes=["export:read"], expires_in_days=None).raw
    writer = api_token_create(user=admin, name="poster", scopes=["projects:write"], expires_in_days=None).raw
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {reader}")
    assert api.get(f"/api/v1/datasets/{dataset_id}/versions/1").status_code == 200
    records, _ = read_stream(api, f"/api/v1/datasets/{dataset_id}/versions/1/records")
    assert len(records) == 5
    error(api.post(f"/api/v1/datasets/{dataset_id}/versions"), 403, "insufficient_scope")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {writer}")
    error(api.get(f"/api/v1/datasets/{dataset_id}/versions/1/records"), 403, "insufficient_scope")
    stranger: Any = UserFactory(role="admin", organization=OrganizationFactory())
    theirs = api_token_create(user=stranger, name="x", scopes=["export:read"], expires_in_days=None).raw
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {theirs}")
    error(api.get(f"/api/v1/datasets/{dataset_id}"), 404, "not_found")
    error(api.get(f"/api/v1/datasets/{dataset_id}/versions/1/records"), 404, "not_found")
    assert api.get("/api/v1/datasets").json()["results"] == []


def test_export_reads_are_rate_limited_per_token(api, admin, built, settings) -> None:
    dataset_id, _ = built
    settings.EXPORT_RATE_LIMIT = "3/minute"
    raw = api_token_create(user=admin, name="pipeline", scopes=["export:read"], expires_in_days=None).raw
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    url = f"/api/v1/datasets/{dataset_id}/versions/1"
    assert [api.get(url).status_code for _ in range(3)] == [200, 200, 200]
    limited = api.get(url)
    assert limited.status_code == 429 and limited.json()["error"]["status"] == 429
    assert "Retry-After" in limited


def test_freelancers_and_reviewers_cannot_define_or_build(client_for, freelancer, reviewer, built) -> None:
    dataset_id, _ = built
    error(client_for(freelancer).get("/api/v1/datasets"), 403, "permission_denied")
    error(client_for(freelancer).get(f"/api/v1/datasets/{dataset_id}/versions/1/records"), 403, "permission_denied")
    assert client_for(reviewer).get(f"/api/v1/datasets/{dataset_id}").status_code == 200
    error(client_for(reviewer).post(f"/api/v1/datasets/{dataset_id}/versions"), 403, "permission_denied")
