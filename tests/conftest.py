"""Fixtures shared by the suite: real services (PostgreSQL, Redis, an S3 API server on loopback), users, data.

With `CI` set, a test that needs a service that is not there fails; elsewhere it is skipped with the reason.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from django.conf import settings as django_settings
from rest_framework.test import APIClient

from tests.factories import OrganizationFactory, UserFactory

ROOT = Path(__file__).resolve().parents[1]
IN_CI = bool(os.environ.get("CI"))
# The Hugging Face libraries the loader tests use never reach for the network (nothing outside is reachable).
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")


def need(service: str, why: str) -> None:
    """Fail in CI, skip elsewhere: a missing service is never silently passed over in CI."""
    message = f"{service} is not available: {why}"
    if IN_CI:
        pytest.fail(message + " (CI needs every service)")
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            s.settimeout(0.5)
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.1)
    return False


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI nothing is passed over: a run that skipped a test fails, naming it and why (`make test-embedded`, the
    run without services, unsets CI, so its skips stay skips)."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return
    skipped = reporter.stats.get("skipped", [])
    if IN_CI and skipped:
        reporter.write_sep("=", "skipped in CI, where every test runs", red=True)
        for report in skipped:
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
            reporter.write_line(f"{report.nodeid}: {reason}", red=True)
        if exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


# --- Per-test isolation -------------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def _isolated_cache_and_media(settings: Any, tmp_path: Path) -> None:
    """Each test gets its own cache key space (Redis is shared with the broker, so never flush it) and media dir."""
    caches = {name: dict(conf) for name, conf in django_settings.CACHES.items()}
    for conf in caches.values():
        conf["KEY_PREFIX"] = f"t{uuid.uuid4().hex[:12]}"
    settings.CACHES = caches
    settings.MEDIA_ROOT = tmp_path / "media"
    # Password hashing is deliberately slow; tests make hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- S3: moto's server mode, a real HTTP S3 API on loopback ------------------------------------------------
class S3Server:
    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def new_bucket(self) -> str:
        name = f"atelier-test-{uuid.uuid4().hex[:12]}"
        self.client.create_bucket(Bucket=name)
        return name


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        if not wait_for_port(port):
            need("S3 API server (moto)", "it did not start")
        yield S3Server(f"http://127.0.0.1:{port}")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def s3_storage(settings: Any, s3_server: S3Server) -> str:
    """Point default storage at a fresh bucket on the S3 server; returns the bucket name."""
    bucket = s3_server.new_bucket()
    settings.S3_BUCKET = bucket
    settings.S3_ENDPOINT_URL = settings.S3_PUBLIC_ENDPOINT_URL = s3_server.endpoint
    settings.S3_ACCESS_KEY_ID = settings.S3_SECRET_ACCESS_KEY = "testing"
    settings.STORAGES = {
        **django_settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": s3_server.endpoint,
                "region_name": "us-east-1",
                "access_key": "testing",
                "secret_key": "testing",
                "default_acl": None,
                "file_overwrite": False,
                "signature_version": "s3v4",
                "addressing_style": "path",
            },
        },
    }
    return bucket


CELERY_WORKER = [
    sys.executable, "-m", "celery", "-A", "atelier", "worker", "--pool", "solo", "--loglevel", "WARNING",
    "--without-heartbeat", "--without-gossip", "--without-mingle",
]  # fmt: skip


# Each test process (pytest-xdist worker) sends its tasks to a queue of its own, so a Celery worker started by one
# process never takes a task meant for another's database (they share one Redis).
TEST_QUEUE = f"celery-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}"


@pytest.fixture(autouse=True, scope="session")
def _own_task_queue() -> None:
    from atelier.celery import app

    app.conf.task_default_queue = TEST_QUEUE


def start_worker(extra_env: dict[str, str], queues: str = TEST_QUEUE) -> subprocess.Popen[bytes]:
    """A real Celery worker (one process, solo pool) in a subprocess, with this checkout on its path; it takes this
    test process's queue and sends what it sends there too."""
    return subprocess.Popen(
        [*CELERY_WORKER, "-Q", queues],
        cwd=ROOT,
        env={
            **os.environ,
            "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}",
            "CELERY_TASK_DEFAULT_QUEUE": TEST_QUEUE,
            **extra_env,
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.fixture(params=["s3", "local"])
def storage_mode(request: Any) -> str:
    """Run the test against the real S3 API server and against the embedded local store."""
    if request.param == "s3":
        request.getfixturevalue("s3_storage")
    return str(request.param)


def worker_database_url() -> str:
    """The URL of the database this test runs on, for a worker process to share it (PostgreSQL only)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        need("PostgreSQL", "a worker process can share the test database only on PostgreSQL")
    s = connection.settings_dict
    host, port = s["HOST"] or "127.0.0.1", s["PORT"] or 5432
    return f"postgres://{s['USER'] or ''}:{s['PASSWORD'] or ''}@{host}:{port}/{s['NAME']}"


# --- Redis ---------------------------------------------------------------------------------------------------
@pytest.fixture
def redis_url() -> str:
    import redis

    url = django_settings.REDIS_URL
    if not url:
        need("Redis", "REDIS_URL is not set")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        need("Redis", str(exc))
    return url


# --- Users and clients ---------------------------------------------------------------------------------------
@pytest.fixture
def org() -> Any:
    return OrganizationFactory()


@pytest.fixture
def admin(org: Any) -> Any:
    return UserFactory(role="admin", organization=org)


@pytest.fixture
def reviewer(org: Any) -> Any:
    return UserFactory(role="reviewer", organization=org)


@pytest.fixture
def freelancer() -> Any:
    return UserFactory(role="freelancer", organization=None)


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def client_for() -> Callable[[Any], APIClient]:
    """A session-authenticated API client for a user (CSRF checks off, as in DRF's test client)."""

    def make(user: Any) -> APIClient:
        c = APIClient()
        c.force_login(user)
        return c

    return make


@pytest.fixture
def demo_data(db: None) -> dict[str, int]:
    from annotations.services.demo import seed_demo

    return seed_demo()


@pytest.fixture(scope="session")
def built_frontend() -> Path:
    """The Vite build the pages are served from; `make test` builds it first."""
    manifest = Path(django_settings.FRONTEND_DIST) / ".vite" / "manifest.json"
    if not manifest.is_file():
        pytest.fail("frontend/dist is not built: run `make frontend` (make test does it for you)")
    return manifest


# --- Mail: a real SMTP server on loopback -------------------------------------------------------------------
@pytest.fixture(scope="session")
def smtp_server() -> Iterator[Any]:
    from tests.smtp import start_smtp

    box, controller = start_smtp()
    try:
        yield box
    finally:
        controller.stop()


@pytest.fixture
def mailbox(settings: Any, smtp_server: Any) -> Iterator[Any]:
    """Mail sent by this process goes over SMTP to the loopback server; the mailbox starts empty."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = smtp_server.host
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    smtp_server.clear()
    smtp_server.before_accept = None
    smtp_server.hold = 0.0
    # The outbox's task runs in-process, after commit, as in the embedded mode (tests/test_mail_faults.py runs it
    # in a real worker instead).
    from celery import current_app

    eager = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = True
    yield smtp_server
    current_app.conf.task_always_eager = eager
