"""Webhooks: endpoints, the events the domain emits, and their delivery through Celery.

`webhook_emit` is called inside the transaction of the change it reports: it writes one delivery row per
subscribed endpoint and sends the delivery tasks once that transaction commits, so an event is never sent for a
change that rolled back and never lost for one that committed. `webhook_deliver` posts the signed body; a non-2xx
answer or a network error is tried again three times, from 60 s doubling with jitter and at most an hour apart.

Retries are not Celery countdowns (a Redis broker redelivers a message held longer than its visibility timeout,
which an hour's wait would exceed): each delivery keeps its `next_attempt_at`, and `webhooks_dispatch_due` (beat,
every 30 s) sends the ones that are due, taking a five-minute lease on each so that it is sent once; a task lost
with its worker is sent again when the lease runs out. Each delivery carries a stable `Atelier-Delivery` id, so a
receiver can drop the rare duplicate (a worker lost between the endpoint's answer and the commit that records it).

Targets are resolved at creation and again before every send; a name that resolves to a loopback, private,
link-local or metadata address is refused unless `WEBHOOK_ALLOWED_NETWORKS` covers it. The send connects to the
address that was checked (`providers/pinned_http.py`), never resolving the name a second time, so a name that
answers differently the second time (DNS rebinding) cannot move the request inside; the Host header, TLS server
name and certificate check stay those of the name.
"""

from __future__ import annotations

import secrets
import socket
import uuid
from datetime import timedelta
from typing import Any

import orjson
import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from annotations.domain import webhooks as rules
from annotations.domain.errors import NotFound, PermissionDenied, ValidationFailed
from annotations.models import DeliveryState, Role, User, WebhookDelivery, WebhookEndpoint
from annotations.providers.pinned_http import post_pinned
from annotations.services.audit import audit_record
from annotations.services.jobs import enqueue_on_commit

DELIVER_TASK = "workers.deliver_webhook"
TIMEOUT_SECONDS = 10
LEASE = timedelta(minutes=5)
# Certificate verification for HTTPS targets: True (the default CA bundle) or a CA file (tests use their own CA).
TLS_VERIFY: bool | str = True


def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise rules.TargetRefused(
            gettext("%(host)s does not resolve: %(strerror)s.") % {"host": host, "strerror": exc.strerror}
        ) from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def check_target(url: str) -> list[str]:
    """The addresses the URL's host resolves to, in the resolver's order; TargetRefused unless every one of them
    may receive webhooks. Connect to one of these, never to a fresh lookup of the name."""
    host, port = rules.check_url(url)
    addresses = _resolve(host, port)
    for address in addresses:
        reason = rules.refused_reason(address, settings.WEBHOOK_ALLOWED_NETWORKS)
        if reason:
            raise rules.TargetRefused(
                gettext(
                    "%(host)s resolves to %(address)s: %(reason)s Webhooks go to public addresses only (a platform "
                    "operator can allow a network with WEBHOOK_ALLOWED_NETWORKS)."
                )
                % {"host": host, "address": address, "reason": reason}
            )
    return addresses


def _owner(actor: User, platform: bool) -> int | None:
    if actor.role != Role.ADMIN or actor.organization_id is None:
        raise PermissionDenied(gettext("Only admins manage webhooks."))
    if platform and not actor.is_staff:
        raise PermissionDenied(gettext("Only platform operators manage platform webhooks (payout events)."))
    return None if platform else actor.organization_id


def endpoint_create(
    *, actor: User, url: str, events: list[str], description: str = "", platform: bool = False
) -> WebhookEndpoint:
    """A new endpoint with a fresh secret (returned on the object this once)."""
    org_id = _owner(actor, platform)
    errors: dict[str, list[str]] = {}
    allowed = rules.PLATFORM_EVENTS if platform else set(rules.EVENTS) - rules.PLATFORM_EVENTS
    if not events or any(e not in allowed for e in events):
        errors["events"] = [gettext("One or more of: %(allowed)s.") % {"allowed": ", ".join(sorted(allowed))}]
    try:
        check_target(url)
    except rules.TargetRefused as exc:
        errors["url"] = [str(exc)]
    if errors:
        raise ValidationFailed(gettext("This webhook cannot be added."), code="invalid", fields=errors)
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.create(
            organization_id=org_id,
            url=url,
            description=description.strip(),
            events=sorted(set(events)),
            secret="whsec_" + secrets.token_urlsafe(32),
            created_by=actor,
        )
        audit_record(actor=actor, action="webhook.created", target=endpoint, data={"url": url, "events": events})
    return endpoint


def endpoint_visible(actor: User, endpoint_id: int) -> WebhookEndpoint:
    found = WebhookEndpoint.objects.filter(pk=endpoint_id).first()
    if found is None or actor.role != Role.ADMIN:
        raise NotFound(gettext("No such webhook."))
    if found.organization_id is None and not actor.is_staff:
        raise NotFound(gettext("No such webhook."))
    if found.organization_id is not None and found.organization_id != actor.organization_id:
        raise NotFound(gettext("No such webhook."))
    return found


def endpoint_delete(*, actor: User, endpoint_id: int) -> None:
    endpoint = endpoint_visible(actor, endpoint_id)
    with transaction.atomic():
        audit_record(actor=actor, action="webhook.deleted", target=endpoint, data={"url": endpoint.url})
        endpoint.delete()


# --- Events --------------------------------------------------------------------------------------------------


