"""Who may do what on the freelancer's side: every endpoint by (owner, other freelancer, reviewer, admin, anonymous).

The owner holds an active contribution. Other people's contributions answer 404, never 403, so their ids say
nothing; the project's reviewers and admins may read (for review) but never write a freelancer's work.
"""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from annotations.models import Contribution, Draft
from tests.factories import OrganizationFactory, UserFactory, published_project

pytestmark = pytest.mark.django_db

WHO = ("owner", "other_freelancer", "reviewer", "admin", "stranger_admin", "anonymous")

# (method, path, body, expected status by who)
MATRIX: list[tuple[str, str, dict[str, Any] | None, dict[str, int]]] = [
    ("get", "/api/v1/marketplace", None, dict(zip(WHO, (200, 200, 403, 403, 403, 401), strict=True))),
    ("get", "/api/v1/contributions", None, dict(zip(WHO, (200, 200, 403, 403, 403, 401), strict=True))),
    ("get", "/api/v1/contributions/{c}", None, dict(zip(WHO, (200, 404, 200, 200, 404, 401), strict=True))),
    (
        "put",
        "/api/v1/contributions/{c}/work",
        {"version": 1, "intent": "mine", "notes": [], "answers": {}},
        dict(zip(WHO, (200, 404, 404, 404, 404, 401), strict=True)),
    ),
    ("post", "/api/v1/contributions/{c}/activity", None, dict(zip(WHO, (200, 404, 404, 404, 404, 401), strict=True))),
    (
        "post",
        "/api/v1/contributions/{c}/draft-uploads",
        {"name": "a.png", "size_bytes": 10, "content_type": "image/png"},
        dict(zip(WHO, (201, 404, 404, 404, 404, 401), strict=True)),
    ),
    (
        "post",
        "/api/v1/contributions/{c}/drafts",
        {"client_key": "matrix-key-1", "change_note": "x", "text": "draft"},
        dict(zip(WHO, (201, 404, 404, 404, 404, 401), strict=True)),
    ),
    (
        "post",
        "/api/v1/contributions/{c}/submit",
        {"version": 1, "tools": [], "generative_tools_used": False, "attested": True},
        dict(zip(WHO, (400, 404, 404, 404, 404, 401), strict=True)),  # the owner's is incomplete: 400, not refused
    ),
    ("post", "/api/v1/contributions/{c}/return", None, dict(zip(WHO, (200, 404, 404, 404, 404, 401), strict=True))),
    ("post", "/api/v1/projects/{p}/claim", None, dict(zip(WHO, (201, 201, 403, 403, 403, 401), strict=True))),
    ("get", "/api/v1/projects/{p}/items", None, dict(zip(WHO, (404, 404, 200, 200, 404, 401), strict=True))),
]


@pytest.fixture
def world(org: Any) -> dict[str, Any]:
    project = published_project(items=2, replicas=2, organization=org)
    owner = UserFactory(role="freelancer")
    clients: dict[str, APIClient] = {}
    people: dict[str, Any] = {
        "owner": owner,
        "other_freelancer": UserFactory(role="freelancer"),
        "reviewer": UserFactory(role="reviewer", organization=org),
        "admin": UserFactory(role="admin", organization=org),
        "stranger_admin": UserFactory(role="admin", organization=OrganizationFactory()),
    }
    for name, user in people.items():
        clients[name] = APIClient()
        clients[name].force_login(user)
    clients["anonymous"] = APIClient()
    claimed = clients["owner"].post(f"/api/v1/projects/{project.pk}/claim")
    assert claimed.status_code == 201
    return {"project": project, "contribution": claimed.json()["id"], "clients": clients}


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize(("method", "path", "body", "expected"), MATRIX, ids=[f"{m} {p}" for m, p, _, _ in MATRIX])
def test_access_matrix(world, who, method, path, body, expected) -> None:
    cid = world["contribution"]
    before = (Contribution.objects.get(pk=cid).version, Draft.objects.count())
    url = path.format(c=cid, p=world["project"].pk)
    resp = (
        getattr(world["clients"][who], method)(url, body, format="json")
        if body
        else getattr(world["clients"][who], method)(url)
    )
    assert resp.status_code == expected[who], (who, resp.json())
    if resp.status_code >= 400:
        assert set(resp.json()) == {"error"}
        assert (Contribution.objects.get(pk=cid).version, Draft.objects.count()) == before  # nothing changed


