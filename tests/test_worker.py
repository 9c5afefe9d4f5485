"""Real Celery workers on the real broker (Redis): tasks sent by name run, ingestion runs in a worker."""

from __future__ import annotations

import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests

from annotations.models import MediaFile
from tests import media
from tests.conftest import TEST_QUEUE, start_worker, worker_database_url

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def worker(extra_env: dict[str, str], queues: str = TEST_QUEUE) -> Iterator[subprocess.Popen[bytes]]:
    proc = start_worker(extra_env, queues)
    try:
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_a_worker_runs_a_task_through_redis(redis_url: str) -> None:
    from atelier.celery import app

    queue = f"test-{uuid.uuid4().hex[:8]}"
    with worker({"REDIS_URL": redis_url}, queues=queue):
        result = app.send_task("workers.ping", args=["hello"], queue=queue)
        assert result.get(timeout=60) == "pong:hello"


@pytest.mark.django_db(transaction=True)
def test_an_upload_is_ingested_by_a_real_worker(
    redis_url: str, s3_storage: str, s3_server: Any, client_for: Any, admin: Any
) -> None:
    from tests.factories import ProjectFactory

    env = {
        "REDIS_URL": redis_url,
        "DATABASE_URL": worker_database_url(),
        "S3_BUCKET": s3_storage,
        "S3_ENDPOINT_URL": s3_server.endpoint,
        "S3_ACCESS_KEY_ID": "testing",
        "S3_SECRET_ACCESS_KEY": "testing",
    }
    project = ProjectFactory.create(organization=admin.organization)
    c = client_for(admin)
    data = media.png()
    ticket = c.post(
        f"/api/v1/projects/{project.pk}/uploads",
        {"files": [{"name": "a.png", "size_bytes": len(data), "content_type": "image/png"}]},
    ).json()["uploads"][0]
    requests.post(ticket["url"], data=ticket["form_fields"], files={"file": ("a.png", data, "image/png")}, timeout=30)
    with worker(env):
        assert (
            c.post(f"/api/v1/projects/{project.pk}/uploads/complete", {"file_ids": [ticket["file_id"]]}).status_code
            == 200
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            status = MediaFile.objects.get(pk=ticket["file_id"]).status
            if status != "pending":
                break
            time.sleep(0.2)
    ingested = MediaFile.objects.get(pk=ticket["file_id"])
    assert ingested.status == "ready", ingested.failure_reason
    assert ingested.probe["width"] == 64
    assert ingested.preview_key


@pytest.mark.django_db(transaction=True)
def test_a_worker_returns_expired_leases_to_the_pool(redis_url: str, org: Any) -> None:
    """What beat schedules every minute, run by a real worker on the shared database."""
    from datetime import timedelta

    from django.utils import timezone

    from annotations.models import Contribution, Slot
    from annotations.services.work import contribution_claim_next
    from atelier.celery import app
    from tests.factories import UserFactory, published_project

    project = published_project(items=1, organization=org)
    c = contribution_claim_next(actor=UserFactory.create(role="freelancer"), project=project)
    assert c.slot_id is not None
    Slot.objects.filter(pk=c.slot_id).update(lease_expires_at=timezone.now() - timedelta(seconds=5))
    queue = f"test-{uuid.uuid4().hex[:8]}"
    with worker({"REDIS_URL": redis_url, "DATABASE_URL": worker_database_url()}, queues=queue):
        released = app.send_task("workers.expire_leases", queue=queue).get(timeout=60)
    assert released == 1
    assert Contribution.objects.get(pk=c.pk).state == "expired"
    assert Slot.objects.get(task__project=project).state == "open"