def contribution_event(c: Any) -> dict[str, Any]:
    """What a contribution event says: ids and times, never who the freelancer is."""
    return {
        "contribution_id": c.pk,
        "project_id": c.project_id,
        "task_id": c.task_id,
        "state": c.state,
        "content_sha256": c.content_sha256,
        "submitted_at": c.submitted_at.isoformat() if c.submitted_at else None,
        "approved_at": c.approved_at.isoformat() if c.approved_at else None,
    }


def webhook_listeners(event: str, organization_id: int | None = None) -> bool:
    """Whether any active endpoint would receive `event` (a bulk caller skips building payloads nobody gets)."""
    owner = None if event in rules.PLATFORM_EVENTS else organization_id
    mine = (
        WebhookEndpoint.objects.filter(organization__isnull=True)
        if owner is None
        else WebhookEndpoint.objects.filter(organization_id=owner)
    )
    return any(event in (e.events or []) for e in mine.filter(active=True))


def webhook_emit(event: str, data: dict[str, Any], organization_id: int | None) -> int:
    """Queue `event` for every active endpoint subscribed to it (organisation's, or the platform's for payout
    events). Call inside the transaction of the change. Returns how many deliveries were queued."""
    assert event in rules.EVENTS, event
    owner = None if event in rules.PLATFORM_EVENTS else organization_id
    if owner is None and event not in rules.PLATFORM_EVENTS:
        return 0
    mine = (
        WebhookEndpoint.objects.filter(organization__isnull=True)
        if owner is None
        else WebhookEndpoint.objects.filter(organization_id=owner)
    )
    endpoints = [e for e in mine.filter(active=True) if event in (e.events or [])]
    now = timezone.now()
    for endpoint in endpoints:
        event_id = uuid.uuid4()
        payload = {"id": str(event_id), "event": event, "created_at": now.isoformat(), "data": data}
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint, event=event, event_id=event_id, payload=payload, next_attempt_at=now + LEASE
        )
        enqueue_on_commit(DELIVER_TASK, delivery.pk)
    return len(endpoints)


def webhook_test(*, actor: User, endpoint_id: int) -> WebhookDelivery:
    """A `ping` to check an endpoint from the console."""
    endpoint = endpoint_visible(actor, endpoint_id)
    event_id = uuid.uuid4()
    payload = {"id": str(event_id), "event": "ping", "data": {"endpoint": endpoint.pk}}
    with transaction.atomic():
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint, event="ping", event_id=event_id, payload=payload, next_attempt_at=timezone.now() + LEASE
        )
        audit_record(actor=actor, action="webhook.tested", target=endpoint, data={"delivery": delivery.pk})
        enqueue_on_commit(DELIVER_TASK, delivery.pk)
    return delivery


def webhook_redeliver(*, actor: User, delivery_id: int) -> WebhookDelivery:
    """Send a delivery again from the console, with the same id, whatever its state."""
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None:
        raise NotFound(gettext("No such delivery."))
    endpoint_visible(actor, delivery.endpoint_id)
    with transaction.atomic():
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            state=DeliveryState.PENDING, next_attempt_at=timezone.now() + LEASE, attempts=0, last_error=""
        )
        audit_record(
            actor=actor, action="webhook.redelivered", target=delivery.endpoint, data={"delivery": delivery.pk}
        )
        enqueue_on_commit(DELIVER_TASK, delivery.pk)
    delivery.refresh_from_db()
    return delivery


# --- Delivery --------------------------------------------------------------------------------------------------


def webhook_deliver(*, delivery_id: int) -> WebhookDelivery | None:
    """One try; a failed one sets when the next is due (or gives up after the last retry)."""
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.state != DeliveryState.PENDING:
        return delivery
    endpoint = delivery.endpoint
    body = orjson.dumps(delivery.payload)
    status: int | None = None
    error = ""
    try:
        address = check_target(endpoint.url)[0]
        response = post_pinned(
            endpoint.url,
            address=address,
            data=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": "Atelier-Webhooks/1",
                "Atelier-Event": delivery.event,
                "Atelier-Delivery": str(delivery.event_id),
                "Atelier-Signature": rules.signature_header(endpoint.secret, body),
            },
            timeout=TIMEOUT_SECONDS,
            verify=TLS_VERIFY,
        )
        status = response.status_code
        if not 200 <= status < 300:
            error = f"HTTP {status}"
    except rules.TargetRefused as exc:
        error = str(exc)
    except requests.RequestException as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
    now = timezone.now()
    attempts = delivery.attempts + 1
    if not error:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            state=DeliveryState.DELIVERED, attempts=attempts, last_status=status, last_error="", delivered_at=now
        )
    elif attempts > rules.RETRIES:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            state=DeliveryState.FAILED, attempts=attempts, last_status=status, last_error=error, next_attempt_at=None
        )
    else:
        delay = rules.retry_delay(attempts, first=settings.WEBHOOK_FIRST_RETRY_SECONDS)
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            attempts=attempts, last_status=status, last_error=error, next_attempt_at=now + timedelta(seconds=delay)
        )
    delivery.refresh_from_db()
    return delivery


def webhooks_dispatch_due(*, limit: int = 500) -> int:
    """Send the deliveries whose next try is due (retries, and tasks lost with a worker), each under a lease so
    it is sent once. Beat runs this every 30 seconds."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .filter(state=DeliveryState.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:limit]
        )
        WebhookDelivery.objects.filter(pk__in=ids).update(next_attempt_at=now + LEASE)
        for pk in ids:
            enqueue_on_commit(DELIVER_TASK, pk)
    return len(ids)
