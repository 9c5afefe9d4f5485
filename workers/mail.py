"""Mail tasks. send_email may run more than once for one mail (a retry, a message redelivered after a worker died,
the sweeper, two workers): the service sends under the row's lock and only while the row is pending."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from annotations.services.mail import TransientMailError, outbound_email_send, outbound_emails_sweep
from annotations.services.notifications import project_digests_send
from workers.retry import DATABASE_UNAVAILABLE

MAX_RETRIES = 8
DIGEST_BATCH = 200


@shared_task(
    name="workers.send_email",
    bind=True,
    autoretry_for=(TransientMailError, *DATABASE_UNAVAILABLE),
    retry_backoff=10,
    retry_backoff_max=600,  # kept well under the visibility timeout (docs/architecture.md, "Jobs")
    retry_jitter=True,
    max_retries=MAX_RETRIES,
)
def send_email(self: Any, email_id: int) -> str | None:
    try:
        row = outbound_email_send(email_id=email_id, final_attempt=self.request.retries >= MAX_RETRIES)
    except TransientMailError:
        if self.request.is_eager:  # embedded mode: never fail the request that sent it; the sweeper tries again
            return "pending"
        raise
    return None if row is None else str(row.state)


@shared_task(name="workers.sweep_emails")
def sweep_emails() -> int:
    return outbound_emails_sweep()


@shared_task(name="workers.send_project_digests", bind=True)
def send_project_digests(self: Any, after_id: int = 0) -> int:
    """One batch of freelancers by id; the next batch is its own task, so no run holds a worker for long."""
    last = project_digests_send(after_id=after_id, limit=DIGEST_BATCH)
    if last is not None:
        send_project_digests.delay(last)
    return last or 0
