"""Dataset builds: a snapshot task, one task per shard (retried alone, with backoff, on transient failures),
and the join. Any number of workers on the same broker, database and bucket share the shards of a build."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from annotations.services.datasets import (
    dataset_builds_sweep,
    shard_build,
    shard_failed,
    version_finalize,
    version_snapshot,
)
from workers.retry import DATABASE_UNAVAILABLE, TRANSIENT

SHARD_RETRIES = 5


@shared_task(
    name="workers.snapshot_dataset_version",
    autoretry_for=DATABASE_UNAVAILABLE,
    retry_backoff=5,
    max_retries=5,
)
def snapshot_dataset_version(version_id: int) -> str | None:
    version = version_snapshot(version_id=version_id)
    return None if version is None else str(version.state)


@shared_task(name="workers.build_dataset_shard", bind=True, max_retries=SHARD_RETRIES)
def build_dataset_shard(self: Any, shard_id: int) -> str | None:
    try:
        shard = shard_build(shard_id=shard_id)
    except TRANSIENT as exc:
        if self.request.retries >= SHARD_RETRIES:
            shard_failed(shard_id=shard_id, error=str(exc))
            raise
        raise self.retry(exc=exc, countdown=min(600, 5 * 2**self.request.retries)) from exc
    return None if shard is None else str(shard.state)


@shared_task(name="workers.finalize_dataset_version", autoretry_for=TRANSIENT, retry_backoff=5, max_retries=8)
def finalize_dataset_version(version_id: int) -> str | None:
    version = version_finalize(version_id=version_id)
    return None if version is None else str(version.state)


@shared_task(name="workers.sweep_dataset_builds")
def sweep_dataset_builds() -> int:
    return dataset_builds_sweep()
