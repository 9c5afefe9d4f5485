"""Faults against the real services: PostgreSQL going away mid-request and mid-build; object storage answering 500
and timing out under ingestion; Redis restarted with tasks queued; a worker killed mid-ingestion.

An outage is made the way a restart looks to the application: the test database stops accepting connections
(`ALLOW_CONNECTIONS false`) and every connection to it is terminated, then, a few seconds later, it accepts them
again. A request caught in the middle answers 503 in the error shape and changes nothing; the same request works
once the database is back. A dataset build caught in the middle finishes by itself: its tasks retry on the
database errors, and nothing is written twice."""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import psycopg
import pytest
import requests
from django.db import connection
from django.test import Client

from annotations.models import Contribution, DatasetShard, DatasetVersion, MediaFile
from annotations.services.datasets import DatasetFields, dataset_create, version_build
from annotations.services.ingestion import pending_media_sweep
from annotations.services.work import contribution_claim_next
from tests import media
from tests.conftest import free_port, need, start_worker, wait_for_port, worker_database_url
from tests.datasets_support import RUBRIC, SPEC, approved_work, with_media_bytes
from tests.factories import ProjectFactory, UserFactory, published_project
from tests.faulty_s3 import FaultyS3

pytestmark = pytest.mark.django_db(transaction=True)


def _admin_dsn() -> str:
    if connection.vendor != "postgresql":
        need("PostgreSQL", f"the outage is made on the test database, and it is {connection.vendor}")
    s = connection.settings_dict
    return f"host={s['HOST'] or '127.0.0.1'} port={s['PORT'] or 5432} user={s['USER'] or 'postgres'} dbname=postgres"


@pytest.fixture
def postgres_database() -> None:
    """The outage is made on the test database itself, so that must be PostgreSQL: a PostgreSQL server merely running
    beside an embedded run (SQLite in memory) is not enough. Fails in CI, skips elsewhere."""
    _admin_dsn()


@contextmanager
def database_outage() -> Iterator[None]:
    """The test database refuses and drops every connection inside the block; it comes back when the block ends."""
    name = connection.settings_dict["NAME"]
    with psycopg.connect(_admin_dsn(), autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )
        try:
            yield
        finally:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    connection.close()  # this process's own connection was dropped too


def _waiting_on_a_lock(name: str) -> bool:
    with psycopg.connect(_admin_dsn(), autocommit=True) as admin:
        row = admin.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'", [name]
        ).fetchone()
    return bool(row and row[0])


def test_a_request_caught_by_a_database_restart_answers_503_changes_nothing_and_works_after(
    postgres_database: None, live_server: Any
) -> None:
    project = published_project(items=2)
    freelancer: Any = UserFactory(role="freelancer")
    c = contribution_claim_next(actor=freelancer, project=project)
    browser = Client()
    browser.force_login(freelancer)
    http = requests.Session()
    http.cookies.set("sessionid", browser.cookies["sessionid"].value)
    http.cookies.set("csrftoken", "faultcsr" * 4)
    http.headers["X-CSRFToken"] = "faultcsr" * 4
    url = f"{live_server.url}/api/v1/contributions/{c.pk}/work"
    body: dict[str, Any] = {"version": c.version, "intent": "Kept the horizon low.", "notes": [], "answers": {}}

    # Hold the contribution's row lock elsewhere, so the autosave is inside its transaction when the database goes.
    name = connection.settings_dict["NAME"]
    s = connection.settings_dict
    holder = psycopg.connect(
        host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432, user=s["USER"] or "postgres", dbname=name
    )
    answers: list[requests.Response] = []
    try:
        holder.execute("SELECT id FROM annotations_contribution WHERE id = %s FOR UPDATE", [c.pk])
        saving = threading.Thread(target=lambda: answers.append(http.put(url, json=body, timeout=60)))
        saving.start()
        deadline = time.monotonic() + 20
        while not _waiting_on_a_lock(name):
            assert not answers, f"the autosave did not wait for the lock: {answers[0].status_code} {answers[0].text}"
            assert time.monotonic() < deadline, "the autosave never reached the database"
            time.sleep(0.05)
        with database_outage():
            saving.join(timeout=30)
            during = http.get(f"{live_server.url}/api/v1/contributions/{c.pk}", timeout=30)
    finally:
        holder.close()

    (caught,) = answers
    for refused in (caught, during):
        assert refused.status_code == 503, refused.text
        assert refused.json()["error"]["code"] == "unavailable" and refused.headers["Retry-After"] == "5"
    assert Contribution.objects.get(pk=c.pk).version == c.version  # the caught autosave left nothing behind
    again = http.put(url, json=body, timeout=30)  # the same request, once the database is back
    assert again.status_code == 200, again.text
    saved = Contribution.objects.get(pk=c.pk)
    assert (saved.version, saved.intent) == (c.version + 1, body["intent"])


