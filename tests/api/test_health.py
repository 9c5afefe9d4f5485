"""/healthz reports the database, the broker and storage, each for real."""

from __future__ import annotations

import pytest
from django.conf import settings
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_healthy_on_the_services_in_use(api: APIClient) -> None:
    resp = api.get("/healthz")
    assert resp.status_code == 200, resp.json()
    body = resp.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {
        "ok": True,
        "detail": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[1].replace("sqlite3", "sqlite"),
    }
    expected_broker = "redis" if settings.REDIS_URL else "embedded (tasks run in-process; set REDIS_URL for workers)"
    assert body["checks"]["broker"] == {"ok": True, "detail": expected_broker}


def test_s3_storage_is_checked_against_the_bucket(api: APIClient, s3_storage: str) -> None:
    body = api.get("/healthz").json()
    assert body["checks"]["storage"] == {"ok": True, "detail": f"s3 bucket {s3_storage}"}


def test_a_missing_bucket_makes_it_degraded(api: APIClient, s3_storage: str, s3_server) -> None:
    s3_server.client.delete_bucket(Bucket=s3_storage)
    resp = api.get("/healthz")
    assert resp.status_code == 503
    assert resp.json()["status"] == "degraded"
    assert resp.json()["checks"]["storage"]["ok"] is False


def test_an_unreachable_broker_makes_it_degraded(api: APIClient, settings) -> None:
    settings.EMBEDDED_TASKS = False
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    resp = api.get("/healthz")
    assert resp.status_code == 503
    assert resp.json()["checks"]["broker"] == {"ok": False, "detail": "redis: ConnectionError"}
