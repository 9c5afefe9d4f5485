"""Members and the organisation's settings, as the API's contract: reviewers read, admins change; the last active
admin stays; deactivation ends a real session cookie and a real Bearer token at the very next request."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.test import Client
from rest_framework.test import APIClient

from annotations.models import ApiToken, AuditEvent, Contribution, Organization, Slot, User
from annotations.services.members import member_deactivate
from annotations.services.tokens import api_token_create
from annotations.services.work import contributions_release_of
from tests.factories import PASSWORD, OrganizationFactory, UserFactory, published_project, with_totp

pytestmark = pytest.mark.django_db


def _state() -> tuple[Any, ...]:
    return (
        tuple(User.objects.order_by("pk").values_list("pk", "role", "is_active", "organization_id")),
        tuple(Organization.objects.order_by("pk").values_list("pk", "name", "require_two_factor")),
        AuditEvent.objects.count(),
        ApiToken.objects.filter(revoked_at__isnull=True).count(),
    )


def _error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body: dict[str, Any] = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code, body
    return body["error"]


def _browser_login(user: Any) -> Client:
    """A real session, made by allauth's headless login, with its CSRF token."""
    browser = Client(enforce_csrf_checks=True)
    browser.get("/api/v1/auth/csrf")
    response = browser.post(
        "/_allauth/browser/v1/auth/login",
        {"username": user.username, "password": PASSWORD},
        content_type="application/json",
        headers={"X-CSRFToken": browser.cookies["csrftoken"].value},
    )
    assert response.status_code == 200, response.content
    return browser


# --- Reading -------------------------------------------------------------------------------------------------------