def test_task_media_links_go_only_to_the_lease_holder_and_the_projects_staff(world) -> None:
    cid, clients = world["contribution"], world["clients"]
    for who in ("owner", "reviewer", "admin"):
        files = clients[who].get(f"/api/v1/contributions/{cid}").json()["files"]
        assert files and all(f["download_url"] and f["preview_url"] is None for f in files), who
    clients["owner"].post(f"/api/v1/contributions/{cid}/return")
    files = clients["owner"].get(f"/api/v1/contributions/{cid}").json()["files"]
    assert [f["download_url"] for f in files] == [None, None]  # returned: the drafts stay, the media links go


def test_a_freelancer_lists_only_their_own_contributions(world) -> None:
    mine = world["clients"]["owner"].get("/api/v1/contributions").json()
    theirs = world["clients"]["other_freelancer"].get("/api/v1/contributions").json()
    assert [c["id"] for c in mine["results"]] == [world["contribution"]] and theirs["count"] == 0


def test_api_tokens_cannot_act_as_a_freelancer_in_the_workspace(world) -> None:
    from annotations.models import User
    from annotations.services.tokens import api_token_create

    owner = User.objects.get(contributions=world["contribution"])
    created = api_token_create(user=owner, name="script", scopes=["projects:read"], expires_in_days=None)
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Bearer {created.raw}")
    assert c.get(f"/api/v1/contributions/{world['contribution']}").status_code == 403


@pytest.mark.parametrize("state", ["submitted", "approved"])
def test_the_author_keeps_read_only_media_of_submitted_and_approved_work(org, state) -> None:
    from django.test import Client

    from tests.datasets_support import RUBRIC, SPEC, approved_work, with_media_bytes

    reviewer: Any = UserFactory(role="reviewer", organization=org)
    project = with_media_bytes(published_project(items=2, organization=org, output_spec=SPEC, rubric=RUBRIC))
    owner: Any
    owner, other, stranger_admin = (
        UserFactory(role="freelancer"),
        UserFactory(role="freelancer"),
        UserFactory(role="admin", organization=OrganizationFactory()),
    )
    c = approved_work(project, reviewer, 1, freelancer=owner, approve=state == "approved")
    assert c.state == state
    clients: dict[str, APIClient] = {}
    for name, user in {"owner": owner, "other": other, "stranger_admin": stranger_admin}.items():
        clients[name] = APIClient()
        clients[name].force_login(user)

    files = clients["owner"].get(f"/api/v1/contributions/{c.pk}").json()["files"]
    assert files and all(f["download_url"] for f in files), files  # the notes' image is still there to see
    assert Client().get(files[0]["download_url"]).status_code == 200
    # Read-only: the work cannot be saved, and nobody else gains anything.
    before = Contribution.objects.get(pk=c.pk).version
    saved = clients["owner"].put(
        f"/api/v1/contributions/{c.pk}/work",
        {"version": before, "intent": "changed", "notes": [], "answers": {}},
        format="json",
    )
    assert saved.status_code == 409 and set(saved.json()) == {"error"}
    assert Contribution.objects.get(pk=c.pk).version == before
    for who in ("other", "stranger_admin"):
        assert clients[who].get(f"/api/v1/contributions/{c.pk}").status_code == 404, who


def test_rejected_work_keeps_its_drafts_but_not_the_task_media(org) -> None:
    from annotations.services.review import review_decide
    from tests.datasets_support import RUBRIC, SPEC, approved_work, with_media_bytes

    reviewer: Any = UserFactory(role="reviewer", organization=org)
    project = with_media_bytes(published_project(items=1, organization=org, output_spec=SPEC, rubric=RUBRIC))
    owner: Any = UserFactory(role="freelancer")
    c = approved_work(project, reviewer, 1, freelancer=owner, approve=False)
    review_decide(actor=reviewer, contribution_id=c.pk, decision="reject", reason="Off brief.", scores={"craft": 1})
    client = APIClient()
    client.force_login(owner)
    body = client.get(f"/api/v1/contributions/{c.pk}").json()
    assert body["state"] == "rejected" and [f["download_url"] for f in body["files"]] == [None, None]
    assert [d["sequence"] for d in body["drafts"]] == [1, 2]
