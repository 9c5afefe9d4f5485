"""Personal API tokens: shown once, hashed at rest, scoped, revocable, expiring."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from annotations.models import ApiToken, AuditEvent
from tests.api.test_auth import error
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def create(client: APIClient, **body) -> dict:
    resp = client.post("/api/v1/tokens", {"name": "ci", "scopes": ["projects:read"], **body})
    assert resp.status_code == 201, resp.json()
    return resp.json()


def bearer(raw: str) -> APIClient:
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return c


def test_created_token_is_shown_once_and_stored_only_as_a_hash(client_for, admin) -> None:
    c = client_for(admin)
    body = create(c, scopes=["export:read", "projects:read"], expires_in_days=30)
    raw = body.pop("token")
    assert raw.startswith(f"atl_{body['prefix']}_")
    assert body["scopes"] == ["export:read", "projects:read"]
    assert body["revoked_at"] is None and body["last_used_at"] is None
    row = ApiToken.objects.get(pk=body["id"])
    secret = raw.split("_", 2)[2]
    assert row.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.values().get(pk=row.pk))
    listed = c.get("/api/v1/tokens").json()
    assert listed["count"] == 1
    assert "token" not in listed["results"][0]
    assert AuditEvent.objects.filter(action="token.created", target_id=str(row.pk)).exists()


def test_token_reads_projects_with_its_scope_and_records_use(client_for, admin) -> None:
    ProjectFactory(organization=admin.organization, title="Ours")
    ProjectFactory(title="Theirs")
    raw = create(client_for(admin))["token"]
    resp = bearer(raw).get("/api/v1/projects")
    assert resp.status_code == 200
    assert [p["title"] for p in resp.json()["results"]] == ["Ours"]
    assert ApiToken.objects.get().last_used_at is not None


def test_token_without_the_scope_is_403_insufficient_scope(client_for, admin) -> None:
    raw = create(client_for(admin), scopes=["export:read"])["token"]
    err = error(bearer(raw).get("/api/v1/projects"), 403, "insufficient_scope")
    assert err["message"] == "This token lacks the scope projects:read."


def test_read_scope_cannot_write(client_for, admin) -> None:
    raw = create(client_for(admin), scopes=["projects:read"])["token"]
    body = {
        "title": "T",
        "modalities": ["image"],
        "pay": {"amount": "5.00", "currency": "USD"},
        "estimated_minutes": 10,
    }
    error(bearer(raw).post("/api/v1/projects", body), 403, "insufficient_scope")


def test_write_scope_creates_a_project(client_for, admin) -> None:
    raw = create(client_for(admin), scopes=["projects:write"])["token"]
    body = {
        "title": "T",
        "modalities": ["image"],
        "pay": {"amount": "5.00", "currency": "USD"},
        "estimated_minutes": 10,
    }
    assert bearer(raw).post("/api/v1/projects", body).status_code == 201


@pytest.mark.parametrize(
    "header",
    ["Bearer atl_000000000000_nope", "Bearer nonsense", "Bearer a b", "Bearer"],
)
def test_bad_tokens_are_401_with_a_challenge(header: str) -> None:
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=header)
    resp = c.get("/api/v1/projects")
    error(resp, 401, "authentication_failed")
    assert resp["WWW-Authenticate"] == 'Bearer realm="api"'


def test_revoked_token_stops_working(client_for, admin) -> None:
    c = client_for(admin)
    body = create(c)
    assert bearer(body["token"]).get("/api/v1/me").status_code == 200
    assert c.delete(f"/api/v1/tokens/{body['id']}").status_code == 204
    error(bearer(body["token"]).get("/api/v1/me"), 401, "authentication_failed")
    assert ApiToken.objects.get().revoked_at is not None


def test_expired_token_stops_working(client_for, admin) -> None:
    body = create(client_for(admin), expires_in_days=1)
    ApiToken.objects.filter(pk=body["id"]).update(expires_at=timezone.now() - timedelta(seconds=1))
    error(bearer(body["token"]).get("/api/v1/me"), 401, "authentication_failed")


def test_token_of_a_deactivated_user_stops_working(client_for, admin) -> None:
    raw = create(client_for(admin))["token"]
    admin.is_active = False
    admin.save()
    error(bearer(raw).get("/api/v1/me"), 401, "authentication_failed")


def test_a_token_cannot_mint_or_list_tokens(client_for, admin) -> None:
    raw = create(client_for(admin), scopes=["projects:read", "projects:write", "export:read"])["token"]
    error(bearer(raw).get("/api/v1/tokens"), 403, "insufficient_scope")
    error(
        bearer(raw).post("/api/v1/tokens", {"name": "x", "scopes": ["projects:read"]}),
        403,
        "insufficient_scope",
    )
    assert ApiToken.objects.count() == 1


@pytest.mark.parametrize(
    ("role_fixture", "scope"),
    [("freelancer", "projects:write"), ("freelancer", "export:read"), ("reviewer", "projects:write")],
)
def test_roles_cannot_grant_scopes_beyond_their_own(request, client_for, role_fixture: str, scope: str) -> None:
    user = request.getfixturevalue(role_fixture)
    resp = client_for(user).post("/api/v1/tokens", {"name": "x", "scopes": [scope]})
    err = error(resp, 400, "invalid")
    assert err["fields"] == {"scopes": [f"Not allowed for the {user.role} role: {scope}."]}
    assert ApiToken.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"name": "x", "scopes": []}, {"scopes": ["Choose at least one scope."]}),
        ({"name": "x", "scopes": ["root"]}, {"scopes.0": ['"root" is not a valid choice.']}),
        ({"name": "", "scopes": ["projects:read"]}, {"name": ["This field may not be blank."]}),
        (
            {"name": "x", "scopes": ["projects:read"], "expires_in_days": 0},
            {"expires_in_days": ["Ensure this value is greater than or equal to 1."]},
        ),
    ],
)
def test_invalid_token_requests_change_nothing(client_for, admin, body: dict, fields: dict) -> None:
    err = error(client_for(admin).post("/api/v1/tokens", body), 400, "invalid")
    assert err["fields"] == fields
    assert ApiToken.objects.count() == 0


def test_someone_elses_token_cannot_be_revoked(client_for, admin, reviewer) -> None:
    body = create(client_for(admin))
    error(client_for(reviewer).delete(f"/api/v1/tokens/{body['id']}"), 404, "not_found")
    assert ApiToken.objects.get().revoked_at is None


def test_anonymous_cannot_touch_tokens(api: APIClient) -> None:
    error(api.get("/api/v1/tokens"), 401, "not_authenticated")
    error(api.post("/api/v1/tokens", {"name": "x", "scopes": ["projects:read"]}), 401, "not_authenticated")
