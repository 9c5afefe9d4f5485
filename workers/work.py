"""Periodic work on claims: leases that ran out go back to the pool."""

from __future__ import annotations

from celery import shared_task

from annotations.services.review import overdue_reviews_approve
from annotations.services.work import leases_expire


@shared_task(name="workers.expire_leases")
def expire_leases() -> int:
    return leases_expire()


@shared_task(name="workers.approve_overdue_reviews")
def approve_overdue_reviews() -> int:
    return overdue_reviews_approve()
