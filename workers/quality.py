"""Quality tasks: the perceptual fingerprint of each image draft, and a sweep for the ones whose task was lost."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from annotations.services.quality import draft_fingerprint, drafts_fingerprint_sweep
from workers.retry import TRANSIENT


@shared_task(
    name="workers.fingerprint_draft",
    bind=True,
    autoretry_for=TRANSIENT,
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=6,
)
def fingerprint_draft(self: Any, draft_id: int) -> int | None:
    draft = draft_fingerprint(draft_id=draft_id)
    return None if draft is None else draft.phash


@shared_task(name="workers.sweep_fingerprints")
def sweep_fingerprints() -> int:
    return drafts_fingerprint_sweep()
