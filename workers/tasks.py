"""Task modules are imported by name from here so that `autodiscover_tasks(["workers"])` finds them all."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="workers.ping")
def ping(value: str) -> str:
    """Round trip through the broker and a worker; used by health tooling and the worker smoke test."""
    return f"pong:{value}"


from workers.datasets import (  # noqa: E402
    build_dataset_shard,
    finalize_dataset_version,
    snapshot_dataset_version,
    sweep_dataset_builds,
)
from workers.ingestion import ingest_media_file, sweep_pending_media  # noqa: E402
from workers.mail import send_email, send_project_digests, sweep_emails  # noqa: E402
from workers.payouts import (  # noqa: E402
    gather_payout_shard,
    gather_payouts,
    sandbox_settle_batch_task,
    sandbox_settle_task,
    send_payout,
    send_payout_batch,
    sweep_payouts,
)
from workers.provenance import embed_content_credentials, sweep_content_credentials  # noqa: E402
from workers.quality import fingerprint_draft, sweep_fingerprints  # noqa: E402
from workers.webhooks import deliver_webhook, dispatch_due_webhooks  # noqa: E402
from workers.work import approve_overdue_reviews, expire_leases  # noqa: E402

__all__ = [
    "approve_overdue_reviews",
    "build_dataset_shard",
    "deliver_webhook",
    "dispatch_due_webhooks",
    "embed_content_credentials",
    "expire_leases",
    "finalize_dataset_version",
    "fingerprint_draft",
    "gather_payout_shard",
    "gather_payouts",
    "ingest_media_file",
    "ping",
    "sandbox_settle_batch_task",
    "sandbox_settle_task",
    "send_email",
    "send_payout",
    "send_payout_batch",
    "send_project_digests",
    "snapshot_dataset_version",
    "sweep_content_credentials",
    "sweep_dataset_builds",
    "sweep_emails",
    "sweep_fingerprints",
    "sweep_payouts",
    "sweep_pending_media",
]
