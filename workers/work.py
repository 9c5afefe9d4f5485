"""Periodic work on claims: leases that ran out go back to the pool."""

from __future__ import annotations

from celery import shared_task

from annotations.services.work import leases_expire


@shared_task(name="workers.expire_leases")
def expire_leases() -> int:
    return leases_expire()
