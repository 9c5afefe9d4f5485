"""Publishing, pausing and closing: fair pay enforced, tasks generated, terms fixed, every change audited."""

from __future__ import annotations

import pytest

from annotations.models import AuditEvent, Project, Slot, Task
from tests.api.test_auth import error
from tests.api.test_projects import VALID
from tests.factories import ItemFactory, MediaFileFactory, OrganizationFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


def go(client, project, action):
    return client.post(f"/api/v1/projects/{project.pk}/transitions", {"action": action})


@pytest.fixture
def project(org):
    p = ProjectFactory(organization=org, replicas_per_item=3)
    for n in range(2):
        MediaFileFactory(item=ItemFactory(project=p, external_id=f"ready-{n}"))
    half = ItemFactory(project=p, external_id="half-ready")
    MediaFileFactory(item=half)
    MediaFileFactory(item=half, status="pending", sha256="")
    ItemFactory(project=p, external_id="empty")
    return p


def test_publishing_makes_a_task_with_replica_slots_for_each_ready_item(client_for, admin, project) -> None:
    resp = go(client_for(admin), project, "publish")
    assert resp.status_code == 200, resp.json()
    assert resp.json()["status"] == "published"
    tasks = Task.objects.filter(project=project)
    assert sorted(t.item.external_id for t in tasks) == ["ready-0", "ready-1"]
    assert Slot.objects.filter(task__project=project, state="open", assignee=None).count() == 6
    event = AuditEvent.objects.get(action="project.publish")
    assert (event.actor, event.data) == (admin, {"from": "draft", "to": "published"})


def test_generation_is_idempotent(admin, project) -> None:
    from annotations.services.projects import project_transition
    from annotations.services.tasks import tasks_generate

    project_transition(actor=admin, project=project, action="publish")
    assert tasks_generate(project=project) == 0
    assert Slot.objects.count() == 6


def test_below_minimum_rate_cannot_publish(client_for, admin, org) -> None:
    cheap = ProjectFactory.create(organization=org, pay_amount_minor=200, estimated_minutes=20)
    err = error(go(client_for(admin), cheap, "publish"), 409, "below_minimum_rate")
    assert err["message"] == (
        "Pay of 2.00 USD for 20 minutes is 6.00 USD an hour, below the platform minimum of 15.00 USD an hour. "
        "Raise the pay or lower the estimate."
    )
    assert err["fields"] == {"pay": ["At least 15.00 USD an hour."]}
    assert Project.objects.get(pk=cheap.pk).status == "draft"
    assert not Task.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("path", "action", "ok"),
    [
        (["publish"], "pause", True),
        (["publish", "pause"], "resume", True),
        (["publish", "pause"], "close", True),
        ([], "pause", False),
        ([], "resume", False),
        (["publish", "close"], "publish", False),
        (["publish"], "publish", False),
    ],
)
def test_transitions(client_for, admin, project, path, action, ok) -> None:
    c = client_for(admin)
    for step in path:
        assert go(c, project, step).status_code == 200
    before = Project.objects.get(pk=project.pk).status
    resp = go(c, project, action)
    if ok:
        assert resp.status_code == 200
    else:
        error(resp, 409, "invalid_transition")
        assert Project.objects.get(pk=project.pk).status == before


def test_unknown_action_is_400(client_for, admin, project) -> None:
    err = error(go(client_for(admin), project, "explode"), 400, "invalid")
    assert list(err["fields"]) == ["action"]


@pytest.mark.parametrize("who", ["reviewer", "freelancer"])
def test_only_admins_change_status(request, client_for, project, who) -> None:
    project.status = "published"
    project.save()
    error(go(client_for(request.getfixturevalue(who)), project, "pause"), 403, "permission_denied")
    assert Project.objects.get(pk=project.pk).status == "published"


def test_another_organisations_admin_gets_404(client_for, project) -> None:
    stranger = UserFactory(role="admin", organization=ProjectFactory().organization)
    error(go(client_for(stranger), project, "publish"), 404, "not_found")
    assert Project.objects.get(pk=project.pk).status == "draft"


