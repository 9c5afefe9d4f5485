"""Qualification exams through the API: staff build them from gold items and require them on projects; a
freelancer sees the exam on the marketplace card, is refused claims until they pass, takes it (resuming an open
attempt), fails, waits the retry delay, passes and claims. Exact status and body; bad input changes nothing."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from annotations.models import AuditEvent, ExamAttempt, ExamItem, Project, QualificationExam
from annotations.services.quality import gold_item_set
from tests.api.test_auth import error
from tests.datasets_support import SPEC
from tests.factories import OrganizationFactory, UserFactory, published_project

pytestmark = pytest.mark.django_db

KNOWN = [{"mood": "calm", "quality": 4}, {"mood": "tense", "quality": 2}, {"mood": "calm", "quality": 1}]


@pytest.fixture
def project(org: Any, admin: Any) -> Project:
    p = published_project(items=4, organization=org, output_spec=SPEC)
    for item, answers in zip(p.items.order_by("id"), KNOWN, strict=False):
        gold_item_set(actor=admin, project_id=p.pk, item_id=item.pk, answers=answers)
    return p


@pytest.fixture
def item_ids(project: Project) -> list[int]:
    return list(project.gold_items.order_by("item_id").values_list("item_id", flat=True))


@pytest.fixture
def exam(client_for: Any, admin: Any, project: Project, item_ids: list[int]) -> dict[str, Any]:
    c = client_for(admin)
    body = {"title": "Mood basics", "instructions": "Rate *carefully*.", "pass_mark": "0.6", "item_ids": item_ids}
    created = c.post("/api/v1/exams", body, format="json")
    assert created.status_code == 201, created.json()
    required = c.patch(f"/api/v1/projects/{project.pk}", {"required_exam_id": created.json()["id"]}, format="json")
    assert required.status_code == 200 and required.json()["required_exam_id"] == created.json()["id"]
    return dict(created.json())


def right(item_ids: list[int], n: int) -> dict[str, dict[str, Any]]:
    """Answers with the first n items right and the rest wrong."""
    out = {}
    for i, (item, known) in enumerate(zip(item_ids, KNOWN, strict=True)):
        out[str(item)] = dict(known) if i < n else {"mood": "tense" if known["mood"] == "calm" else "calm"}
    return out


def test_staff_see_the_exam_with_its_items_and_answers(client_for, admin, reviewer, exam, item_ids, project) -> None:
    for who in (admin, reviewer):
        body = client_for(who).get(f"/api/v1/exams/{exam['id']}").json()
        assert body["title"] == "Mood basics" and body["pass_mark"] == 0.6 and body["retry_delay_hours"] == 24
        assert body["instructions_html"] == "<p>Rate <em>carefully</em>.</p>"
        assert [i["item_id"] for i in body["items"]] == item_ids and body["items"][0]["answers"] == KNOWN[0]
        assert body["required_by"] == [project.pk] and body["mine"] is None and body["item_count"] == 3
    listed = client_for(admin).get("/api/v1/exams").json()
    assert [e["id"] for e in listed["results"]] == [exam["id"]]
    assert AuditEvent.objects.filter(action="exam.created").count() == 1
    assert AuditEvent.objects.filter(action="project.exam_required").count() == 1


def test_freelancers_see_the_exam_without_answers(client_for, freelancer, exam) -> None:
    body = client_for(freelancer).get(f"/api/v1/exams/{exam['id']}").json()
    assert body["items"] is None and body["required_by"] is None
    assert body["mine"] == {"status": "not_taken", "retry_at": None, "score": None, "open_attempt_id": None}
    assert "calm" not in str(body)


def test_an_exam_no_published_project_requires_is_hidden_from_freelancers(client_for, freelancer, exam, project):
    Project.objects.filter(pk=project.pk).update(status="paused")
    error(client_for(freelancer).get(f"/api/v1/exams/{exam['id']}"), 404, "not_found")
    error(client_for(freelancer).post(f"/api/v1/exams/{exam['id']}/attempts"), 404, "not_found")


def test_other_organisations_exams_are_404_for_staff(client_for, exam) -> None:
    other = UserFactory.create(role="admin", organization=OrganizationFactory.create())
    c = client_for(other)
    error(c.get(f"/api/v1/exams/{exam['id']}"), 404, "not_found")
    error(c.patch(f"/api/v1/exams/{exam['id']}", {"title": "Mine"}, format="json"), 404, "not_found")
    error(c.get(f"/api/v1/exams/{exam['id']}/results"), 404, "not_found")
    assert c.get("/api/v1/exams").json()["count"] == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "X", "item_ids": []}, "item_ids"),
        ({"title": "X", "item_ids": [999999]}, "item_ids"),
        ({"title": " ", "item_ids": "ITEMS"}, "title"),
        ({"title": "X", "item_ids": "ITEMS", "pass_mark": "1.5"}, "pass_mark"),
        ({"title": "X", "item_ids": "ITEMS", "retry_delay_hours": -1}, "retry_delay_hours"),
        ({"title": "X", "item_ids": "DUP"}, "item_ids"),
        ({"item_ids": "ITEMS"}, "title"),
        ({"title": "X", "item_ids": "ITEMS", "answers": {}}, "answers"),
    ],
)
def test_bad_exams_are_refused_and_change_nothing(client_for, admin, item_ids, body, field) -> None:
    body = {**body}
    if body.get("item_ids") == "ITEMS":
        body["item_ids"] = item_ids
    elif body.get("item_ids") == "DUP":
        body["item_ids"] = [item_ids[0], item_ids[0]]
    events = AuditEvent.objects.count()
    response = client_for(admin).post("/api/v1/exams", body, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["error"]["fields"]
    assert (QualificationExam.objects.count(), ExamItem.objects.count(), AuditEvent.objects.count()) == (0, 0, events)


def test_gold_items_of_another_organisation_cannot_be_exam_items(client_for, item_ids) -> None:
    other = UserFactory.create(role="admin", organization=OrganizationFactory.create())
    response = client_for(other).post("/api/v1/exams", {"title": "X", "item_ids": item_ids}, format="json")
    body = error(response, 400, "invalid")
    assert body["fields"]["item_ids"][0].startswith("Not gold items of your organisation")
    assert QualificationExam.objects.count() == 0


def test_a_project_may_only_require_an_exam_of_its_organisation(client_for, admin, project) -> None:
    other = UserFactory.create(role="admin", organization=OrganizationFactory.create())
    theirs = published_project(items=1, organization=other.organization, output_spec=SPEC)
    item = theirs.items.get()
    gold_item_set(actor=other, project_id=theirs.pk, item_id=item.pk, answers={"mood": "calm"})
    foreign = client_for(other).post("/api/v1/exams", {"title": "Theirs", "item_ids": [item.pk]}, format="json")
    response = client_for(admin).patch(
        f"/api/v1/projects/{project.pk}", {"required_exam_id": foreign.json()["id"]}, format="json"
    )
    assert error(response, 400, "invalid")["fields"] == {"required_exam_id": ["Not an exam of this organisation."]}
    project.refresh_from_db()
    assert project.required_exam_id is None


def test_the_marketplace_lists_the_project_with_the_exam_and_the_claim_is_refused(
    client_for, freelancer, exam, project
) -> None:
    c = client_for(freelancer)
    [card] = c.get("/api/v1/marketplace").json()["results"]
    assert card["exam"] == {"id": exam["id"], "title": "Mood basics", "status": "not_taken", "retry_at": None}
    body = error(c.post(f"/api/v1/projects/{project.pk}/claim"), 403, "exam_required")
    assert "Mood basics" in body["message"]
    assert project.contributions.count() == 0


def test_start_resumes_the_open_attempt_and_hides_the_answers(client_for, freelancer, exam, item_ids) -> None:
    c = client_for(freelancer)
    first = c.post(f"/api/v1/exams/{exam['id']}/attempts")
    assert first.status_code == 201, first.json()
    again = c.post(f"/api/v1/exams/{exam['id']}/attempts")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    body = first.json()
    assert [i["item_id"] for i in body["items"]] == item_ids
    assert [f["key"] for f in body["items"][0]["fields"]] == ["mood", "quality"]
    assert body["items"][0]["fields"][0] == {
        "key": "mood",
        "type": "choice",
        "label": "Mood",
        "options": ["calm", "tense"],
        "multiple": False,
    }
    assert len(body["items"][0]["files"]) == 2 and body["items"][0]["files"][0]["download_url"]
    assert (body["score"], body["passed"], body["submitted_at"], body["pass_mark"]) == (None, None, None, 0.6)
    assert "answers" not in str(body["items"])
    assert ExamAttempt.objects.count() == 1


def test_fail_wait_pass_then_claim(client_for, freelancer, exam, item_ids, project) -> None:
    c = client_for(freelancer)
    attempt = c.post(f"/api/v1/exams/{exam['id']}/attempts").json()
    failed = c.post(f"/api/v1/exam-attempts/{attempt['id']}/submit", {"answers": right(item_ids, 1)}, format="json")
    assert failed.status_code == 200, failed.json()
    f = failed.json()
    assert (f["matched"], f["total"], f["score"], f["passed"], f["items"]) == (1, 3, 0.333, False, None)
    retry_at = f["retry_at"]
    assert retry_at is not None
    # A second submit of the same attempt answers the same result, whatever it sends.
    again = c.post(f"/api/v1/exam-attempts/{attempt['id']}/submit", {"answers": right(item_ids, 3)}, format="json")
    assert again.status_code == 200 and again.json() == f
    later = error(c.post(f"/api/v1/exams/{exam['id']}/attempts"), 409, "exam_retry_later")
    assert later["fields"] == {"retry_at": [retry_at]}
    [card] = c.get("/api/v1/marketplace").json()["results"]
    assert card["exam"]["status"] == "failed" and card["exam"]["retry_at"] == retry_at
    mine = c.get("/api/v1/me/qualifications").json()["failed"][0]["retry_at"]
    assert datetime.fromisoformat(mine) == datetime.fromisoformat(retry_at)
    assert ExamAttempt.objects.count() == 1
    # The delay passes.
    ExamAttempt.objects.update(submitted_at=timezone.now() - timedelta(hours=25))
    second = c.post(f"/api/v1/exams/{exam['id']}/attempts")
    assert second.status_code == 201
    passed = c.post(
        f"/api/v1/exam-attempts/{second.json()['id']}/submit", {"answers": right(item_ids, 2)}, format="json"
    )
    p = passed.json()
    assert (p["matched"], p["score"], p["passed"], p["retry_at"]) == (2, 0.667, True, None)
    error(c.post(f"/api/v1/exams/{exam['id']}/attempts"), 409, "exam_already_passed")
    mine = c.get("/api/v1/me/qualifications").json()
    assert [q["title"] for q in mine["passed"]] == ["Mood basics"] and mine["failed"] == []
    assert mine["passed"][0]["score"] == 0.667
    profile = c.get("/api/v1/me/profile").json()
    assert [q["title"] for q in profile["earned_qualifications"]] == ["Mood basics"]
    assert c.get("/api/v1/marketplace").json()["results"][0]["exam"]["status"] == "passed"
    claimed = c.post(f"/api/v1/projects/{project.pk}/claim")
    assert claimed.status_code == 201, claimed.json()


@pytest.mark.parametrize(
    "answers",
    [{"999": {"mood": "calm"}}, "FIRST_BAD_FIELD", "FIRST_BAD_VALUE", ["calm"]],
)
def test_bad_answers_are_refused_and_the_attempt_stays_open(client_for, freelancer, exam, item_ids, answers) -> None:
    c = client_for(freelancer)
    attempt = c.post(f"/api/v1/exams/{exam['id']}/attempts").json()
    if answers == "FIRST_BAD_FIELD":
        answers = {str(item_ids[0]): {"intent": "hello"}}
    elif answers == "FIRST_BAD_VALUE":
        answers = {str(item_ids[0]): {"quality": 7}}
    response = c.post(f"/api/v1/exam-attempts/{attempt['id']}/submit", {"answers": answers}, format="json")
    error(response, 400, "invalid")
    a = ExamAttempt.objects.get()
    assert (a.submitted_at, a.score, a.answers) == (None, None, {})


def test_another_persons_attempt_is_404(client_for, freelancer, exam) -> None:
    attempt = client_for(freelancer).post(f"/api/v1/exams/{exam['id']}/attempts").json()
    other = client_for(UserFactory.create(role="freelancer"))
    error(other.post(f"/api/v1/exam-attempts/{attempt['id']}/submit", {"answers": {}}, format="json"), 404, "not_found")
    assert ExamAttempt.objects.get().submitted_at is None


def test_a_zero_retry_delay_allows_a_retry_at_once(client_for, admin, freelancer, exam, item_ids) -> None:
    client_for(admin).patch(f"/api/v1/exams/{exam['id']}", {"retry_delay_hours": 0}, format="json")
    c = client_for(freelancer)
    first = c.post(f"/api/v1/exams/{exam['id']}/attempts").json()
    c.post(f"/api/v1/exam-attempts/{first['id']}/submit", {"answers": {}}, format="json")
    second = c.post(f"/api/v1/exams/{exam['id']}/attempts")
    assert second.status_code == 201 and second.json()["id"] != first["id"]


def test_results_show_attempts_and_the_pass_rate(client_for, admin, reviewer, freelancer, exam, item_ids) -> None:
    c = client_for(freelancer)
    a = c.post(f"/api/v1/exams/{exam['id']}/attempts").json()
    c.post(f"/api/v1/exam-attempts/{a['id']}/submit", {"answers": right(item_ids, 3)}, format="json")
    other = client_for(UserFactory.create(role="freelancer"))
    b = other.post(f"/api/v1/exams/{exam['id']}/attempts").json()
    other.post(f"/api/v1/exam-attempts/{b['id']}/submit", {"answers": right(item_ids, 0)}, format="json")
    body = client_for(reviewer).get(f"/api/v1/exams/{exam['id']}/results").json()
    assert {k: body[k] for k in ("submitted", "passed", "pass_rate", "people", "qualified_people")} == {
        "submitted": 2,
        "passed": 1,
        "pass_rate": 0.5,
        "people": 2,
        "qualified_people": 1,
    }
    assert [x["passed"] for x in body["attempts"]] == [False, True]


def test_editing_the_exam_replaces_items_and_is_audited(client_for, admin, exam, item_ids) -> None:
    c = client_for(admin)
    body = c.patch(f"/api/v1/exams/{exam['id']}", {"item_ids": item_ids[::-1][:2], "pass_mark": 1}, format="json")
    assert body.status_code == 200, body.json()
    assert [i["item_id"] for i in body.json()["items"]] == item_ids[::-1][:2] and body.json()["pass_mark"] == 1.0
    assert AuditEvent.objects.filter(action="exam.updated").get().data == {"fields": ["pass_mark", "items"]}
    before = AuditEvent.objects.count()
    assert c.patch(f"/api/v1/exams/{exam['id']}", {"pass_mark": 1}, format="json").status_code == 200
    assert AuditEvent.objects.count() == before  # the same values again record nothing


def test_marketplace_queries_do_not_grow_with_exam_projects(
    client_for, freelancer, org, admin, exam, django_assert_max_num_queries
) -> None:
    c = client_for(freelancer)
    c.get("/api/v1/marketplace")
    with django_assert_max_num_queries(14):  # session, user, profile, reputation, page, exam standings
        c.get("/api/v1/marketplace")
    for n in range(4):
        p = published_project(items=1, organization=org, output_spec=SPEC)
        gold_item_set(actor=admin, project_id=p.pk, item_id=p.items.get().pk, answers={"mood": "calm"})
        made = client_for(admin).post(
            "/api/v1/exams", {"title": f"Exam {n}", "item_ids": [p.items.get().pk]}, format="json"
        )
        Project.objects.filter(pk=p.pk).update(required_exam_id=made.json()["id"])
    with django_assert_max_num_queries(14):
        body = c.get("/api/v1/marketplace").json()
    assert body["count"] == 5 and all(r["exam"]["status"] == "not_taken" for r in body["results"])
