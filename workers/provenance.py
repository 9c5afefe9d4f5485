"""Content Credentials tasks: embed C2PA in an approved contribution's file drafts, and a sweep for lost sends."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from annotations.services.credentials import credentials_embed, credentials_sweep
from workers.retry import TRANSIENT


@shared_task(
    name="workers.embed_content_credentials",
    bind=True,
    autoretry_for=TRANSIENT,
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=6,
)
def embed_content_credentials(self: Any, contribution_id: int) -> list[str]:
    return [row.state for row in credentials_embed(contribution_id=contribution_id)]


@shared_task(name="workers.sweep_content_credentials")
def sweep_content_credentials() -> int:
    return credentials_sweep()
