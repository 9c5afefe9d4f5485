"""Media links answer HTTP Range requests, so browsers can seek audio and video (issue 13, defect 4).

Every route that hands out media gives a link: the embedded mode's signed `/api/v1/media/local/<token>`, or a
presigned GET on the S3 API server. Both are checked here, each from every kind of route that issues links: task
media in the workspace, a project's items for its staff, a draft file for its author, the portfolio's image drafts
(the owner's and the public page's, whose route redirects to such a link), a dataset version's files.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
import requests
from django.test import Client

from annotations.domain.ranges import ByteRange, Unsatisfiable, requested_range
from annotations.models import MediaFile
from annotations.providers.storage import object_storage
from annotations.services.datasets import DatasetFields, dataset_create, version_build
from tests import media
from tests.datasets_support import RUBRIC, SPEC, approved_work, build_here, with_media_bytes
from tests.factories import MediaFileFactory, published_project

pytestmark = pytest.mark.django_db

CLIP = media.wav()


def fetch(url: str, range_header: str | None = None) -> tuple[int, dict[str, str], bytes]:
    """GET a media link as a browser would (S3 links over HTTP, embedded ones through Django)."""
    if url.startswith("http"):
        got = requests.get(url, headers={"Range": range_header} if range_header else {}, timeout=10)
        return got.status_code, {k.lower(): v for k, v in got.headers.items()}, got.content
    resp = Client().get(url, headers={"Range": range_header} if range_header else None)
    body = b"".join(resp.streaming_content) if resp.streaming else resp.content  # type: ignore[attr-defined]
    return resp.status_code, {k.lower(): v for k, v in resp.headers.items()}, body


@pytest.fixture
def clip_project(org: Any) -> Any:
    """A published project whose one item holds a real audio clip in storage."""
    project = published_project(items=1, organization=org)
    item = project.items.get()
    clip: Any = MediaFileFactory(
        item=item,
        name="clip.wav",
        kind="audio",
        content_type="audio/wav",
        storage_key=f"test/{item.pk}/clip.wav",
        size_bytes=len(CLIP),
        sha256=hashlib.sha256(CLIP).hexdigest(),
        probe={"duration_seconds": 0.5},
    )
    object_storage().put(clip.storage_key, CLIP, "audio/wav")
    return project


def _task_media_link(client_for: Any, freelancer: Any, admin: Any, project: Any) -> tuple[str, bytes]:
    c = client_for(freelancer)
    cid = c.post(f"/api/v1/projects/{project.pk}/claim").json()["id"]
    files = c.get(f"/api/v1/contributions/{cid}").json()["files"]
    return next(f["download_url"] for f in files if f["name"] == "clip.wav"), CLIP


def _item_link(client_for: Any, freelancer: Any, admin: Any, project: Any) -> tuple[str, bytes]:
    items = client_for(admin).get(f"/api/v1/projects/{project.pk}/items").json()["results"]
    return next(f["download_url"] for f in items[0]["files"] if f["name"] == "clip.wav"), CLIP


def _draft_link(client_for: Any, freelancer: Any, admin: Any, project: Any) -> tuple[str, bytes]:
    from tests.test_ingestion import post_file

    c = client_for(freelancer)
    cid = c.post(f"/api/v1/projects/{project.pk}/claim").json()["id"]
    ticket = c.post(
        f"/api/v1/contributions/{cid}/draft-uploads",
        {"name": "take.wav", "size_bytes": len(CLIP), "content_type": "audio/wav"},
        format="json",
    ).json()
    assert post_file(ticket, CLIP, "audio/wav", Client()) in (200, 201, 204)
    body = {"client_key": "range-draft", "change_note": "A first take", "upload_token": ticket["upload_token"]}
    saved = c.post(f"/api/v1/contributions/{cid}/drafts", body, format="json")
    assert saved.status_code == 201, saved.json()
    return saved.json()["download_url"], CLIP


def _dataset_link(client_for: Any, admin: Any, reviewer: Any) -> tuple[str, bytes]:
    source = with_media_bytes(
        published_project(items=1, organization=admin.organization, output_spec=SPEC, rubric=RUBRIC)
    )
    approved_work(source, reviewer, 1)
    dataset = dataset_create(actor=admin, fields=DatasetFields(name="Ranges", project_ids=[source.pk]))
    version = build_here(version_build(actor=admin, dataset=dataset))
    files = client_for(admin).get(f"/api/v1/datasets/{dataset.pk}/versions/{version.number}/files").json()
    shard = next(f for f in files if f["format"] != "meta")
    data = b"".join(
        object_storage().chunks(version.shards.get(format=shard["format"], index=shard["index"]).storage_key)
    )
    return shard["url"], data


def _portfolio_links(client_for: Any, freelancer: Any, admin: Any) -> tuple[str, str]:
    """The owner's link to an image draft, and the public page's (a redirect to a metadata-free copy)."""
    from annotations.services.portfolio import portfolio_publish
    from tests.factories import UserFactory
    from tests.test_portfolio_images import work_with_image

    reviewer: Any = UserFactory(role="reviewer", organization=admin.organization)
    source = with_media_bytes(
        published_project(items=1, organization=admin.organization, output_spec=SPEC, rubric=RUBRIC)
    )
    work_with_image(source, freelancer, reviewer, image=media.png(400, 300), name="p.png", content_type="image/png")
    token = portfolio_publish(actor=freelancer, public=True).portfolio_token
    mine = client_for(freelancer).get("/api/v1/me/portfolio").json()["contributions"][0]["drafts"][1]["image_url"]
    public = Client().get(f"/api/v1/portfolios/{token}").json()["contributions"][0]["drafts"][1]["image_url"]
    return mine, Client().get(public)["Location"]


def _portfolio_link(client_for: Any, freelancer: Any, admin: Any, project: Any) -> tuple[str, bytes]:
    return _portfolio_links(client_for, freelancer, admin)[0], media.png(400, 300)


def _public_portfolio_link(client_for: Any, freelancer: Any, admin: Any, project: Any) -> tuple[str, bytes]:
    url = _portfolio_links(client_for, freelancer, admin)[1]
    return url, fetch(url)[2]


SOURCES = {
    "task media": _task_media_link,
    "project items": _item_link,
    "draft file": _draft_link,
    "portfolio image": _portfolio_link,
    "public portfolio image": _public_portfolio_link,
}


@pytest.mark.parametrize("source", list(SOURCES))
def test_media_links_serve_byte_ranges(storage_mode, source, client_for, freelancer, admin, clip_project) -> None:
    url, data = SOURCES[source](client_for, freelancer, admin, clip_project)
    size = len(data)
    status, headers, body = fetch(url)
    assert (status, body) == (200, data)
    assert headers["accept-ranges"] == "bytes" and int(headers["content-length"]) == size

    first, last = size // 4, size // 2
    status, headers, body = fetch(url, f"bytes={first}-{last}")
    assert (status, headers["content-range"], body) == (206, f"bytes {first}-{last}/{size}", data[first : last + 1])
    assert int(headers["content-length"]) == last - first + 1

    status, headers, body = fetch(url, f"bytes={size - 10}-")  # open-ended: to the end
    assert (status, headers["content-range"], body) == (206, f"bytes {size - 10}-{size - 1}/{size}", data[-10:])

    status, headers, body = fetch(url, "bytes=-64")  # a suffix: the last 64 bytes
    assert (status, headers["content-range"], body) == (206, f"bytes {size - 64}-{size - 1}/{size}", data[-64:])

    status, headers, body = fetch(url, f"bytes={size - 5}-{size + 500}")  # past the end: clipped
    assert (status, headers["content-range"], body) == (206, f"bytes {size - 5}-{size - 1}/{size}", data[-5:])

    status, headers, body = fetch(url, f"bytes={size}-")  # starts past the end
    assert status == 416
    if storage_mode == "local":  # S3 servers (moto, AWS) send no Content-Range with their 416
        assert headers["content-range"] == f"bytes */{size}"
        assert json.loads(body)["error"]["code"] == "range_not_satisfiable"


def test_dataset_file_links_serve_byte_ranges(storage_mode, client_for, admin, reviewer) -> None:
    url, data = _dataset_link(client_for, admin, reviewer)
    status, headers, body = fetch(url, "bytes=0-511")
    assert (status, headers["content-range"], body) == (206, f"bytes 0-511/{len(data)}", data[:512])


def test_embedded_media_ignore_what_they_cannot_serve_as_one_range(client_for, freelancer, admin, clip_project) -> None:
    url, data = _task_media_link(client_for, freelancer, admin, clip_project)
    for header in ("bytes=0-9,20-29", "items=0-9", "bytes=9-0", "nonsense"):
        status, headers, body = fetch(url, header)
        assert (status, body, headers["accept-ranges"]) == (200, data, "bytes"), header
    status, headers, body = fetch(url, "bytes=0-0")
    assert (status, body, headers["content-range"]) == (206, data[:1], f"bytes 0-0/{len(data)}")
    resp = Client().get(url, HTTP_RANGE="bytes=0-99", HTTP_IF_RANGE='"not-this-file"')  # changed since: all of it
    assert resp.status_code == 200 and b"".join(resp.streaming_content) == data  # type: ignore[attr-defined]
    assert MediaFile.objects.filter(name="clip.wav").count() == 1


@pytest.mark.parametrize(
    ("header", "size", "expected"),
    [
        (None, 10, None),
        ("bytes=0-4", 10, ByteRange(0, 4)),
        ("bytes=5-", 10, ByteRange(5, 9)),
        ("bytes=-3", 10, ByteRange(7, 9)),
        ("bytes=-30", 10, ByteRange(0, 9)),
        ("bytes=8-100", 10, ByteRange(8, 9)),
        ("BYTES = 1 - 2", 10, ByteRange(1, 2)),
        ("bytes=0-1,4-5", 10, None),
        ("bytes=-", 10, None),
        ("bytes=4-2", 10, None),
        ("pages=1-2", 10, None),
    ],
)
def test_requested_range(header, size, expected) -> None:
    assert requested_range(header, size) == expected


@pytest.mark.parametrize(("header", "size"), [("bytes=10-", 10), ("bytes=-0", 10), ("bytes=0-", 0), ("bytes=-5", 0)])
def test_unsatisfiable_ranges(header, size) -> None:
    with pytest.raises(Unsatisfiable):
        requested_range(header, size)
