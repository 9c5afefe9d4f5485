"""Quality control end to end through the API: gold items mixed into claims and scored, reputation from reviews
and gold, and the reviewer's flags for near-duplicate images and copied intents."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from PIL import Image, ImageDraw

from annotations.domain.quality import gold_turn
from annotations.models import Contribution, Draft, GoldItem, NearDuplicate
from annotations.services.quality import draft_fingerprint
from tests.api.test_auth import error
from tests.factories import OrganizationFactory, UserFactory, published_project
from tests.test_ingestion import post_file

pytestmark = pytest.mark.django_db

SPEC = {
    "version": 1,
    "fields": [
        {"key": "intent", "type": "intent", "label": "Intent", "required": True},
        {"key": "mood", "type": "choice", "label": "Mood", "required": True, "options": ["calm", "tense"]},
        {"key": "quality", "type": "rating", "label": "Quality", "required": True, "min": 1, "max": 5},
    ],
}
RUBRIC = [{"key": "craft", "label": "Craft", "max": 4}]
INTENT = "A quiet harbour at dawn, the boats still asleep."


@pytest.fixture
def project(org: Any) -> Any:
    # One item turns gold below; the other 21 are enough ordinary work for every freelancer the tests bring.
    return published_project(items=22, replicas=1, organization=org, output_spec=SPEC, rubric=RUBRIC)


def claim(c: Any, project: Any) -> dict[str, Any]:
    resp = c.post(f"/api/v1/projects/{project.pk}/claim")
    assert resp.status_code in (200, 201), resp.json()
    return dict(resp.json())


def submit(c: Any, cid: int, answers: dict[str, Any], intent: str = INTENT) -> None:
    saved = c.put(
        f"/api/v1/contributions/{cid}/work",
        {"version": 1, "intent": intent, "notes": [], "answers": answers},
        format="json",
    )
    assert saved.status_code == 200, saved.json()
    body = {"version": 2, "tools": [], "generative_tools_used": False, "attested": True}
    done = c.post(f"/api/v1/contributions/{cid}/submit", body, format="json")
    assert done.status_code == 200, done.json()


def item_of(cid: int) -> int:
    return int(Contribution.objects.get(pk=cid).task.item_id)


def test_admins_set_gold_items_with_checked_answers(client_for, admin, reviewer, project) -> None:
    ac = client_for(admin)
    item = project.items.order_by("id").first()
    url = f"/api/v1/projects/{project.pk}/gold"
    bad = ac.post(url, {"item_id": item.pk, "answers": {"mood": "happy", "colour": "red"}}, format="json")
    assert set(error(bad, 400, "invalid")["fields"]) == {"answers.mood", "answers.colour"}
    error(ac.post(url, {"item_id": item.pk}, format="json"), 400, "invalid")
    error(ac.post(url, {"item_id": 10**9, "answers": {"mood": "calm"}}, format="json"), 400, "invalid")
    assert not GoldItem.objects.exists()
    made = ac.post(url, {"item_id": item.pk, "answers": {"mood": "calm", "quality": 4}}, format="json")
    assert made.status_code == 201, made.json()
    assert made.json() | {"created_at": None} == {
        "item_id": item.pk,
        "external_id": item.external_id,
        "answers": {"mood": "calm", "quality": 4},
        "source_contribution_id": None,
        "created_at": None,
        "served": 0,
        "checked": 0,
        "mean_score": None,
    }
    # Reviewers read the gold items; only admins change them; other organisations see nothing.
    assert [g["item_id"] for g in client_for(reviewer).get(url).json()] == [item.pk]
    error(
        client_for(reviewer).post(url, {"item_id": item.pk, "answers": {"mood": "tense"}}, format="json"),
        403,
        "permission_denied",
    )
    stranger = UserFactory(role="admin", organization=OrganizationFactory())
    error(client_for(stranger).get(url), 404, "not_found")
    error(client_for(stranger).delete(f"{url}/{item.pk}"), 404, "not_found")
    assert client_for(admin).get(f"/api/v1/projects/{project.pk}/progress").json()["gold_items"] == 1
    assert ac.delete(f"{url}/{item.pk}").status_code == 204
    error(ac.delete(f"{url}/{item.pk}"), 404, "not_found")
    assert not GoldItem.objects.exists()


def test_gold_items_are_served_at_the_rate_to_everyone_and_scored_at_submission(
    client_for, admin, reviewer, project
) -> None:
    ac = client_for(admin)
    gold_item = project.items.order_by("id").first()
    ac.post(
        f"/api/v1/projects/{project.pk}/gold",
        {"item_id": gold_item.pk, "answers": {"mood": "calm", "quality": 4}},
        format="json",
    )
    assert ac.patch(f"/api/v1/projects/{project.pk}", {"gold_rate": 50}, format="json").status_code == 200
    error(ac.patch(f"/api/v1/projects/{project.pk}", {"gold_rate": 80}, format="json"), 400, "invalid")
    served: dict[bool, list[tuple[Any, int]]] = {True: [], False: []}
    for _ in range(20):  # enough freelancers to meet both kinds of turn (fewer than two gold: p < 0.00003)
        fl: Any = UserFactory(role="freelancer")
        expected = gold_turn(settings.SECRET_KEY, fl.pk, project.pk, 0, 50)
        c = client_for(fl)
        cid = claim(c, project)["id"]
        assert (item_of(cid) == gold_item.pk) is expected
        served[expected].append((c, cid))
        if len(served[True]) >= 2 and served[False]:
            break
    assert len(served[True]) >= 2 and served[False]
    # The gold item went to several freelancers although the project asks for one per item; the ordinary
    # items' replica counts are untouched.
    assert len({item_of(cid) for _, cid in served[True]}) == 1
    progress = ac.get(f"/api/v1/projects/{project.pk}/progress").json()
    assert progress["tasks"] == 21 and progress["slots"]["in_progress"] == len(served[False])
    (c1, g1), (c2, g2) = served[True][:2]
    submit(c1, g1, {"mood": "calm", "quality": 5})  # within a point: both match
    submit(c2, g2, {"mood": "tense", "quality": 1})
    assert Contribution.objects.get(pk=g1).gold_score == 1.0
    assert Contribution.objects.get(pk=g2).gold_score == 0.0
    # The freelancer is told that a project checks with gold items (its rate), never which item or how they did.
    seen = str(c1.get(f"/api/v1/contributions/{g1}").json())
    assert "gold_score" not in seen and "known answers" not in seen
    queue = {q["id"]: q["flags"] for q in client_for(reviewer).get("/api/v1/review/queue").json()["results"]}
    assert "Gold item: 100% of the known answers matched." in queue[g1]
    assert "Gold item: 0% of the known answers matched." in queue[g2]
    listed = ac.get(f"/api/v1/projects/{project.pk}/gold").json()[0]
    assert (listed["checked"], listed["mean_score"]) == (2, 0.5)
    assert listed["served"] == len(served[True])


def test_an_approved_contribution_can_become_the_gold_standard(client_for, admin, reviewer, project) -> None:
    fl: Any = UserFactory(role="freelancer")
    c = client_for(fl)
    cid = claim(c, project)["id"]
    submit(c, cid, {"mood": "tense", "quality": 2})
    url = f"/api/v1/projects/{project.pk}/gold"
    error(client_for(admin).post(url, {"contribution_id": cid}, format="json"), 400, "invalid")  # not approved yet
    review = client_for(reviewer).post(f"/api/v1/contributions/{cid}/review", {"decision": "approve"}, format="json")
    assert review.status_code == 200
    both = {"contribution_id": cid, "item_id": item_of(cid), "answers": {"mood": "calm"}}
    error(client_for(admin).post(url, both, format="json"), 400, "invalid")
    made = client_for(admin).post(url, {"contribution_id": cid}, format="json")
    assert made.status_code == 201, made.json()
    assert (made.json()["item_id"], made.json()["answers"], made.json()["source_contribution_id"]) == (
        item_of(cid),
        {"mood": "tense", "quality": 2},
        cid,
    )


def test_reputation_combines_approval_rubric_scores_and_gold(client_for, admin, reviewer, project) -> None:
    fl: Any = UserFactory(role="freelancer")
    c = client_for(fl)
    rc = client_for(reviewer)
    for craft in (2, 3, 4):
        cid = claim(c, project)["id"]
        submit(c, cid, {"mood": "calm", "quality": 3})
        decided = rc.post(
            f"/api/v1/contributions/{cid}/review", {"decision": "approve", "scores": {"craft": craft}}, format="json"
        )
        assert decided.status_code == 200, decided.json()
    profile = c.get("/api/v1/me/profile").json()
    assert profile["reputation_detail"] == {
        "approval_rate": 1.0,
        "review_score": 0.75,
        "gold_accuracy": None,
        "reviewed": 3,
        "gold_checked": 0,
    }
    assert profile["reputation"] == 0.875
    # Two gold results (made directly: which claim is gold depends on the secret) bring gold accuracy in.
    first, *_, last = Contribution.objects.filter(freelancer=fl).order_by("id").values_list("pk", flat=True)
    Contribution.objects.filter(pk=first).update(gold_score=0.5)
    Contribution.objects.filter(pk=last).update(gold_score=0.0)
    again = c.get("/api/v1/me/profile").json()
    assert again["reputation_detail"]["gold_accuracy"] == 0.25
    assert again["reputation"] == round((1.0 + 0.75 + 0.25) / 3, 3)
    # The qualification reads the same number.
    strict = published_project(items=1, organization=project.organization, qualifications={"min_reputation": 0.7})
    error(c.post(f"/api/v1/projects/{strict.pk}/claim"), 403, "not_qualified")


def scene(shift: int = 0, seed: int = 0) -> Image.Image:
    img = Image.new("RGB", (320, 240), (235, 230, 220))
    d = ImageDraw.Draw(img)
    if seed == 0:
        d.rectangle((40 + shift, 40, 160 + shift, 200), fill=(30, 60, 140))
        d.ellipse((180, 60, 300, 180), fill=(200, 80, 40))
    else:
        d.polygon([(10, 230), (160, 10), (310, 230)], fill=(20, 120, 60))
        d.rectangle((0, 0, 60, 60), fill=(10, 10, 10))
    return img


def encoded(img: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    img.save(out, format=fmt, quality=70) if fmt == "JPEG" else img.save(out, format=fmt)
    return out.getvalue()


def image_draft(c: Any, cid: int, data: bytes, content_type: str, key: str) -> int:
    ticket = c.post(
        f"/api/v1/contributions/{cid}/draft-uploads",
        {"name": "frame." + content_type.split("/")[1], "size_bytes": len(data), "content_type": content_type},
        format="json",
    ).json()
    assert post_file(ticket, data, content_type, Client()) in (200, 201, 204)
    saved = c.post(
        f"/api/v1/contributions/{cid}/drafts",
        {"client_key": key, "change_note": "Composition", "upload_token": ticket["upload_token"]},
        format="json",
    )
    assert saved.status_code == 201, saved.json()
    return int(saved.json()["id"])


def test_near_duplicate_images_and_copied_intents_are_flagged_for_the_reviewer(
    client_for, reviewer, project, django_capture_on_commit_callbacks
) -> None:
    people = [client_for(UserFactory(role="freelancer")) for _ in range(3)]
    cids = [claim(c, project)["id"] for c in people]
    images = [
        encoded(scene(), "PNG"),
        encoded(scene(shift=4).resize((300, 225)), "JPEG"),  # the first, nudged, resized and re-encoded
        encoded(scene(seed=1), "PNG"),
    ]
    drafts = []
    for n, (c, cid, data) in enumerate(zip(people, cids, images, strict=True)):
        with django_capture_on_commit_callbacks() as sent:
            drafts.append(image_draft(c, cid, data, "image/jpeg" if n == 1 else "image/png", f"draft-key-{n:04d}"))
        assert len(sent) == 1  # the fingerprint task, sent once the draft is committed
        draft_fingerprint(draft_id=drafts[-1])  # what the worker then does, run here
    assert Draft.objects.filter(pk__in=drafts, phash__isnull=True).count() == 0
    pairs = list(NearDuplicate.objects.values_list("draft_id", "other_id"))
    assert pairs == [(drafts[1], drafts[0])]
    copied = "Long enough to be telling: the same forty-odd characters, twice."
    submit(people[0], cids[0], {"mood": "calm", "quality": 3})
    submit(people[1], cids[1], {"mood": "calm", "quality": 3}, intent=copied)
    submit(people[2], cids[2], {"mood": "calm", "quality": 3}, intent=copied)
    flags = {q["id"]: q["flags"] for q in client_for(reviewer).get("/api/v1/review/queue").json()["results"]}
    near = "An image draft is a near-duplicate (perceptual hash) of another submission's."
    same = "The intent statement is word for word the same as another submission's."
    assert near in flags[cids[0]] and near in flags[cids[1]] and near not in flags[cids[2]]
    assert same not in flags[cids[0]] and same in flags[cids[1]] and same in flags[cids[2]]
    # Flags inform; nothing was decided.
    assert set(Contribution.objects.filter(pk__in=cids).values_list("state", flat=True)) == {"submitted"}
