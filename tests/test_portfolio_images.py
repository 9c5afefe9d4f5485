"""Image drafts show as pictures in the portfolio (issue 13, defect 5): the owner sees the file itself, the public
page a re-encoded copy without the original's metadata (no EXIF, no location), and only of accepted work."""

from __future__ import annotations

import io
from typing import Any

import pytest
import requests
from django.core import signing
from django.test import Client
from PIL import Image

from annotations.models import Contribution, Draft, User
from annotations.providers.storage import object_storage
from annotations.services.portfolio import portfolio_publish
from annotations.services.review import review_decide
from annotations.services.work import (
    DRAFT_UPLOAD_SALT,
    DraftInput,
    WorkState,
    contribution_claim_next,
    contribution_save,
    contribution_submit,
    draft_create,
    draft_upload_request,
)
from tests import media
from tests.api.test_auth import error
from tests.datasets_support import RUBRIC, SPEC, with_media_bytes
from tests.factories import UserFactory, published_project

pytestmark = pytest.mark.django_db

PHOTO = media.jpeg_with_gps()


def work_with_image(
    project: Any,
    freelancer: User,
    reviewer: User | None,
    image: bytes = PHOTO,
    name: str = "harbour.jpg",
    content_type: str = "image/jpeg",
) -> Contribution:
    """A contribution with a text draft and a photo draft, submitted, and approved when a reviewer is given."""
    c = contribution_claim_next(actor=freelancer, project=project)
    saved = contribution_save(
        actor=freelancer,
        contribution_id=c.pk,
        base_version=c.version,
        state=WorkState(
            "The harbour at dusk, told in the one light left on the water.",
            [{"id": f"note-{c.pk}", "body": "Waited for the lamp to come on before shooting.", "anchor": None}],
            {"mood": "calm", "quality": 3},
        ),
    )
    draft_create(
        actor=freelancer,
        contribution_id=c.pk,
        draft=DraftInput(client_key=f"text-{c.pk}", change_note="Words first", text="Grey water, one light."),
    )
    ticket = draft_upload_request(
        actor=freelancer, contribution_id=c.pk, name=name, size_bytes=len(image), content_type=content_type
    )
    object_storage().put(signing.loads(ticket.token, salt=DRAFT_UPLOAD_SALT)["k"], image, content_type)
    draft_create(
        actor=freelancer,
        contribution_id=c.pk,
        draft=DraftInput(client_key=f"photo-{c.pk}", change_note="The photo", upload_token=ticket.token),
    )
    contribution_submit(
        actor=freelancer,
        contribution_id=c.pk,
        base_version=saved.version,
        tools=["camera"],
        generative_tools_used=False,
        attested=True,
    )
    if reviewer is not None:
        review_decide(actor=reviewer, contribution_id=c.pk, decision="approve", scores={"craft": 3})
    return Contribution.objects.get(pk=c.pk)


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    """Follow a link as a browser's <img> would (S3 links over HTTP, embedded ones and redirects through Django)."""
    if url.startswith("http"):
        got = requests.get(url, timeout=10)
        return got.status_code, {k.lower(): v for k, v in got.headers.items()}, got.content
    resp = Client().get(url)
    if resp.status_code == 302:
        return get(resp["Location"])
    body = b"".join(resp.streaming_content) if resp.streaming else resp.content  # type: ignore[attr-defined]
    return resp.status_code, {k.lower(): v for k, v in resp.headers.items()}, body


@pytest.fixture
def project(org: Any) -> Any:
    return with_media_bytes(published_project(items=3, organization=org, output_spec=SPEC, rubric=RUBRIC))


def test_the_owner_sees_image_drafts_as_images(storage_mode, client_for, reviewer, project) -> None:
    fay: Any = UserFactory(role="freelancer")
    work_with_image(project, fay, reviewer)
    drafts = client_for(fay).get("/api/v1/me/portfolio").json()["contributions"][0]["drafts"]
    text, photo = drafts
    assert (text["kind"], text["image_url"]) == ("text", None)
    assert photo["kind"] == "file" and photo["excerpt"] == "harbour.jpg" and photo["image_url"]
    status, headers, body = get(photo["image_url"])
    assert (status, headers["content-type"], body) == (200, "image/jpeg", PHOTO)  # the owner's own file


def test_the_public_page_shows_image_drafts_without_their_metadata(storage_mode, client_for, reviewer, project) -> None:
    fay: Any = UserFactory(role="freelancer")
    work_with_image(project, fay, reviewer)
    token = portfolio_publish(actor=fay, public=True).portfolio_token
    anonymous = Client()
    drafts = anonymous.get(f"/api/v1/portfolios/{token}").json()["contributions"][0]["drafts"]
    text, photo = drafts
    assert text["image_url"] is None
    assert photo["image_url"] == f"/api/v1/portfolios/{token}/drafts/{photo['id']}/image"
    assert photo["credentials"]["download_url"] is None  # the original stays the owner's to hand out
    status, headers, body = get(photo["image_url"])
    assert (status, headers["content-type"]) == (200, "image/webp")
    with Image.open(io.BytesIO(body)) as img:
        assert img.format == "WEBP" and img.size == (80, 60)
        assert not img.getexif() and "exif" not in img.info
    assert b"SpyCam" not in body and b"SpyCam" in PHOTO
    # Made once: a second look reuses the same copy.
    keys = [k for k, _ in object_storage().list_keys("portfolio/", 10)]
    assert get(photo["image_url"])[0] == 200 and [k for k, _ in object_storage().list_keys("portfolio/", 10)] == keys
    assert len(keys) == 1


def test_public_images_only_of_a_published_portfolios_accepted_work(client_for, reviewer, project) -> None:
    fay: Any = UserFactory(role="freelancer")
    other: Any = UserFactory(role="freelancer")
    approved = work_with_image(project, fay, reviewer)
    pending = work_with_image(project, fay, None)  # submitted, not accepted
    theirs = work_with_image(project, other, reviewer)
    token = portfolio_publish(actor=fay, public=True).portfolio_token
    portfolio_publish(actor=other, public=True)
    photo = Draft.objects.get(contribution=approved, kind="file")
    anonymous = Client()
    assert anonymous.get(f"/api/v1/portfolios/{token}/drafts/{photo.pk}/image").status_code == 302
    for draft in (
        Draft.objects.get(contribution=approved, kind="text"),  # not an image
        Draft.objects.get(contribution=pending, kind="file"),  # not accepted work
        Draft.objects.get(contribution=theirs, kind="file"),  # someone else's, under this link
    ):
        error(anonymous.get(f"/api/v1/portfolios/{token}/drafts/{draft.pk}/image"), 404, "not_found")
    error(anonymous.get(f"/api/v1/portfolios/not-a-token/drafts/{photo.pk}/image"), 404, "not_found")
    portfolio_publish(actor=fay, public=False)
    error(anonymous.get(f"/api/v1/portfolios/{token}/drafts/{photo.pk}/image"), 404, "not_found")