def test_terms_are_fixed_once_published(client_for, admin, project) -> None:
    c = client_for(admin)
    go(c, project, "publish")
    err = error(
        c.patch(f"/api/v1/projects/{project.pk}", {"pay": {"amount": "1.00", "currency": "USD"}, "title": "New"}),
        409,
        "terms_fixed",
    )
    assert err["fields"] == {"pay": ["Fixed once published."]}
    project.refresh_from_db()
    assert (project.pay_amount_minor, project.title) == (600, project.title)
    assert c.patch(f"/api/v1/projects/{project.pk}", {"title": "Clearer title"}).status_code == 200
    # A form that sends the unchanged terms back with its edit is not refused, and only real changes are logged.
    same_terms = {"pay": {"amount": "6.00", "currency": "USD"}, "estimated_minutes": project.estimated_minutes}
    resp = c.patch(f"/api/v1/projects/{project.pk}", {**same_terms, "brief": "Sharper brief"})
    assert resp.status_code == 200, resp.json()
    logged = AuditEvent.objects.filter(action="project.updated").order_by("-id")
    assert [e.data["fields"] for e in logged] == [["brief"], ["title"]]
    assert c.patch(f"/api/v1/projects/{project.pk}", {"brief": "Sharper brief"}).status_code == 200
    assert logged.count() == 2


def test_output_spec_is_validated_and_defaulted(client_for, admin) -> None:
    c = client_for(admin)
    base = {
        "title": "T",
        "modalities": ["image"],
        "pay": {"amount": "6.00", "currency": "USD"},
        "estimated_minutes": 15,
    }
    created = c.post("/api/v1/projects", base).json()
    assert [f["type"] for f in created["output_spec"]["fields"]] == ["intent", "process_notes", "drafts"]
    bad = {
        **base,
        "output_spec": {"version": 1, "fields": [{"key": "q", "type": "rating", "label": "Q", "min": 3, "max": 3}]},
    }
    err = error(c.post("/api/v1/projects", bad), 400, "invalid")
    assert err["fields"] == {"output_spec.fields.0": ["max must be above min, by at most 10."]}
    assert Project.objects.count() == 1


def test_qualifications_are_validated(client_for, admin, project) -> None:
    err = error(
        client_for(admin).patch(f"/api/v1/projects/{project.pk}", {"qualifications": {"min_reputation": 3, "x": 1}}),
        400,
        "invalid",
    )
    assert err["fields"] == {"qualifications": ["Unknown keys: x.", "min_reputation must be a number from 0 to 1."]}


def test_the_activity_log_shows_who_did_what_to_a_project(client_for, admin, reviewer, freelancer) -> None:
    c = client_for(admin)
    created = c.post("/api/v1/projects", {**VALID, "title": "Logged"}).json()
    c.patch(f"/api/v1/projects/{created['id']}", {"brief": "New brief"})
    c.post(f"/api/v1/projects/{created['id']}/transitions", {"action": "publish"})
    log = client_for(reviewer).get(f"/api/v1/projects/{created['id']}/activity").json()
    assert [(e["action"], e["actor"]["id"]) for e in log["results"]] == [
        ("project.publish", admin.pk),
        ("project.updated", admin.pk),
        ("project.created", admin.pk),
    ]
    assert log["results"][0]["details"]["to"] == "published"
    assert log["results"][1]["details"] == {"fields": ["brief"]}
    error(client_for(freelancer).get(f"/api/v1/projects/{created['id']}/activity"), 403, "permission_denied")
    stranger = UserFactory(role="admin", organization=OrganizationFactory())
    error(client_for(stranger).get(f"/api/v1/projects/{created['id']}/activity"), 404, "not_found")


def test_the_activity_log_shows_the_projects_work_as_the_audit_log_names_it(client_for, admin, reviewer, org) -> None:
    """Claims, submissions and decisions on the project's contributions are its activity too, named as in the
    audit log (the object's label: project title and item), and another project's work is not."""
    from tests.datasets_support import RUBRIC, SPEC, approved_work
    from tests.factories import published_project

    project = published_project(items=2, organization=org, output_spec=SPEC, rubric=RUBRIC, title="Harbour")
    other = published_project(items=1, organization=org, output_spec=SPEC, rubric=RUBRIC, title="Elsewhere")
    work = approved_work(project, reviewer, 1)
    approved_work(other, reviewer, 2)
    log = client_for(admin).get(f"/api/v1/projects/{project.pk}/activity?page_size=50").json()
    of_work = [e for e in log["results"] if e["target_type"] == "contribution"]
    assert [e["action"] for e in of_work] == ["contribution.approve", "contribution.submitted", "contribution.claimed"]
    assert {e["target_id"] for e in of_work} == {str(work.pk)}
    assert {e["target_label"] for e in of_work} == {f"Harbour · {work.task.item.external_id}"}
    assert of_work[0]["actor"]["id"] == reviewer.pk and of_work[2]["actor"]["id"] == work.freelancer_id
    of_project = [e for e in log["results"] if e["target_type"] == "project"]
    assert all(e["target_id"] == str(project.pk) and e["target_label"] == "Harbour" for e in of_project)
    audit = client_for(admin).get("/api/v1/audit?kind=contribution&page_size=50").json()["results"]
    assert {e["id"] for e in of_work} == {e["id"] for e in audit if e["target_id"] == str(work.pk)}
