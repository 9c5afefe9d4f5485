"""An admin adds a webhook in the console, is refused a metadata address with a clear message, sends a test event
to a receiver on loopback and reads the delivery log; redelivers from it. All of it is in the audit log."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from annotations.domain.webhooks import verify_signature
from annotations.models import AuditEvent, User
from tests.e2e.conftest import login
from tests.webhook_receiver import Receiver

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def loopback_allowed(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The receiver lives on loopback: allow it here, and for the worker the next fixture starts."""
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    monkeypatch.setenv("WEBHOOK_ALLOWED_NETWORKS", "127.0.0.0/8")


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver().start()
    yield r
    r.stop()


def test_admin_adds_a_webhook_and_reads_its_log(
    loopback_allowed: None,
    receiver: Receiver,
    page: Any,
    demo_data: dict[str, int],
    screenshots: Path,
    worker_for_live_server: None,
) -> None:
    login(page, "admin")
    page.get_by_role("heading", name="Projects").wait_for()
    page.get_by_role("link", name="Webhooks").click()
    form = page.get_by_role("form", name="Add an endpoint")
    form.get_by_label("URL").fill("http://169.254.169.254/latest/meta-data")
    form.get_by_role("button", name="Add endpoint").click()
    form.get_by_text(re.compile("cloud metadata address")).wait_for()
    form.get_by_label("URL").fill(receiver.url)
    form.get_by_label("Description").fill("Training pipeline")
    form.get_by_role("button", name="Add endpoint").click()
    secret = page.get_by_test_id("webhook-secret").inner_text()
    assert secret.startswith("whsec_")
    hook = page.get_by_role("region", name=f"Webhook {receiver.url}")
    hook.get_by_role("button", name="Send test").click()
    deadline = time.monotonic() + 30
    while not receiver.received:
        assert time.monotonic() < deadline, "the test event never arrived"
        time.sleep(0.2)
    ping = receiver.received[0]
    assert ping.json["event"] == "ping" and verify_signature(secret, ping.headers["Atelier-Signature"], ping.body)
    hook.get_by_role("button", name="Delivery log").click()
    log = hook.get_by_test_id("delivery-log")
    for _ in range(20):
        if log.locator(".badge", has_text="delivered").count():
            break
        log.get_by_role("button", name="Refresh").click()
        time.sleep(0.3)
    log.locator(".badge", has_text="delivered").wait_for()
    page.screenshot(path=screenshots / "webhooks.png", full_page=True)
    log.get_by_role("button", name="Redeliver").click()
    deadline = time.monotonic() + 30
    while len(receiver.received) < 2:
        assert time.monotonic() < deadline, "the redelivery never arrived"
        time.sleep(0.2)
    assert receiver.received[1].headers["Atelier-Delivery"] == ping.headers["Atelier-Delivery"]

    # The audit log holds each of these actions, newest first, and filters by kind and by person.
    page.keyboard.press("g")
    page.keyboard.press("l")
    page.wait_for_url(re.compile(r"/settings/audit$"))
    rows = page.locator("table.audit tbody tr")
    rows.first.wait_for()
    assert "sent a delivery again to the webhook" in rows.first.inner_text()
    assert rows.filter(has_text="sent a test ping to the webhook").count() == 1
    assert rows.filter(has_text="added the webhook").filter(has_text=receiver.url).count() == 1
    page.get_by_role("tab", name="projects").click()
    page.wait_for_url(re.compile(r"kind=project"))
    # The demo's projects were seeded, not posted; the one project event is the seed making Foley require its exam.
    expect(rows).to_have_count(1)
    assert AuditEvent.objects.filter(action__startswith="project.").count() == 1
    page.get_by_role("tab", name="webhooks").click()
    page.wait_for_url(re.compile(r"kind=webhook"))
    expect(rows).to_have_count(3)
    assert rows.filter(has_text="webhook.").count() == 3
    page.screenshot(path=screenshots / "audit-log.png", full_page=True)
    page.get_by_role("tab", name="all").click()
    rows.first.get_by_role("button").click()  # the admin's own name: only their actions
    page.get_by_text("Show everyone's").wait_for()
    assert page.url.endswith(f"?actor={User.objects.get(username='admin').pk}")
