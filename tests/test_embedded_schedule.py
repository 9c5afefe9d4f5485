"""The embedded mode (no Redis, SQLite) runs its scheduled work: the worker with beat that `make run` starts
beside the web process gets beat's due tasks through the folder broker and does them.

Real processes on a database file of their own: migrate, then a balance that is due and a webhook delivery whose
retry is due, then `celery -A atelier worker --beat --pool solo` with EMBEDDED_WORKER=true, as the Makefile starts
it, with every schedule shortened to two seconds (tests/embedded_schedule_settings.py). The balance is paid out
(through to the sandbox's confirmation) and the webhook delivered, each by the worker (its log shows it received
the task), exactly once.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.webhook_receiver import Receiver

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
# As the Makefile's `run` target starts it when REDIS_URL is unset (with EMBEDDED_WORKER=true).
COMMAND = [str(BIN / "celery"), "-A", "atelier", "worker", "--beat", "--pool", "solo", "--loglevel", "INFO"]

SEED = """
import django
django.setup()
from django.utils import timezone
from annotations.models import Organization, User, WebhookDelivery, WebhookEndpoint
from annotations.services.ledger import Leg, ledger_post, payable

fl = User.objects.create_user(username="fl", password="x", role="freelancer")
ledger_post(kind="bonus", key="seed:due", memo="Due", legs=[Leg("platform:bonuses", -2500, "USD"),
            Leg(payable(fl.pk), 2500, "USD")], freelancer=fl)
org = Organization.objects.create(name="Org", slug="org")
admin = User.objects.create_user(username="ad", password="x", role="admin", organization=org)
endpoint = WebhookEndpoint.objects.create(organization=org, url="{url}", events=["contribution.submitted"],
                                          secret="whsec_t", created_by=admin)
WebhookDelivery.objects.create(endpoint=endpoint, event="ping", event_id="00000000-0000-4000-8000-000000000001",
                               payload={{"event": "ping"}}, attempts=1, next_attempt_at=timezone.now())
"""


def embedded_env(data_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "S3_BUCKET", "S3_ENDPOINT_URL", "CI")
        and not k.startswith(("PYTEST", "CELERY"))
    }
    env.update(
        PYTHONPATH=os.environ.get("PYTHONPATH", f"{ROOT / 'platform'}:{ROOT}"),
        DJANGO_SETTINGS_MODULE="tests.embedded_schedule_settings",
        ATELIER_DATA_DIR=str(data_dir),
        WEBHOOK_ALLOWED_NETWORKS="127.0.0.1/32",
        SANDBOX_SETTLE_SECONDS="0.5",
    )
    return env


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db, timeout=10) as conn:
        return list(conn.execute(sql))


def test_the_embedded_worker_and_beat_pay_a_due_balance_and_retry_a_due_webhook(tmp_path: Path) -> None:
    # Given an embedded installation with a due balance and a due webhook retry
    data = tmp_path / "var"
    env = embedded_env(data)
    python = str(BIN / "python")
    migrate = subprocess.run(
        [python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert migrate.returncode == 0, migrate.stderr
    receiver = Receiver().start()
    try:
        seed = subprocess.run(
            [python, "-c", SEED.format(url=receiver.url)], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert seed.returncode == 0, seed.stderr
        db = data / "atelier.sqlite3"

        # When the worker with beat runs as `make run` starts it in the embedded mode
        log = (tmp_path / "worker.log").open("w")
        worker = subprocess.Popen(
            [*COMMAND, "--schedule", str(data / "celerybeat-schedule")],
            cwd=ROOT,
            env={**env, "EMBEDDED_WORKER": "true"},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 60
            payouts: list[tuple[object, ...]] = []
            while time.monotonic() < deadline:
                payouts = rows(db, "SELECT state, amount_minor FROM annotations_payout")
                if payouts == [("confirmed", 2500)] and receiver.delivered("ping"):
                    break
                assert worker.poll() is None, (tmp_path / "worker.log").read_text()[-3000:]
                time.sleep(0.5)
            time.sleep(3)  # more rounds of the schedule: nothing is paid or sent twice
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=30)
            log.close()
        output = (tmp_path / "worker.log").read_text()

        # Then the balance was paid out once, confirmed, and the webhook delivered once, by the worker
        assert rows(db, "SELECT state, amount_minor FROM annotations_payout") == [("confirmed", 2500)], output[-3000:]
        assert rows(db, "SELECT state FROM annotations_webhookdelivery") == [("delivered",)]
        assert len(receiver.delivered("ping")) == 1
        tasks = ("gather_payouts", "gather_payout_shard", "send_payout_batch", "sandbox_settle_batch")
        for task in (*tasks, "dispatch_due_webhooks", "deliver_webhook"):
            assert re.search(rf"Task workers\.{task}\[[^\]]+\] received", output), task
        assert "expire_leases" in output and "approve_overdue_reviews" in output
    finally:
        receiver.stop()


@pytest.mark.parametrize("worker", ["", "true"])
def test_only_the_embedded_worker_sends_through_the_folder_broker(tmp_path: Path, worker: str) -> None:
    probe = "from django.conf import settings; print(settings.CELERY_TASK_ALWAYS_EAGER, settings.CELERY_BROKER_URL)"
    env = {**embedded_env(tmp_path / "var"), "DJANGO_SETTINGS_MODULE": "atelier.settings", "EMBEDDED_WORKER": worker}
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True)
    assert out.stdout.split() == [str(not worker), "filesystem://"], out.stderr
    assert (tmp_path / "var" / "celery" / "queue").is_dir()
