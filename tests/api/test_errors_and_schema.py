"""The one error shape outside the views, the OpenAPI schema and its docs."""

from __future__ import annotations

from pathlib import Path

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
def test_wrong_method_is_405_in_the_error_shape(client_for, admin) -> None:
    error(client_for(admin).delete("/api/v1/projects"), 405, "method_not_allowed")


@pytest.mark.django_db
def test_schema_lists_every_endpoint(api: APIClient) -> None:
    resp = api.get("/api/schema/")
    assert resp.status_code == 200
    schema = yaml.safe_load(resp.content)
    assert schema["openapi"].startswith("3.")
    assert {
        "/api/v1/auth/login",
        "/api/v1/auth/logout",
        "/api/v1/auth/csrf",
        "/api/v1/me",
        "/api/v1/projects",
        "/api/v1/projects/{project_id}",
        "/api/v1/projects/{project_id}/items",
        "/api/v1/tokens",
        "/api/v1/tokens/{token_id}",
        "/healthz",
    } <= set(schema["paths"])
    assert set(schema["components"]["securitySchemes"]) == {"bearerAuth", "cookieAuth"}


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
