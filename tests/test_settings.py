"""Settings come from the environment, with embedded defaults that run on a fresh machine."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import json, django
from django.conf import settings
django.setup()
from django.core.files.storage import storages
print(json.dumps({
    "db": settings.DATABASES["default"]["ENGINE"],
    "db_name": str(settings.DATABASES["default"]["NAME"]),
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "broker": settings.CELERY_BROKER_URL,
    "cache": settings.CACHES["default"]["BACKEND"],
    "storage": type(storages["default"]).__name__,
    "debug": settings.DEBUG,
}))
"""


def run_settings(env: dict[str, str], tmp_path: Path, code: str = PROBE) -> subprocess.CompletedProcess[str]:
    base = {
        "PATH": os.environ["PATH"],
        "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}",
        "DJANGO_SETTINGS_MODULE": "atelier.settings",
        "ATELIER_DATA_DIR": str(tmp_path / "var"),
    }
    return subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env={**base, **env}, capture_output=True, text=True
    )


def test_nothing_set_runs_embedded(tmp_path: Path) -> None:
    out = run_settings({}, tmp_path)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    assert got == {
        "db": "django.db.backends.sqlite3",
        "db_name": str(tmp_path / "var" / "atelier.sqlite3"),
        "eager": True,
        "broker": "filesystem://",
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "storage": "FileSystemStorage",
        "debug": True,
    }


def test_urls_switch_to_the_real_services(tmp_path: Path) -> None:
    out = run_settings(
        {
            "DATABASE_URL": "postgres://u:p@db.example:5432/atelier",
            "REDIS_URL": "redis://cache.example:6379/0",
            "S3_BUCKET": "media",
            "S3_ENDPOINT_URL": "http://minio.example:9000",
            "S3_ACCESS_KEY_ID": "k",
            "S3_SECRET_ACCESS_KEY": "s",
        },
        tmp_path,
    )
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    assert got["db"] == "django.db.backends.postgresql"
    assert got["db_name"] == "atelier"
    assert got["eager"] is False
    assert got["broker"] == "redis://cache.example:6379/0"
    assert got["cache"] == "atelier.cache.ReusedClientRedisCache"
    assert got["storage"] == "S3Storage"


def test_production_refuses_the_development_secret_key(tmp_path: Path) -> None:
    out = run_settings({"DEBUG": "false"}, tmp_path)
    assert out.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in out.stderr


def test_visibility_timeout_must_cover_twice_the_time_limit(tmp_path: Path) -> None:
    out = run_settings({"CELERY_TASK_TIME_LIMIT": "600", "CELERY_VISIBILITY_TIMEOUT": "900"}, tmp_path)
    assert out.returncode != 0
    assert "CELERY_VISIBILITY_TIMEOUT must be at least twice" in out.stderr


@pytest.mark.usefixtures("built_frontend")
def test_check_deploy_is_clean_in_production(tmp_path: Path) -> None:
    env = {
        "PATH": os.environ["PATH"],
        "DEBUG": "false",
        "SECRET_KEY": "a-long-random-production-secret-key-" + "x7Qp" * 12,
        "ALLOWED_HOSTS": "atelier.example.com",
        "ATELIER_DATA_DIR": str(tmp_path / "var"),
    }
    out = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "System check identified no issues" in out.stdout
