"""Webhooks: signed events for submissions, reviews, payouts and dataset versions, delivered with retries to a
receiver on loopback (allow-listed), each exactly once; private and metadata targets refused; the delivery log and
manual redelivery."""

from __future__ import annotations

import random
import time
from typing import Any

import pytest

from annotations.domain import webhooks as rules
from annotations.models import DatasetVersion, WebhookDelivery, WebhookEndpoint
from annotations.services.webhooks import webhook_deliver, webhooks_dispatch_due
from tests.api.test_auth import error
from tests.datasets_support import RUBRIC, SPEC, approved_work, build_here, with_media_bytes
from tests.factories import OrganizationFactory, UserFactory, published_project
from tests.webhook_receiver import Receiver

pytestmark = pytest.mark.django_db


def test_signatures_verify_and_refuse_tampering_and_replays() -> None:
    body = b'{"event":"ping"}'
    header = rules.signature_header("whsec_x", body, timestamp=1_700_000_000)
    assert rules.verify_signature("whsec_x", header, body, now=1_700_000_100)
    assert not rules.verify_signature("whsec_x", header, body + b" ", now=1_700_000_100)
    assert not rules.verify_signature("whsec_y", header, body, now=1_700_000_100)
    assert not rules.verify_signature("whsec_x", header, body, now=1_700_001_000)  # too old: a replay
    assert not rules.verify_signature("whsec_x", "garbage", body)


def test_retries_start_at_a_minute_double_with_jitter_and_stop_at_an_hour() -> None:
    rnd = random.Random(3)
    delays = [rules.retry_delay(n, rnd) for n in (1, 2, 3, 8)]
    for got, base in zip(delays, (60, 120, 240, 3600), strict=True):
        assert base * 0.9 <= got <= min(3600, base * 1.1)
    assert rules.RETRIES == 3


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("169.254.169.254", "metadata"),
        ("10.0.0.1", "private"),
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("169.254.10.1", "link-local"),
        ("0.0.0.0", "private"),
        ("224.0.0.1", "not a public"),
    ],
)
def test_non_public_targets_are_refused_unless_allowed(address: str, why: str) -> None:
    assert why in (rules.refused_reason(address, []) or "")
    assert rules.refused_reason(address, ["0.0.0.0/0", "::/0"]) is None
    assert rules.refused_reason("93.184.216.34", []) is None


def test_admins_add_endpoints_to_public_addresses_only(client_for, admin, reviewer, settings) -> None:
    c = client_for(admin)
    for url in ("http://169.254.169.254/latest/meta-data", "http://10.0.0.1/hook", "http://127.0.0.1:9/hook"):
        refused = c.post("/api/v1/webhooks", {"url": url, "events": ["contribution.approved"]}, format="json")
        message = " ".join(error(refused, 400, "invalid")["fields"]["url"])
        assert "public addresses only" in message, message
    bad = c.post("/api/v1/webhooks", {"url": "ftp://x", "events": ["payout.failed"]}, format="json")
    assert set(error(bad, 400, "invalid")["fields"]) == {"url", "events"}  # payout events are the platform's
    assert not WebhookEndpoint.objects.exists()
    error(client_for(reviewer).get("/api/v1/webhooks"), 403, "permission_denied")
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    made = c.post(
        "/api/v1/webhooks", {"url": "http://127.0.0.1:9/hook", "events": ["contribution.approved"]}, format="json"
    )
    assert made.status_code == 201 and made.json()["secret"].startswith("whsec_")
    listed = c.get("/api/v1/webhooks").json()["results"]
    assert [e["url"] for e in listed] == ["http://127.0.0.1:9/hook"] and "secret" not in listed[0]
    stranger = UserFactory(role="admin", organization=OrganizationFactory())
    error(client_for(stranger).delete(f"/api/v1/webhooks/{made.json()['id']}"), 404, "not_found")
    assert c.delete(f"/api/v1/webhooks/{made.json()['id']}").status_code == 204


def deliver_all(sent: list[Any]) -> None:
    """What the worker does for each delivery task sent on commit."""
    for callback in sent:
        callback()


