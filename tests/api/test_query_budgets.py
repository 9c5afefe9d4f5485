"""Query budgets of the frequent requests: what a freelancer's workspace, the marketplace, the bell, the review queue
and the export API ask over and over. A change that adds a query to one of them fails here, loudly; raise a budget
only with the reason in the commit (bench/bench_requests.py measures what each costs against healthz).

Counted as Django runs them, statements of the transaction included (here savepoints, since each test runs inside
a transaction; BEGIN and COMMIT in production). The session comes from the cache (cached_db), so it costs none."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from annotations.services.datasets import DatasetFields, dataset_create, version_build
from annotations.services.work import DraftInput, WorkState, contribution_claim_next, contribution_save, draft_create
from tests.datasets_support import RUBRIC, SPEC, approved_work, build_here, with_media_bytes
from tests.factories import UserFactory, published_project

pytestmark = pytest.mark.django_db

INTENT = "The harbour at dusk, in three tones of grey."


@pytest.fixture
def world(org: Any, admin: Any, reviewer: Any) -> dict[str, Any]:
    project = with_media_bytes(
        published_project(items=8, organization=org, output_spec=SPEC, rubric=RUBRIC, generative_tools_allowed=True)
    )
    for n in range(3):
        approved_work(project, reviewer, n)
    waiting = approved_work(project, reviewer, 7, approve=False)
    dataset = dataset_create(actor=admin, fields=DatasetFields(name="Q", project_ids=[project.pk], formats=["jsonl"]))
    version = build_here(version_build(actor=admin, dataset=dataset))
    fl: Any = UserFactory(role="freelancer")
    c = contribution_claim_next(actor=fl, project=project)
    image = c.task.item.files.filter(kind="image").get()
    anchor = {"type": "region", "file": image.pk, "shape": "rectangle", "points": [[0.1, 0.1], [0.5, 0.5]]}
    c = contribution_save(
        actor=fl,
        contribution_id=c.pk,
        base_version=c.version,
        state=WorkState(
            INTENT, [{"id": "n1", "body": "Kept the horizon low.", "anchor": anchor}], {"mood": "calm", "quality": 4}
        ),
    )
    for k in (1, 2):
        draft_create(
            actor=fl,
            contribution_id=c.pk,
            draft=DraftInput(client_key=f"budget-{k}", change_note="Pass", text="A text."),
        )
    c.refresh_from_db()
    clients = {}
    for name, user in {"freelancer": fl, "reviewer": reviewer, "admin": admin}.items():
        clients[name] = APIClient()
        clients[name].force_login(user)
    return {"project": project, "c": c, "anchor": anchor, "clients": clients, "waiting": waiting, "version": version}


def url(world: dict[str, Any], tail: str = "") -> str:
    return f"/api/v1/contributions/{world['c'].pk}{tail}"


def work_body(world: dict[str, Any], body: str) -> dict[str, Any]:
    c = world["c"]
    c.refresh_from_db()
    return {
        "version": c.version,
        "intent": INTENT,
        "notes": [{"id": "n1", "body": body, "anchor": world["anchor"]}],
        "answers": {"mood": "calm", "quality": 4},
    }


def test_autosave_reads_the_user_and_the_contribution_and_writes_once(world, django_assert_max_num_queries) -> None:
    fl = world["clients"]["freelancer"]
    body = work_body(world, "Kept the horizon lower still.")
    with django_assert_max_num_queries(3):  # the user; the contribution; one compare-and-set UPDATE
        assert fl.put(url(world, "/work"), body, format="json").status_code == 200


def test_activity_reads_the_user_and_the_contribution_and_writes_once(world, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(3):
        assert world["clients"]["freelancer"].post(url(world, "/activity")).status_code == 200


def test_a_contribution_is_read_once_and_unchanged_it_answers_304(world, django_assert_max_num_queries) -> None:
    fl = world["clients"]["freelancer"]
    with django_assert_max_num_queries(6):  # the user, the validator, the contribution, drafts, reviews, files
        first = fl.get(url(world))
    assert first.status_code == 200
    with django_assert_max_num_queries(2):  # the user and the validator
        again = fl.get(url(world), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["ETag"] == first["ETag"]


def test_a_claim_is_one_short_transaction(world, django_assert_max_num_queries) -> None:
    fresh: Any = UserFactory(role="freelancer")
    client = APIClient()
    client.force_login(fresh)
    # The user, the project, the profile; in the transaction (2 statements) the task in progress or a revision,
    # the open slot, its update, the contribution, the audit row.
    with django_assert_max_num_queries(10) as queries:
        assert client.post(f"/api/v1/projects/{world['project'].pk}/claim").status_code == 201
    # Nothing that grows with the project: the project's read used to count its items (a join over every item) and
    # decode its texts and specs on every claim.
    project_read = next(q["sql"] for q in queries.captured_queries if 'FROM "annotations_project"' in q["sql"])
    assert "annotations_item" not in project_read and "COUNT(" not in project_read.upper()
    assert '"instructions"' not in project_read and '"output_spec"' not in project_read


def test_the_polled_and_paged_reads(world, django_assert_max_num_queries) -> None:
    clients, v = world["clients"], world["version"]
    with django_assert_max_num_queries(5):  # the user, the profile, the projects; reputation only where required
        assert clients["freelancer"].get("/api/v1/marketplace").status_code == 200
    with django_assert_max_num_queries(2):
        assert clients["freelancer"].get("/api/v1/notifications/unread-count").status_code == 200
    with django_assert_max_num_queries(3):
        assert clients["freelancer"].get("/api/v1/me/earnings").status_code == 200
    with django_assert_max_num_queries(4):  # the user, the two-factor policy, the count, the page
        assert clients["reviewer"].get("/api/v1/review/queue").status_code == 200
    records = f"/api/v1/datasets/{v.dataset_id}/versions/{v.number}/records"
    with django_assert_max_num_queries(3):
        assert clients["admin"].get(records).status_code == 200


def test_the_writes_of_a_task(world, django_assert_max_num_queries) -> None:
    fl, c = world["clients"]["freelancer"], world["c"]
    draft = {"client_key": "budget-3", "change_note": "Pushed the contrast.", "text": "A third text."}
    with django_assert_max_num_queries(9):
        assert fl.post(url(world, "/drafts"), draft, format="json").status_code == 201
    c.refresh_from_db()
    submit = {"version": c.version, "tools": ["pencil"], "generative_tools_used": False, "attested": True}
    with django_assert_max_num_queries(SUBMIT):
        assert fl.post(url(world, "/submit"), submit, format="json").status_code == 200
    decision = {"decision": "approve", "scores": {"craft": 3}, "reason": ""}
    with django_assert_max_num_queries(DECISION):
        assert world["clients"]["reviewer"].post(url(world, "/review"), decision, format="json").status_code == 200


def test_giving_a_task_back(world, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(GIVE_BACK):
        assert world["clients"]["freelancer"].post(url(world, "/return")).status_code == 200


# The task's rarer writes, each in one transaction with its audit row: submit checks the output spec, fixes the
# content hash and tells the project's webhooks; approval also fingerprints the text (one range scan per LSH band),
# signs the provenance manifest, posts the earning, and notifies by bell and mail; giving back answers the whole
# contribution. Each answers the contribution read once more after its transaction.
SUBMIT, DECISION, GIVE_BACK = 15, 52, 12
