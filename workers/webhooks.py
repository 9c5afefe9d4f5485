"""Webhook deliveries: one task per try; beat sends the ones whose retry is due."""

from __future__ import annotations

from celery import shared_task

from annotations.services.webhooks import webhook_deliver, webhooks_dispatch_due
from workers.retry import DATABASE_UNAVAILABLE


@shared_task(name="workers.deliver_webhook", autoretry_for=DATABASE_UNAVAILABLE, retry_backoff=5, max_retries=6)
def deliver_webhook(delivery_id: int) -> str | None:
    delivery = webhook_deliver(delivery_id=delivery_id)
    return None if delivery is None else str(delivery.state)


@shared_task(name="workers.dispatch_due_webhooks")
def dispatch_due_webhooks() -> int:
    return webhooks_dispatch_due()