def test_events_are_delivered_signed_and_retried_after_a_failure(
    client_for, admin, reviewer, org, settings, django_capture_on_commit_callbacks
) -> None:
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.WEBHOOK_FIRST_RETRY_SECONDS = 1
    receiver = Receiver(fail_first=1).start()
    try:
        made = (
            client_for(admin)
            .post(
                "/api/v1/webhooks",
                {
                    "url": receiver.url,
                    "events": ["contribution.submitted", "contribution.approved", "contribution.rejected"],
                },
                format="json",
            )
            .json()
        )
        project = with_media_bytes(published_project(items=3, organization=org, output_spec=SPEC, rubric=RUBRIC))
        approved_work(project, reviewer, 1)  # submitted, then approved: two events
        ids = list(WebhookDelivery.objects.order_by("id").values_list("pk", flat=True))
        assert [d.event for d in WebhookDelivery.objects.order_by("id")] == [
            "contribution.submitted",
            "contribution.approved",
        ]
        for pk in ids:
            webhook_deliver(delivery_id=pk)  # the first answer is a 500
        first = WebhookDelivery.objects.get(pk=ids[0])
        assert (first.state, first.attempts, first.last_status) == ("pending", 1, 500)
        time.sleep(1.2)
        with django_capture_on_commit_callbacks() as sent:
            assert webhooks_dispatch_due() == 1  # what beat does every 30 s
        assert webhooks_dispatch_due() == 0  # leased: not sent twice
        for pk in ids[:1]:
            webhook_deliver(delivery_id=pk)
        assert len(sent) == 1
        states = dict(WebhookDelivery.objects.values_list("event", "state"))
        assert states == {"contribution.submitted": "delivered", "contribution.approved": "delivered"}
        for event in ("contribution.submitted", "contribution.approved"):
            got = receiver.delivered(event)
            assert len(got) == 1, event  # exactly once
            assert rules.verify_signature(made["secret"], got[0].headers["Atelier-Signature"], got[0].body)
            assert got[0].json["event"] == event and got[0].headers["Atelier-Delivery"] == got[0].json["id"]
        tries = [r for r in receiver.received if r.headers.get("Atelier-Event") == "contribution.submitted"]
        assert [r.status for r in tries] == [500, 204]
        assert tries[0].headers["Atelier-Delivery"] == tries[1].headers["Atelier-Delivery"]
        # The log and a manual redelivery, with the same id.
        log = client_for(admin).get(f"/api/v1/webhooks/{made['id']}/deliveries").json()["results"]
        assert {d["state"] for d in log} == {"delivered"}
        again = client_for(admin).post(f"/api/v1/webhook-deliveries/{ids[1]}/redeliver")
        assert again.status_code == 202 and again.json()["state"] == "pending"
        webhook_deliver(delivery_id=ids[1])
        assert len(receiver.delivered("contribution.approved")) == 2
        assert len({r.headers["Atelier-Delivery"] for r in receiver.delivered("contribution.approved")}) == 1
    finally:
        receiver.stop()


def test_a_delivery_gives_up_after_three_retries(admin, settings) -> None:
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    receiver = Receiver(fail_first=10).start()
    try:
        from annotations.services.webhooks import endpoint_create, webhook_test

        endpoint = endpoint_create(actor=admin, url=receiver.url, events=["dataset_version.built"])
        delivery = webhook_test(actor=admin, endpoint_id=endpoint.pk)
        for _ in range(rules.RETRIES + 1):
            webhook_deliver(delivery_id=delivery.pk)
        delivery.refresh_from_db()
        assert (delivery.state, delivery.attempts, delivery.last_error) == ("failed", 4, "HTTP 500")
        assert webhook_deliver(delivery_id=delivery.pk).state == "failed"  # type: ignore[union-attr]
        assert len(receiver.received) == 4
    finally:
        receiver.stop()


def test_a_dataset_version_and_payouts_announce_themselves(admin, reviewer, org, settings) -> None:
    from annotations.services.datasets import DatasetFields, dataset_create, version_build
    from annotations.services.payouts import payout_event, payouts_gather
    from annotations.services.webhooks import endpoint_create

    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    org_hook = endpoint_create(actor=admin, url="http://127.0.0.1:9/a", events=["dataset_version.built"])
    admin.is_staff = True
    admin.save()
    platform_hook = endpoint_create(
        actor=admin, url="http://127.0.0.1:9/b", events=["payout.confirmed", "payout.failed"], platform=True
    )
    project = with_media_bytes(published_project(items=3, organization=org, output_spec=SPEC, rubric=RUBRIC))
    approved_work(project, reviewer, 1)
    dataset = dataset_create(actor=admin, fields=DatasetFields(name="D", project_ids=[project.pk]))
    build_here(version_build(actor=admin, dataset=dataset))
    built = WebhookDelivery.objects.get(endpoint=org_hook)
    assert built.event == "dataset_version.built" and built.payload["data"]["record_count"] == 1
    assert built.payload["data"]["version"] == DatasetVersion.objects.get(dataset=dataset).number
    assert payouts_gather(minimum_minor=1) == 1
    from annotations.models import Payout

    payout = Payout.objects.get()
    payout_event(key=payout.idempotency_key, status="confirmed")
    payout_event(key=payout.idempotency_key, status="confirmed")  # told twice: announced once
    events = list(WebhookDelivery.objects.filter(endpoint=platform_hook).values_list("event", flat=True))
    assert events == ["payout.confirmed"]