def test_reviewers_read_the_members_of_their_own_organisation(
    admin: Any, reviewer: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    UserFactory.create(role="admin", organization=OrganizationFactory.create())  # another organisation's
    UserFactory.create(role="freelancer")
    for _ in range(3):
        UserFactory.create(role="reviewer", organization=admin.organization)
    client = client_for(reviewer)
    with django_assert_max_num_queries(10):
        response = client.get("/api/v1/organization/members?page_size=2")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 5 and len(body["results"]) == 2 and body["next"]
    everyone = client.get("/api/v1/organization/members?page_size=100").json()["results"]
    assert {m["id"] for m in everyone} == set(
        User.objects.filter(organization=admin.organization).values_list("pk", flat=True)
    )
    first = next(m for m in everyone if m["id"] == admin.pk)
    assert first == {
        "id": admin.pk,
        "username": admin.username,
        "display_name": admin.shown_name,
        "email": admin.email,
        "role": "admin",
        "is_active": True,
        "last_login": None,
        "date_joined": first["date_joined"],
        "has_two_factor": False,
    }
    # Reviewers read; they change nothing.
    before = _state()
    _error(client.patch(f"/api/v1/organization/members/{admin.pk}", {"role": "reviewer"}), 403, "permission_denied")
    _error(client.post(f"/api/v1/organization/members/{admin.pk}/deactivate"), 403, "permission_denied")
    _error(client.get("/api/v1/organization"), 403, "permission_denied")
    _error(client.get("/api/v1/organization/invitations"), 403, "permission_denied")
    assert _state() == before


def test_freelancers_do_not_see_members(client_for: Any, freelancer: Any, admin: Any) -> None:
    _error(client_for(freelancer).get("/api/v1/organization/members"), 403, "permission_denied")


# --- Roles ---------------------------------------------------------------------------------------------------------


def test_an_admin_changes_a_role_and_it_is_audited(admin: Any, reviewer: Any, client_for: Any) -> None:
    response = client_for(admin).patch(f"/api/v1/organization/members/{reviewer.pk}", {"role": "admin"})
    assert response.status_code == 200, response.content
    assert response.json()["role"] == "admin"
    reviewer.refresh_from_db()
    assert reviewer.role == "admin"
    event = AuditEvent.objects.get(action="member.role_changed")
    assert (event.actor_id, event.target_id, event.data) == (
        admin.pk,
        str(reviewer.pk),
        {"from": "reviewer", "to": "admin"},
    )
    # The same role again changes nothing and logs nothing.
    assert client_for(admin).patch(f"/api/v1/organization/members/{reviewer.pk}", {"role": "admin"}).status_code == 200
    assert AuditEvent.objects.filter(action="member.role_changed").count() == 1


def test_the_last_active_admin_is_never_demoted(admin: Any, reviewer: Any, client_for: Any) -> None:
    before = _state()
    error = _error(
        client_for(admin).patch(f"/api/v1/organization/members/{admin.pk}", {"role": "reviewer"}), 409, "last_admin"
    )
    assert "last active admin" in error["message"]
    assert _state() == before
    # With a second admin, one may step down.
    second = UserFactory.create(role="admin", organization=admin.organization)
    assert client_for(admin).patch(f"/api/v1/organization/members/{admin.pk}", {"role": "reviewer"}).status_code == 200
    # A deactivated admin does not count: the remaining active admin cannot step down.
    third = UserFactory.create(role="admin", organization=admin.organization)
    member_deactivate(actor=second, user_id=third.pk)
    before = _state()
    _error(
        client_for(second).patch(f"/api/v1/organization/members/{second.pk}", {"role": "reviewer"}), 409, "last_admin"
    )
    assert _state() == before


@pytest.mark.parametrize(
    ("payload", "code"),
    [({"role": "freelancer"}, "invalid"), ({}, "invalid"), ({"role": "admin", "is_active": False}, "unknown_fields")],
)
def test_bad_role_changes_change_nothing(admin: Any, reviewer: Any, client_for: Any, payload: Any, code: str) -> None:
    before = _state()
    _error(client_for(admin).patch(f"/api/v1/organization/members/{reviewer.pk}", payload), 400, code)
    assert _state() == before


def test_other_organisations_members_are_404(admin: Any, client_for: Any) -> None:
    theirs = UserFactory.create(role="reviewer", organization=OrganizationFactory.create())
    freelancer = UserFactory.create(role="freelancer")
    before = _state()
    for target in (theirs, freelancer):
        base = f"/api/v1/organization/members/{target.pk}"
        _error(client_for(admin).patch(base, {"role": "admin"}), 404, "not_found")
        _error(client_for(admin).post(f"{base}/deactivate"), 404, "not_found")
        _error(client_for(admin).post(f"{base}/reactivate"), 404, "not_found")
    assert _state() == before


# --- Deactivation ----------------------------------------------------------------------------------------------------


def test_deactivation_ends_the_session_and_the_token_at_the_next_request(admin: Any, client_for: Any) -> None:
    member = UserFactory.create(role="reviewer", organization=admin.organization)
    browser = _browser_login(member)
    assert browser.get("/api/v1/me").status_code == 200
    assert UserSession.objects.filter(user=member).count() == 1
    raw = api_token_create(user=member, name="ci", scopes=["projects:read"], expires_in_days=None).raw
    bearer = APIClient()
    bearer.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert bearer.get("/api/v1/me").status_code == 200
    other_session = client_for(member)  # a second session, not tracked by allauth

    response = client_for(admin).post(f"/api/v1/organization/members/{member.pk}/deactivate")
    assert response.status_code == 200, response.content
    assert response.json()["is_active"] is False

    assert browser.get("/api/v1/me").status_code == 401
    assert browser.get("/api/v1/auth/session").json() == {"authenticated": False, "user": None}
    assert browser.get("/_allauth/browser/v1/auth/session").status_code == 401
    assert bearer.get("/api/v1/me").status_code == 401
    assert other_session.get("/api/v1/me").status_code in (401, 403)
    assert UserSession.objects.filter(user=member).count() == 0
    assert not [s for s in Session.objects.all() if str(s.get_decoded().get("_auth_user_id")) == str(member.pk)]
    assert ApiToken.objects.filter(user=member, revoked_at__isnull=True).count() == 0
    event = AuditEvent.objects.get(action="member.deactivated")
    assert event.actor_id == admin.pk and event.data == {"sessions_ended": 2, "tokens_revoked": 1, "work_released": 0}
    # Nor can they sign in again.
    login = Client().post(
        "/_allauth/browser/v1/auth/login",
        {"username": member.username, "password": PASSWORD},
        content_type="application/json",
    )
    assert login.status_code in (400, 401, 409) and "sessionid" not in login.cookies

    # Re-activation opens the account again; the old tokens and sessions stay ended.
    response = client_for(admin).post(f"/api/v1/organization/members/{member.pk}/reactivate")
    assert response.status_code == 200 and response.json()["is_active"] is True
    assert AuditEvent.objects.filter(action="member.reactivated", target_id=str(member.pk)).count() == 1
    assert bearer.get("/api/v1/me").status_code == 401
    assert _browser_login(member).get("/api/v1/me").status_code == 200


def test_an_admin_cannot_deactivate_themself(admin: Any, client_for: Any) -> None:
    UserFactory.create(role="admin", organization=admin.organization)
    before = _state()
    error = _error(
        client_for(admin).post(f"/api/v1/organization/members/{admin.pk}/deactivate"), 409, "self_deactivation"
    )
    assert error["message"] == "You cannot deactivate yourself: ask another admin."
    assert _state() == before


def test_deactivating_twice_changes_nothing_more(admin: Any, reviewer: Any, client_for: Any) -> None:
    assert client_for(admin).post(f"/api/v1/organization/members/{reviewer.pk}/deactivate").status_code == 200
    before = _state()
    assert client_for(admin).post(f"/api/v1/organization/members/{reviewer.pk}/deactivate").status_code == 200
    assert _state() == before


def test_held_work_goes_back_like_an_expired_lease(org: Any, client_for: Any) -> None:
    """Staff hold nothing (reviews take no claim or lock); a freelancer's tasks in progress are released as an expired
    lease is, by the same code."""
    freelancer = UserFactory.create(role="freelancer")
    project = published_project(items=1, replicas=1, organization=org)
    claimed = client_for(freelancer).post(f"/api/v1/projects/{project.pk}/claim")
    assert claimed.status_code == 201, claimed.content
    assert contributions_release_of(freelancer=freelancer) == 1
    contribution = Contribution.objects.get(pk=claimed.json()["id"])
    assert contribution.state == "expired" and contribution.slot is None
    assert Slot.objects.filter(task__project=project, state="open", assignee__isnull=True).count() == 1
    assert AuditEvent.objects.filter(action="contribution.lease_expired", target_id=str(contribution.pk)).exists()


# --- The organisation's settings ---------------------------------------------------------------------------------


def test_an_admin_without_two_factor_cannot_require_it(admin: Any, client_for: Any) -> None:
    response = client_for(admin).patch("/api/v1/organization", {"require_two_factor": True})
    assert response.status_code == 409, response.content
    assert response.json()["error"]["code"] == "two_factor_not_enabled"
    admin.organization.refresh_from_db()
    assert admin.organization.require_two_factor is False
    assert not AuditEvent.objects.filter(action="organization.updated").exists()


def test_an_admin_turns_on_two_factor_for_staff(admin: Any, client_for: Any) -> None:
    org = admin.organization
    with_totp(admin)
    response = client_for(admin).patch("/api/v1/organization", {"require_two_factor": True})
    assert response.status_code == 200, response.content
    assert response.json() == {
        "id": org.pk,
        "name": org.name,
        "slug": org.slug,
        "require_two_factor": True,
        "created_at": response.json()["created_at"],
    }
    org.refresh_from_db()
    assert org.require_two_factor is True
    event = AuditEvent.objects.get(action="organization.updated")
    assert event.organization_id == org.pk and event.data == {"require_two_factor": {"from": False, "to": True}}
    assert client_for(admin).get("/api/v1/organization").json()["require_two_factor"] is True
    # The same value again logs nothing.
    client_for(admin).patch("/api/v1/organization", {"require_two_factor": True})
    assert AuditEvent.objects.filter(action="organization.updated").count() == 1


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"name": "   "}, "invalid"),
        ({"require_two_factor": "maybe"}, "invalid"),
        ({"slug": "new"}, "unknown_fields"),
        ({"name": "x" * 201}, "invalid"),
    ],
)
def test_bad_settings_change_nothing(admin: Any, client_for: Any, payload: Any, code: str) -> None:
    before = _state()
    _error(client_for(admin).patch("/api/v1/organization", payload), 400, code)
    assert _state() == before


def test_renaming_is_audited(admin: Any, client_for: Any) -> None:
    old = admin.organization.name
    response = client_for(admin).patch("/api/v1/organization", {"name": "  Blue   Studio "})
    assert response.json()["name"] == "Blue Studio"
    assert AuditEvent.objects.get(action="organization.updated").data == {"name": {"from": old, "to": "Blue Studio"}}
