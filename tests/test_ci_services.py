"""In CI the suite runs on the real services: this fails the run if one is missing or not in use."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.skipif(not os.environ.get("CI"), reason="checks the CI environment only")


def test_database_is_postgresql() -> None:
    assert connection.vendor == "postgresql", "CI must run on PostgreSQL: set DATABASE_URL"


def test_broker_is_redis(redis_url: str) -> None:
    assert redis_url == settings.CELERY_BROKER_URL
    assert settings.CELERY_TASK_ALWAYS_EAGER is False


def test_chromium_is_installed() -> None:
    assert shutil.which("chromium") or Path("/usr/bin/chromium").exists()


def test_s3_server_answers(s3_server) -> None:
    assert s3_server.client.list_buckets()["ResponseMetadata"]["HTTPStatusCode"] == 200
