"""Webhooks through Redis and a real Celery worker: each event reaches a receiver on loopback exactly once, signed,
after the receiver's first answer failed and beat's dispatch sent the retry."""

from __future__ import annotations

import time
from typing import Any

import pytest

from annotations.domain.webhooks import verify_signature
from annotations.models import WebhookDelivery
from annotations.services.webhooks import endpoint_create, webhooks_dispatch_due
from tests.conftest import start_worker, worker_database_url
from tests.datasets_support import RUBRIC, SPEC, approved_work, with_media_bytes
from tests.factories import published_project
from tests.webhook_receiver import Receiver

EVENTS = ["contribution.submitted", "contribution.approved", "contribution.rejected"]


@pytest.mark.django_db(transaction=True)
def test_each_event_arrives_once_after_a_failure(
    redis_url: str, settings: Any, admin: Any, reviewer: Any, org: Any
) -> None:
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    receiver = Receiver(fail_first=1).start()
    worker = start_worker(
        {
            "REDIS_URL": redis_url,
            "DATABASE_URL": worker_database_url(),
            "SECRET_KEY": settings.SECRET_KEY,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8",
            "WEBHOOK_FIRST_RETRY_SECONDS": "1",
        }
    )
    try:
        endpoint = endpoint_create(actor=admin, url=receiver.url, events=EVENTS)
        project = with_media_bytes(published_project(items=3, organization=org, output_spec=SPEC, rubric=RUBRIC))
        approved_work(project, reviewer, 1)
        rejected = approved_work(project, reviewer, 2, approve=False)
        from annotations.services.review import review_decide

        review_decide(actor=reviewer, contribution_id=rejected.pk, decision="reject", reason="Off brief.")
        deadline = time.monotonic() + 60
        while WebhookDelivery.objects.exclude(state="delivered").exists():
            assert time.monotonic() < deadline, list(WebhookDelivery.objects.values("event", "state", "last_error"))
            webhooks_dispatch_due()  # what beat does every 30 seconds
            time.sleep(0.5)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        receiver.stop()
    assert receiver.received[0].status == 500  # the forced failure
    counts = {e: len(receiver.delivered(e)) for e in EVENTS}
    assert counts == {"contribution.submitted": 2, "contribution.approved": 1, "contribution.rejected": 1}
    ids = [r.headers["Atelier-Delivery"] for r in receiver.received if r.status < 300]
    assert len(ids) == len(set(ids)) == 4  # every event exactly once
    assert all(verify_signature(endpoint.secret, r.headers["Atelier-Signature"], r.body) for r in receiver.received)
