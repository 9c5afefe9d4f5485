"""Ingestion tasks: one per uploaded file, retried with backoff while storage is unavailable."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from annotations.services.ingestion import media_file_ingest, pending_media_sweep
from workers.retry import TRANSIENT

MAX_RETRIES = 6


@shared_task(
    name="workers.ingest_media_file",
    bind=True,
    autoretry_for=TRANSIENT,
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=MAX_RETRIES,
)
def ingest_media_file(self: Any, media_file_id: int) -> str | None:
    media = media_file_ingest(media_file_id=media_file_id, final_attempt=self.request.retries >= MAX_RETRIES)
    return None if media is None else str(media.status)


@shared_task(name="workers.sweep_pending_media")
def sweep_pending_media() -> int:
    return pending_media_sweep()
