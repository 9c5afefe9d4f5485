"""Health of the dependencies, each check bounded by a short timeout."""

from __future__ import annotations

import os
from typing import Any

import redis
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection


def _database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"ok": True, "detail": connection.vendor}
    except Exception as exc:
        return {"ok": False, "detail": f"{connection.vendor}: {type(exc).__name__}"}


def _broker() -> dict[str, Any]:
    if settings.EMBEDDED_TASKS:
        return {"ok": True, "detail": "embedded (tasks run in-process; set REDIS_URL for workers)"}
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
        return {"ok": True, "detail": "redis"}
    except Exception as exc:
        return {"ok": False, "detail": f"redis: {type(exc).__name__}"}


def _storage() -> dict[str, Any]:
    if settings.S3_BUCKET:
        try:
            client = default_storage.connection.meta.client  # type: ignore[attr-defined]
            client.head_bucket(Bucket=settings.S3_BUCKET)
            return {"ok": True, "detail": f"s3 bucket {settings.S3_BUCKET}"}
        except Exception as exc:
            return {"ok": False, "detail": f"s3 bucket {settings.S3_BUCKET}: {type(exc).__name__}"}
    root = settings.MEDIA_ROOT
    existing = next(p for p in (root, *root.parents) if p.exists())  # the folder is made on first write
    if existing.is_dir() and os.access(existing, os.W_OK):
        return {"ok": True, "detail": "local folder"}
    return {"ok": False, "detail": "local folder missing or not writable"}


def health_report() -> dict[str, Any]:
    checks = {"database": _database(), "broker": _broker(), "storage": _storage()}
    return {"status": "ok" if all(c["ok"] for c in checks.values()) else "degraded", "checks": checks}
