"""Payout tasks. send_payout runs once per payout; it may run again (a worker killed mid-call, a message
redelivered under acks_late, a sweep re-sending a stuck payout) and that is safe: the provider call carries the
payout's idempotency key and the state only moves forward."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from annotations.providers.payouts import TransientProviderError
from annotations.services.payouts import (
    payout_batch_send,
    payout_send,
    payouts_gather_sharded,
    payouts_request_many,
    payouts_sweep,
    sandbox_settle,
    sandbox_settle_batch,
)
from workers.retry import DATABASE_UNAVAILABLE

MAX_RETRIES = 8
# A send retries on a rail's transient answer and on a database outage, with backoff, always under the same keys.
SEND_RETRIES: dict[str, Any] = {
    "bind": True,
    "autoretry_for": (TransientProviderError, *DATABASE_UNAVAILABLE),
    "retry_backoff": 5,
    "retry_backoff_max": 900,
    "retry_jitter": True,
    "max_retries": MAX_RETRIES,
}


@shared_task(name="workers.send_payout", **SEND_RETRIES)
def send_payout(self: Any, payout_id: int) -> str | None:
    payout = payout_send(payout_id=payout_id)
    return None if payout is None else str(payout.state)


@shared_task(name="workers.send_payout_batch", **SEND_RETRIES)
def send_payout_batch(self: Any, batch_id: int) -> int:
    return payout_batch_send(batch_id=batch_id)


@shared_task(name="workers.gather_payout_shard", autoretry_for=DATABASE_UNAVAILABLE, retry_backoff=5, max_retries=8)
def gather_payout_shard(freelancer_ids: list[int], currency: str) -> int:
    return payouts_request_many(freelancer_ids=freelancer_ids, currency=currency)


@shared_task(name="workers.sandbox_settle")
def sandbox_settle_task(key: str) -> str | None:
    transfer = sandbox_settle(key=key)
    return None if transfer is None else transfer.status


@shared_task(name="workers.sandbox_settle_batch", autoretry_for=DATABASE_UNAVAILABLE, retry_backoff=5, max_retries=8)
def sandbox_settle_batch_task(keys: list[str]) -> int:
    return sandbox_settle_batch(keys=keys)


@shared_task(name="workers.gather_payouts")
def gather_payouts() -> int:
    return payouts_gather_sharded()


@shared_task(name="workers.sweep_payouts")
def sweep_payouts() -> int:
    return payouts_sweep()
