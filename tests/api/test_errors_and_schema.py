"""The one error shape outside the views, the OpenAPI schema and its docs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from rest_framework.test import APIClient

from tests.api.test_auth import error

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_unknown_api_paths_are_json_404(api: APIClient) -> None:
    error(api.get("/api/v1/nothing-here"), 404, "not_found")
    error(api.get("/api/v2/projects"), 404, "not_found")


@pytest.mark.django_db
def test_writes_to_unknown_api_paths_are_json_404_not_the_csrf_page() -> None:
    """Found by the schema fuzzing: a POST to a path no route matches met Django's CSRF page (HTML 403)."""
    strict = APIClient(enforce_csrf_checks=True)
    error(strict.post("/api/v1/contributions/-5/draft-uploads", {}, format="json"), 404, "not_found")


@pytest.mark.django_db
def test_a_csrf_refusal_is_in_the_error_shape(admin) -> None:
    """Found by the schema fuzzing: Django's CSRF failure page was HTML; every refusal is the one error shape."""
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(admin)
    refused = browser.post("/projects", {})  # a session write without the token, refused by Django's middleware
    assert refused.status_code == 403 and refused["Content-Type"] == "application/json"
    assert refused.json()["error"]["code"] == "csrf_failed"


@pytest.mark.django_db
def test_the_schema_documents_the_error_shape_on_every_operation(api: APIClient) -> None:
    """Found by the schema fuzzing: 400/401/403/404/409/429 answers were not in the schema at all."""
    schema = yaml.safe_load(api.get("/api/schema/").content)
    assert "Error" in schema["components"]["schemas"]
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if method in ("get", "post", "put", "patch", "delete"):
                for code in ("400", "401", "403", "404", "409", "429"):
                    assert code in operation["responses"], (method, path, code)


@pytest.mark.django_db
def test_wrong_method_is_405_in_the_error_shape(client_for, admin) -> None:
    error(client_for(admin).delete("/api/v1/projects"), 405, "method_not_allowed")


@pytest.mark.django_db
def test_schema_lists_every_endpoint(api: APIClient) -> None:
    resp = api.get("/api/schema/")
    assert resp.status_code == 200
    schema = yaml.safe_load(resp.content)
    assert schema["openapi"].startswith("3.")
    assert {
        "/api/v1/auth/csrf",
        "/api/v1/me",
        "/api/v1/projects",
        "/api/v1/projects/{project_id}",
        "/api/v1/projects/{project_id}/items",
        "/api/v1/tokens",
        "/api/v1/tokens/{token_id}",
        "/healthz",
    } <= set(schema["paths"])
    assert set(schema["components"]["securitySchemes"]) == {"bearerAuth", "cookieAuth", "XSessionTokenAuth"}


@pytest.mark.django_db
def test_swagger_docs_are_served_from_local_assets(api: APIClient) -> None:
    resp = api.get("/api/docs/")
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower()


@pytest.mark.django_db
def test_front_end_schema_copy_is_current(api: APIClient) -> None:
    """The front end's API types are generated from frontend/openapi.yaml: it must match the live schema."""
    committed = yaml.safe_load((ROOT / "frontend" / "openapi.yaml").read_text())
    live = yaml.safe_load(api.get("/api/schema/").content)
    assert committed == live, "run `make schema` and commit frontend/openapi.yaml and the generated types"


@pytest.mark.django_db
def test_a_body_over_the_limit_is_413_and_changes_nothing(client_for, admin, settings) -> None:
    """A JSON body larger than DATA_UPLOAD_MAX_MEMORY_SIZE is refused as too large (it was a bare 400)."""
    from annotations.models import AuditEvent, Project
    from tests.factories import ProjectFactory

    project: Any = ProjectFactory(organization=admin.organization, status="draft")
    huge = {"title": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}
    response = client_for(admin).patch(f"/api/v1/projects/{project.pk}", huge, format="json")
    body = response.json()
    assert response.status_code == 413 and body["error"]["code"] == "too_large"
    assert f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,}" in body["error"]["message"]
    assert Project.objects.get(pk=project.pk).title == project.title and not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_at_most_a_hundred_files_are_announced_at_once(client_for, admin) -> None:
    from annotations.models import MediaFile
    from tests.factories import ProjectFactory

    project: Any = ProjectFactory(organization=admin.organization, modalities=["image"])
    files = [{"name": f"a{i}.png", "size_bytes": 10, "content_type": "image/png"} for i in range(101)]
    response = client_for(admin).post(f"/api/v1/projects/{project.pk}/uploads", {"files": files}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["files"] == ["Announce 1 to 100 files at a time."]
    assert not MediaFile.objects.exists()