def test_a_dataset_build_caught_by_a_database_restart_finishes_by_itself(
    postgres_database: None, redis_url: str, settings: Any, admin: Any, reviewer: Any, org: Any
) -> None:
    records = 24
    project = with_media_bytes(
        published_project(
            items=records, organization=org, output_spec=SPEC, rubric=RUBRIC, generative_tools_allowed=True
        )
    )
    for n in range(records):
        approved_work(project, reviewer, n)
    dataset = dataset_create(
        actor=admin,
        fields=DatasetFields(name="Outage", project_ids=[project.pk], formats=["jsonl", "parquet"], shard_size=2),
    )
    env = {
        "REDIS_URL": redis_url,
        "DATABASE_URL": worker_database_url(),
        "SECRET_KEY": settings.SECRET_KEY,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    worker = start_worker(env)
    try:
        version = version_build(actor=admin, dataset=dataset)
        deadline = time.monotonic() + 60
        while DatasetShard.objects.filter(version=version, state="done").count() < 2:
            assert time.monotonic() < deadline, "no shard was written"
            time.sleep(0.05)
        with database_outage():
            time.sleep(3)  # the worker meets a closed database for a few seconds
        assert DatasetShard.objects.filter(version=version, state="done").count() < 24, "the outage came too late"
        deadline = time.monotonic() + 180  # no sweep here: the tasks' own retries must carry the build through
        while DatasetVersion.objects.get(pk=version.pk).state != "built":
            assert DatasetVersion.objects.get(pk=version.pk).state == "building", "the build failed"
            assert time.monotonic() < deadline, "the build did not finish after the database came back"
            time.sleep(0.5)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    version.refresh_from_db()
    shards = list(DatasetShard.objects.filter(version=version))
    assert (version.record_count, version.shards_total, version.shards_done) == (records, 24, 24)
    assert all(s.state == "done" and s.record_count == 2 for s in shards)


# --- Object storage answering 500 and timing out ------------------------------------------------------------
@pytest.fixture
def faulty_s3(s3_storage: str, s3_server: Any, settings: Any) -> Iterator[FaultyS3]:
    """The test and its workers reach the S3 server through the fault-injecting proxy."""
    proxy = FaultyS3(s3_server.endpoint).start()
    settings.S3_ENDPOINT_URL = settings.S3_PUBLIC_ENDPOINT_URL = proxy.url
    try:
        yield proxy
    finally:
        proxy.stop()


def _s3_worker(broker: str, bucket: str, settings: Any, endpoint: str, **extra: str) -> Any:
    """A real worker on `broker`, sharing the test database and reaching the bucket at `endpoint`."""
    return start_worker(
        {
            "REDIS_URL": broker,
            "DATABASE_URL": worker_database_url(),
            "SECRET_KEY": settings.SECRET_KEY,
            "S3_BUCKET": bucket,
            "S3_ENDPOINT_URL": endpoint,
            "S3_ACCESS_KEY_ID": "testing",
            "S3_SECRET_ACCESS_KEY": "testing",
            **extra,
        }
    )


def _upload_pending(client_for: Any, admin: Any, n: int) -> tuple[Any, list[int]]:
    project = ProjectFactory.create(organization=admin.organization)
    c = client_for(admin)
    files = [media.png(colour=(10 * k, 90, 140)) for k in range(n)]
    announced = c.post(
        f"/api/v1/projects/{project.pk}/uploads",
        {
            "files": [
                {"name": f"f{k}.png", "size_bytes": len(d), "content_type": "image/png"} for k, d in enumerate(files)
            ]
        },
    ).json()["uploads"]
    for ticket, data in zip(announced, files, strict=True):
        posted = requests.post(
            ticket["url"], data=ticket["form_fields"], files={"file": ("f.png", data, "image/png")}, timeout=30
        )
        assert posted.status_code in (200, 201, 204)
    return c, [t["file_id"] for t in announced]


@pytest.mark.parametrize("fault", ["errors", "timeouts"])
def test_ingestion_rides_out_storage_errors_and_timeouts(
    fault: str, redis_url: str, s3_storage: str, faulty_s3: FaultyS3, settings: Any, client_for: Any, admin: Any
) -> None:
    c, ids = _upload_pending(client_for, admin, 3)
    project_id = MediaFile.objects.get(pk=ids[0]).project_id
    done = c.post(f"/api/v1/projects/{project_id}/uploads/complete", {"file_ids": ids})
    assert done.status_code == 200, done.content  # the ingestion tasks wait in Redis: no worker yet
    if fault == "errors":
        faulty_s3.fail_next(6)  # twice what boto retries on its own: the tasks must retry themselves
    else:
        faulty_s3.stall_next(6, seconds=2.5)  # longer than the worker's 1 s read timeout
    worker = _s3_worker(redis_url, s3_storage, settings, faulty_s3.url, S3_READ_TIMEOUT="1")
    try:
        deadline = time.monotonic() + 180  # retries back off (5 s, 10 s, … with jitter)
        while MediaFile.objects.filter(pk__in=ids, status="pending").exists():
            assert time.monotonic() < deadline, list(MediaFile.objects.filter(pk__in=ids).values("status"))
            time.sleep(0.3)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert faulty_s3.seen["errors" if fault == "errors" else "stalls"] > 0  # the faults really happened
    files = list(MediaFile.objects.filter(pk__in=ids))
    assert [f.status for f in files] == ["ready"] * 3, [f.failure_reason for f in files]
    previews = faulty_s3_keys(s3_storage, "previews/")
    assert sorted(previews) == sorted(f.preview_key for f in files)  # one preview each, none written twice


def test_a_request_meeting_a_storage_fault_answers_503_changes_nothing_and_works_after(
    s3_storage: str, faulty_s3: FaultyS3, client_for: Any, admin: Any
) -> None:
    c, ids = _upload_pending(client_for, admin, 2)
    project_id = MediaFile.objects.get(pk=ids[0]).project_id
    before = sorted(MediaFile.objects.filter(pk__in=ids).values_list("status", flat=True))
    faulty_s3.fail_next(3)  # every attempt boto makes at the first check (one try and two retries)
    refused = c.post(f"/api/v1/projects/{project_id}/uploads/complete", {"file_ids": ids})
    assert refused.status_code == 503 and refused.json()["error"]["code"] == "unavailable"
    assert refused["Retry-After"] == "5"
    assert sorted(MediaFile.objects.filter(pk__in=ids).values_list("status", flat=True)) == before
    assert c.post(f"/api/v1/projects/{project_id}/uploads/complete", {"file_ids": ids}).status_code == 200


def faulty_s3_keys(bucket: str, prefix: str) -> list[str]:
    from annotations.providers.storage import object_storage

    return [key for key, _size in object_storage().list_keys(prefix, 1000)]


# --- Redis restarted with tasks queued; a worker killed mid-ingestion ---------------------------------------
@contextmanager
def private_redis() -> Iterator[tuple[str, Any]]:
    """A Redis server of this test's own (it is killed and restarted), without persistence, like the one CI runs.
    The test process's Celery app sends to it for the duration. Yields its URL and a restart function."""
    import shutil

    from celery import current_app

    if shutil.which("redis-server") is None:
        need("Redis", "redis-server is not installed")
    port = free_port()
    command = ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"]
    procs = [subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    assert wait_for_port(port), "redis-server did not start"
    url = f"redis://127.0.0.1:{port}/0"

    def restart() -> None:
        procs[-1].send_signal(signal.SIGKILL)  # a crash: whatever was queued is gone
        procs[-1].wait(timeout=10)
        procs.append(subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        assert wait_for_port(port), "redis-server did not come back"

    def send_to(broker: str) -> None:
        current_app.conf.update(broker_url=broker)
        # The connection and producer pools are made from the URL on first use: forget them.
        setattr(current_app, "_pool", None)  # noqa: B010
        setattr(current_app.amqp, "_producer_pool", None)  # noqa: B010

    previous = current_app.conf.broker_url
    send_to(url)
    try:
        yield url, restart
    finally:
        send_to(previous)
        procs[-1].terminate()
        procs[-1].wait(timeout=10)


def test_a_redis_restart_loses_the_queue_and_the_sweep_brings_every_task_back(
    s3_storage: str, s3_server: Any, settings: Any, client_for: Any, admin: Any
) -> None:
    with private_redis() as (broker, restart):
        c, ids = _upload_pending(client_for, admin, 4)
        project_id = MediaFile.objects.get(pk=ids[0]).project_id
        assert c.post(f"/api/v1/projects/{project_id}/uploads/complete", {"file_ids": ids}).status_code == 200
        restart()  # the four ingestion tasks were queued, with no worker yet: now they are lost
        worker = _s3_worker(broker, s3_storage, settings, s3_server.endpoint)
        try:
            time.sleep(2)
            assert MediaFile.objects.filter(pk__in=ids, status="pending").count() == 4  # nothing to work on
            assert pending_media_sweep(older_than=timedelta(0)) == 4  # what beat does (every 5 minutes)
            deadline = time.monotonic() + 90
            while MediaFile.objects.filter(pk__in=ids, status="pending").exists():
                assert time.monotonic() < deadline, "the resent tasks did not run"
                time.sleep(0.3)
        finally:
            worker.terminate()
            worker.wait(timeout=30)
    assert sorted(MediaFile.objects.filter(pk__in=ids).values_list("status", flat=True)) == ["ready"] * 4
    assert len(faulty_s3_keys(s3_storage, "previews/")) == 4  # each file ingested once


def test_a_worker_killed_mid_ingestion_leaves_nothing_half_done(
    s3_storage: str, s3_server: Any, settings: Any, client_for: Any, admin: Any
) -> None:
    """SIGKILL while the first files are being ingested; the next worker and the sweep finish every file, once."""
    with private_redis() as (broker, _restart):
        c, ids = _upload_pending(client_for, admin, 12)
        project_id = MediaFile.objects.get(pk=ids[0]).project_id
        assert c.post(f"/api/v1/projects/{project_id}/uploads/complete", {"file_ids": ids}).status_code == 200
        worker = _s3_worker(broker, s3_storage, settings, s3_server.endpoint)
        deadline = time.monotonic() + 60
        while not MediaFile.objects.filter(pk__in=ids, status="ready").exists():
            assert time.monotonic() < deadline, "nothing was ingested"
            time.sleep(0.02)
        worker.send_signal(signal.SIGKILL)  # mid-batch: some ready, some not
        worker.wait(timeout=30)
        assert MediaFile.objects.filter(pk__in=ids, status="pending").exists(), "the kill came too late"
        worker = _s3_worker(broker, s3_storage, settings, s3_server.endpoint)
        try:
            deadline = time.monotonic() + 90
            while MediaFile.objects.filter(pk__in=ids, status="pending").exists():
                assert time.monotonic() < deadline, "the files did not all get ingested"
                pending_media_sweep(older_than=timedelta(seconds=3))  # resends what the killed worker held
                time.sleep(1)
        finally:
            worker.terminate()
            worker.wait(timeout=30)
    files = list(MediaFile.objects.filter(pk__in=ids))
    assert [f.status for f in files] == ["ready"] * 12, [f.failure_reason for f in files]
    assert sorted(faulty_s3_keys(s3_storage, "previews/")) == sorted(f.preview_key for f in files)


def test_a_connection_closed_mid_answer_is_a_transient_storage_fault() -> None:
    """Found by the storage fault test in CI: a connection the server closed mid-answer surfaced as a 500."""
    import botocore.exceptions

    from annotations.providers.storage import _transient

    assert _transient(botocore.exceptions.ConnectionClosedError(endpoint_url="http://s3.invalid/b/k"))
    assert not _transient(ValueError("bad data is never retried"))
