"""Projects: who sees what (tenancy), creation and change by admins, bad input."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from annotations.models import AuditEvent, Project
from tests.api.test_auth import error
from tests.factories import ItemFactory, MediaFileFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db

VALID: dict[str, Any] = {
    "title": "Storyboards",
    "brief": "# Brief\n\nDraw <script>alert(1)</script> **three** frames.",
    "modalities": ["image", "text"],
    "pay": {"amount": "6.00", "currency": "USD"},
    "estimated_minutes": 15,
}


def titles(resp) -> list[str]:
    assert resp.status_code == 200, resp.json()
    return sorted(p["title"] for p in resp.json()["results"])


@pytest.fixture
def world(org):
    other = ProjectFactory(title="Other org draft")
    return {
        "draft": ProjectFactory(organization=org, title="Our draft", status="draft"),
        "published": ProjectFactory(organization=org, title="Our published", status="published"),
        "other_published": ProjectFactory(
            organization=other.organization, title="Other org published", status="published"
        ),
        "other": other,
    }


def test_staff_see_only_their_organisations_projects(client_for, admin, reviewer, world) -> None:
    assert titles(client_for(admin).get("/api/v1/projects")) == ["Our draft", "Our published"]
    assert titles(client_for(reviewer).get("/api/v1/projects")) == ["Our draft", "Our published"]


def test_freelancers_see_the_published_marketplace_only(client_for, freelancer, world) -> None:
    assert titles(client_for(freelancer).get("/api/v1/projects")) == ["Other org published", "Our published"]


def test_status_filter(client_for, admin, world) -> None:
    assert titles(client_for(admin).get("/api/v1/projects?status=draft")) == ["Our draft"]
    err = error(client_for(admin).get("/api/v1/projects?status=bogus"), 400, "invalid")
    assert "status" in err["fields"]


@pytest.mark.parametrize(
    ("who", "target", "status"),
    [
        ("admin", "draft", 200),
        ("admin", "other", 404),
        ("admin", "other_published", 404),
        ("reviewer", "published", 200),
        ("reviewer", "other", 404),
        ("freelancer", "published", 200),
        ("freelancer", "draft", 404),
        ("freelancer", "other", 404),
    ],
)
def test_project_detail_is_404_outside_what_you_may_see(request, client_for, world, who, target, status) -> None:
    user = request.getfixturevalue(who)
    resp = client_for(user).get(f"/api/v1/projects/{world[target].pk}")
    assert resp.status_code == status
    if status == 404:
        assert resp.json()["error"]["code"] == "not_found"


def test_anonymous_is_401(api: APIClient, world) -> None:
    error(api.get("/api/v1/projects"), 401, "not_authenticated")
    error(api.get(f"/api/v1/projects/{world['published'].pk}"), 401, "not_authenticated")


def test_admin_creates_a_project_with_fair_pay_facts(client_for, admin) -> None:
    resp = client_for(admin).post("/api/v1/projects", VALID)
    assert resp.status_code == 201, resp.json()
    body = resp.json()
    assert body["status"] == "draft"
    assert body["pay"] == {"amount": "6.00", "currency": "USD"}
    assert body["effective_hourly_rate"] == {"amount": "24.00", "currency": "USD"}
    assert body["minimum_hourly_rate"] == {"amount": "15.00", "currency": "USD"}
    assert body["meets_minimum_rate"] is True
    assert body["item_count"] == 0
    assert body["organization"] == {"id": admin.organization_id, "name": admin.organization.name}
    assert "<script>" not in body["brief_html"] and "<strong>three</strong>" in body["brief_html"]
    project = Project.objects.get(pk=body["id"])
    assert (project.pay_amount_minor, project.pay_currency, project.created_by_id) == (600, "USD", admin.pk)
    assert AuditEvent.objects.filter(action="project.created", target_id=str(project.pk), actor=admin).exists()


def test_pay_below_the_minimum_is_reported(client_for, admin) -> None:
    body = (
        client_for(admin)
        .post(
            "/api/v1/projects",
            {**VALID, "pay": {"amount": "2.00", "currency": "USD"}, "estimated_minutes": 20},
        )
        .json()
    )
    assert body["effective_hourly_rate"] == {"amount": "6.00", "currency": "USD"}
    assert body["meets_minimum_rate"] is False


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"pay": {"amount": "6.001", "currency": "USD"}},
            "pay.non_field_errors",
            "USD amounts have at most 2 decimal places.",
        ),
        ({"pay": {"amount": "six", "currency": "USD"}}, "pay.non_field_errors", "'six' is not a number."),
        (
            {"pay": {"amount": "6.00", "currency": "XXX"}},
            "pay.non_field_errors",
            "Unsupported currency 'XXX'.",
        ),
        ({"pay": {"amount": "6.00", "currency": "JPY"}}, "pay", "The platform pays in EUR, GBP, USD."),
        ({"pay": {"amount": "-1.00", "currency": "USD"}}, "pay", "Pay must be more than zero."),
        ({"modalities": ["smell"]}, "modalities.0", '"smell" is not a valid choice.'),
        ({"modalities": []}, "modalities", "Choose at least one modality."),
        ({"estimated_minutes": 0}, "estimated_minutes", "Ensure this value is greater than or equal to 1."),
        ({"title": "   "}, "title", "This field may not be blank."),
        ({"deadline": "2020-01-01T00:00:00Z"}, "deadline", "The deadline must be in the future."),
        ({"examples": [{"title": "Shot list"}]}, "examples", "Each example has a title and a body."),
        (
            {"rubric": [{"key": "light", "label": "Light", "max": 50}]},
            "rubric",
            "Up to 10 criteria, each {key, label, max} with a unique key and max 1 to 10.",
        ),
    ],
)
def test_invalid_projects_are_refused_and_nothing_is_written(client_for, admin, change, field, message) -> None:
    err = error(client_for(admin).post("/api/v1/projects", {**VALID, **change}), 400, "invalid")
    assert err["fields"] == {field: [message]}
    assert Project.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_unknown_fields_in_a_nested_object_are_refused(client_for, admin) -> None:
    err = error(
        client_for(admin).post("/api/v1/projects", {**VALID, "pay": {**VALID["pay"], "tip": 1}}),
        400,
        "unknown_fields",
    )
    assert err["fields"] == {"tip": ["Unknown field."]}
    assert Project.objects.count() == 0


@pytest.mark.parametrize("who", ["reviewer", "freelancer"])
def test_only_admins_create(request, client_for, who) -> None:
    error(client_for(request.getfixturevalue(who)).post("/api/v1/projects", VALID), 403, "permission_denied")
    assert Project.objects.count() == 0


def test_admin_changes_a_project(client_for, admin, world) -> None:
    project = world["draft"]
    resp = client_for(admin).patch(f"/api/v1/projects/{project.pk}", {"title": "Renamed", "estimated_minutes": 30})
    assert resp.status_code == 200, resp.json()
    assert resp.json()["title"] == "Renamed"
    assert resp.json()["effective_hourly_rate"] == {"amount": "12.00", "currency": "USD"}
    event = AuditEvent.objects.get(action="project.updated")
    assert event.data == {"fields": ["estimated_minutes", "title"]}


def test_admin_of_another_org_cannot_change_it(client_for, world) -> None:
    stranger = UserFactory(role="admin", organization=world["other"].organization)
    error(
        client_for(stranger).patch(f"/api/v1/projects/{world['draft'].pk}", {"title": "Mine now"}),
        404,
        "not_found",
    )
    world["draft"].refresh_from_db()
    assert world["draft"].title == "Our draft"


def test_items_are_for_the_organisations_staff(client_for, admin, freelancer, world) -> None:
    item = ItemFactory(project=world["published"])
    MediaFileFactory(item=item, name="a.png")
    body = client_for(admin).get(f"/api/v1/projects/{world['published'].pk}/items").json()
    assert body["count"] == 1
    assert body["results"][0]["files"][0]["name"] == "a.png"
    error(client_for(freelancer).get(f"/api/v1/projects/{world['published'].pk}/items"), 404, "not_found")
    error(client_for(admin).get(f"/api/v1/projects/{world['other'].pk}/items"), 404, "not_found")


def test_project_list_query_count_does_not_grow_with_rows(client_for, admin, django_assert_max_num_queries) -> None:
    for _ in range(12):
        ItemFactory(project=ProjectFactory(organization=admin.organization))
    c = client_for(admin)
    with django_assert_max_num_queries(6):
        resp = c.get("/api/v1/projects")
    assert resp.json()["count"] == 12


def test_pagination(client_for, admin) -> None:
    for _ in range(30):
        ProjectFactory(organization=admin.organization)
    c = client_for(admin)
    first = c.get("/api/v1/projects").json()
    assert (first["count"], len(first["results"]), first["previous"]) == (30, 25, None)
    second = c.get("/api/v1/projects?page=2").json()
    assert len(second["results"]) == 5 and second["next"] is None
    error(c.get("/api/v1/projects?page=9"), 404, "not_found")


def test_platform_rules_are_published(client_for, freelancer) -> None:
    body = client_for(freelancer).get("/api/v1/platform").json()
    assert body["minimum_hourly_rates"] == [
        {"amount": "14.00", "currency": "EUR"},
        {"amount": "12.50", "currency": "GBP"},
        {"amount": "15.00", "currency": "USD"},
    ]
    assert body["accepted_media_types"]["image/png"] == "image"
    assert body["max_bytes"]["image"] == 50 * 1024**2
    assert "intent" in body["output_spec_field_types"]
