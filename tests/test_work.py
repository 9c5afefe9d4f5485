"""The freelancer's side through the API: marketplace, claim, autosave with versions, drafts, time, submit."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from annotations.domain import work as rules
from annotations.models import AuditEvent, Contribution, Draft, FreelancerProfile, MediaFile, Slot
from annotations.services.work import leases_expire
from tests.api.test_auth import error
from tests.factories import UserFactory, published_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(org: Any) -> Any:
    return published_project(items=3, replicas=2, organization=org)


def claim(c: Any, project: Any) -> Any:
    return c.post(f"/api/v1/projects/{project.pk}/claim")


def save(c: Any, cid: int, version: int, **changes: Any) -> Any:
    body = {"version": version, "intent": "", "notes": [], "answers": {}, **changes}
    return c.put(f"/api/v1/contributions/{cid}/work", body, format="json")


def text_draft(c: Any, cid: int, key: str, text: str, note: str = "First pass") -> Any:
    body = {"client_key": key, "change_note": note, "text": text, "what_failed": "The opening was flat."}
    return c.post(f"/api/v1/contributions/{cid}/drafts", body, format="json")


def test_marketplace_shows_pay_rate_and_work_left(client_for, freelancer, project) -> None:
    body = client_for(freelancer).get("/api/v1/marketplace").json()
    [listed] = body["results"]
    assert (listed["id"], listed["work_left"], listed["my_contribution_id"]) == (project.pk, 6, None)
    assert listed["effective_hourly_rate"] == {"amount": "24.00", "currency": "USD"}


def test_marketplace_hides_projects_the_freelancer_does_not_qualify_for(client_for, freelancer, org) -> None:
    published_project(organization=org, qualifications={"skills": ["foley"], "modalities": [], "min_reputation": 0})
    c = client_for(freelancer)
    assert c.get("/api/v1/marketplace").json()["count"] == 0
    FreelancerProfile.objects.filter(user=freelancer).update(skills=["foley", "writing"], modalities=["audio"])
    assert c.get("/api/v1/marketplace").json()["count"] == 1


def test_claim_gives_one_slot_with_a_lease_and_returns_the_same_one_again(client_for, freelancer, project) -> None:
    c = client_for(freelancer)
    first = claim(c, project)
    assert first.status_code == 201, first.json()
    body = c.get(f"/api/v1/contributions/{first.json()['id']}").json()
    assert body["state"] == "in_progress" and body["item"] == "item-001"
    lease = datetime.fromisoformat(body["lease_expires_at"])
    assert timedelta(minutes=44) < lease - timezone.now() <= timedelta(minutes=45)  # 3 x 15 minutes
    assert [f["name"] for f in body["files"]] == ["frame.png", "reference.txt"]
    assert all(f["download_url"] for f in body["files"])
    assert claim(c, project).json()["id"] == body["id"]  # one task at a time per project
    assert c.get("/api/v1/marketplace").json()["results"][0]["my_contribution_id"] == body["id"]


def test_a_freelancer_never_gets_the_same_item_twice(client_for, project) -> None:
    fay = client_for(UserFactory(role="freelancer"))
    items = []
    for _ in range(3):
        got = claim(fay, project).json()
        items.append(got["item"])
        assert fay.post(f"/api/v1/contributions/{got['id']}/return").json()["state"] == "returned"
    assert sorted(items) == ["item-001", "item-002", "item-003"]
    error(claim(fay, project), 409, "no_work_left")
    assert Slot.objects.filter(task__project=project, state="open").count() == 6


def test_autosave_is_versioned_and_a_stale_save_is_refused(client_for, freelancer, project) -> None:
    c = client_for(freelancer)
    cid = claim(c, project).json()["id"]
    first = save(c, cid, 1, intent="A lighthouse, seen from the rocks.")
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = error(save(c, cid, 1, intent="An older tab's text"), 409, "stale_version")
    assert stale["fields"] == {"version": ["2"]}
    assert Contribution.objects.get(pk=cid).intent == "A lighthouse, seen from the rocks."


def test_notes_keep_their_first_server_time_and_anchors_are_checked(client_for, freelancer, project) -> None:
    c = client_for(freelancer)
    body = c.get(f"/api/v1/contributions/{claim(c, project).json()['id']}").json()
    cid, image = body["id"], body["files"][0]["id"]
    region = {"type": "region", "file": image, "shape": "rectangle", "points": [[0.1, 0.1], [0.4, 0.5]]}
    saved = save(c, cid, 1, notes=[{"id": "n1", "body": "Horizon too low", "anchor": region}]).json()
    first_time = saved["notes"][0]["created_at"]
    again = save(c, cid, 2, notes=[*saved["notes"], {"id": "n2", "body": "Raised it", "anchor": None}]).json()
    assert again["notes"][0]["created_at"] == first_time
    other = MediaFile.objects.exclude(item__task=body["id"]).exclude(pk__in=[f["id"] for f in body["files"]]).first()
    assert other is not None
    bad = {"type": "region", "file": other.pk, "shape": "rectangle", "points": [[0, 0], [1, 1]]}
    err = error(save(c, cid, 3, notes=[{"id": "n3", "body": "x", "anchor": bad}]), 400, "invalid")
    assert err["fields"] == {"notes.0": ["The anchor names a file that is not part of this task."]}
    outside = {**region, "points": [[0.1, 0.1], [1.4, 0.5]]}
    assert (
        "notes.0"
        in error(save(c, cid, 3, notes=[{"id": "n3", "body": "x", "anchor": outside}]), 400, "invalid")["fields"]
    )
    huge = {**region, "quote": "x" * 5000}
    assert error(save(c, cid, 3, notes=[{"id": "n3", "body": "x", "anchor": huge}]), 400, "invalid")["fields"] == {
        "notes.0": ["An anchor takes at most 4,000 bytes."]
    }
    assert Contribution.objects.get(pk=cid).version == 3


def test_drafts_are_immutable_chained_and_a_replay_saves_once(client_for, freelancer, project) -> None:
    c = client_for(freelancer)
    cid = claim(c, project).json()["id"]
    one = text_draft(c, cid, "draft-key-0001", "Version one")
    assert one.status_code == 201
    assert text_draft(c, cid, "draft-key-0001", "Version one").status_code == 200  # the network replayed it
    two = text_draft(c, cid, "draft-key-0002", "Version two", note="Tightened").json()
    first = one.json()
    assert (first["sequence"], two["sequence"]) == (1, 2)
    assert two["previous_sha256"] == first["chain_sha256"] and first["previous_sha256"] == ""
    stored = Draft.objects.get(pk=two["id"])
    assert stored.chain_sha256 == rules.chain_hash(first["chain_sha256"], stored.content_sha256, 2, stored.created_at)
    assert Draft.objects.filter(contribution_id=cid).count() == 2


def test_time_on_task_counts_activity_not_idle_time(client_for, freelancer, project) -> None:
    c = client_for(freelancer)
    cid = claim(c, project).json()["id"]
    Contribution.objects.filter(pk=cid).update(last_activity_at=timezone.now() - timedelta(seconds=30))
    assert 29 <= c.post(f"/api/v1/contributions/{cid}/activity").json()["active_seconds"] <= 31
    Contribution.objects.filter(pk=cid).update(last_activity_at=timezone.now() - timedelta(hours=2))
    assert 29 <= c.post(f"/api/v1/contributions/{cid}/activity").json()["active_seconds"] <= 31  # idle: not counted


def test_expired_leases_return_to_the_pool_and_the_drafts_stay_visible(client_for, freelancer, project) -> None:
    c = client_for(freelancer)
    cid = claim(c, project).json()["id"]
    text_draft(c, cid, "draft-key-0001", "Kept")
    Slot.objects.filter(contributions=cid).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    assert leases_expire() == 1
    body = c.get(f"/api/v1/contributions/{cid}").json()
    assert body["state"] == "expired" and body["drafts"][0]["body"] == "Kept"
    assert all(f["download_url"] is None for f in body["files"])  # the task's media went with the lease
    error(save(c, cid, 1, intent="late"), 409, "lease_lost")
    assert AuditEvent.objects.filter(action="contribution.lease_expired").count() == 1
    assert Slot.objects.filter(task__project=project, state="open").count() == 6


def test_submission_is_checked_field_by_field_then_read_only(client_for, freelancer, project) -> None:
    c = client_for(freelancer)
    body = claim(c, project).json()
    cid = body["id"]
    submit = {"version": 1, "tools": ["Krita"], "generative_tools_used": False, "attested": False}
    err = error(c.post(f"/api/v1/contributions/{cid}/submit", submit, format="json"), 400, "incomplete")
    assert set(err["fields"]) == {"intent", "notes", "drafts", "attested"}
    save(c, cid, 1, intent="A lighthouse that feels lonely, not heroic.", notes=[{"id": "a", "body": "Cool palette"}])
    text_draft(c, cid, "draft-key-0001", "Sketch")
    generative = {**submit, "version": 2, "attested": True, "generative_tools_used": True}
    error(c.post(f"/api/v1/contributions/{cid}/submit", generative, format="json"), 400, "generative_not_allowed")
    done = c.post(f"/api/v1/contributions/{cid}/submit", {**submit, "version": 2, "attested": True}, format="json")
    assert done.status_code == 200, done.json()
    got = done.json()
    assert got["state"] == "submitted" and len(got["content_sha256"]) == 64
    assert got["chain_sha256"] == got["drafts"][-1]["chain_sha256"]
    assert Slot.objects.get(contributions=cid).state == "submitted"
    error(save(c, cid, 2, intent="changed"), 409, "read_only")
    error(text_draft(c, cid, "draft-key-0002", "more"), 409, "read_only")


def test_claims_stop_when_the_project_is_paused(client_for, freelancer, project) -> None:
    project.status = "paused"
    project.save()
    error(claim(client_for(freelancer), project), 404, "not_found")


def test_file_drafts_go_to_storage_by_presigned_post_and_keep_their_own_copy(
    client_for, freelancer, project, storage_mode
) -> None:
    import hashlib

    from django.test import Client

    from annotations.providers.storage import object_storage
    from tests import media
    from tests.test_ingestion import post_file

    c = client_for(freelancer)
    cid = claim(c, project).json()["id"]
    png = media.png()
    ticket = c.post(
        f"/api/v1/contributions/{cid}/draft-uploads",
        {"name": "../sketch.png", "size_bytes": len(png), "content_type": "image/png"},
        format="json",
    ).json()
    assert post_file(ticket, png, "image/png", Client()) in (200, 201, 204)
    body = {"client_key": "file-draft-01", "change_note": "Blocked in shapes", "upload_token": ticket["upload_token"]}
    saved = c.post(f"/api/v1/contributions/{cid}/drafts", body, format="json")
    assert saved.status_code == 201, saved.json()
    draft = saved.json()
    assert (draft["kind"], draft["name"], draft["content_sha256"]) == (
        "file",
        "sketch.png",
        hashlib.sha256(png).hexdigest(),
    )
    stored = Draft.objects.get(pk=draft["id"])
    assert b"".join(object_storage().chunks(stored.storage_key)) == png
    # The same token cannot make a second draft out of other bytes: the draft has its own copy.
    lying = c.post(
        f"/api/v1/contributions/{cid}/draft-uploads",
        {"name": "notes.png", "size_bytes": 11, "content_type": "image/png"},
        format="json",
    ).json()
    assert post_file(lying, b"hello world", "image/png", Client()) in (200, 201, 204)
    refused = c.post(
        f"/api/v1/contributions/{cid}/drafts",
        {"client_key": "file-draft-02", "change_note": "x", "upload_token": lying["upload_token"]},
        format="json",
    )
    assert "not what it claims" in str(error(refused, 400, "invalid")["fields"])
    assert Draft.objects.filter(contribution_id=cid).count() == 1
