"""Payout providers behind one interface. Every call carries the payout's idempotency key, so a retried call
(a worker killed after the transfer but before recording it) never pays twice.

- SandboxProvider records transfers in its own table and confirms them a moment later through the same event
  path a real provider's webhook takes. Amounts whose minor units end in 13 (e.g. 10.13) fail, to exercise the
  failure path.
- HttpProvider is shaped for a real provider: POST /transfers with an Idempotency-Key header, GET /transfers/<key>
  for the status, and signed webhooks (HMAC-SHA256 of the body in X-Atelier-Signature) for confirmations.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone


class TransientProviderError(Exception):
    """The provider did not answer or answered 5xx/429: try again later with the same key."""


@dataclass(frozen=True, slots=True)
class Transfer:
    ref: str
    status: str  # pending | confirmed | failed
    reason: str = ""  # why it failed, in the provider's words


class PayoutProvider(Protocol):
    name: str

    def transfer(self, *, key: str, recipient: str, amount_minor: int, currency: str) -> Transfer: ...
    def status(self, *, key: str) -> Transfer | None: ...


SANDBOX_SETTLE_TASK = "workers.sandbox_settle"


class SandboxProvider:
    name = "sandbox"

    def transfer(self, *, key: str, recipient: str, amount_minor: int, currency: str) -> Transfer:
        from annotations.models import SandboxTransfer
        from annotations.services.jobs import enqueue_on_commit

        if settings.SANDBOX_LATENCY_SECONDS:
            time.sleep(settings.SANDBOX_LATENCY_SECONDS)  # a network round trip
        record, created = SandboxTransfer.objects.get_or_create(
            idempotency_key=key,
            defaults={"recipient": recipient, "amount_minor": amount_minor, "currency": currency},
        )
        if created:  # like a provider's webhook, a moment later
            enqueue_on_commit(SANDBOX_SETTLE_TASK, key, countdown=settings.SANDBOX_SETTLE_SECONDS)
        return Transfer(ref=f"sbx_{record.pk}", status=record.status)

    def transfer_many(self, items: list[tuple[str, str, int, str]]) -> None:
        """Record many transfers at once, as a batch rail takes them: (key, recipient, amount, currency) each; a key
        recorded already is kept as it is (never a second transfer)."""
        from annotations.models import SandboxTransfer

        if settings.SANDBOX_LATENCY_SECONDS:
            time.sleep(settings.SANDBOX_LATENCY_SECONDS)  # one round trip for the batch
        SandboxTransfer.objects.bulk_create(
            [SandboxTransfer(idempotency_key=k, recipient=r, amount_minor=a, currency=c) for k, r, a, c in items],
            ignore_conflicts=True,
            batch_size=2000,
        )

    def settle_many(self, *, keys: list[str]) -> dict[str, str]:
        """The sandbox's side finishes these transfers (amounts ending in .13 fail); answers each one's status."""
        from annotations.models import SandboxTransfer

        with transaction.atomic():
            pending = SandboxTransfer.objects.select_for_update().filter(idempotency_key__in=keys, status="pending")
            rows = list(pending.values_list("pk", "amount_minor"))
            failing = [pk for pk, amount in rows if amount % 100 == 13]
            SandboxTransfer.objects.filter(pk__in=failing).update(status="failed")
            SandboxTransfer.objects.filter(pk__in=[pk for pk, _ in rows if pk not in set(failing)]).update(
                status="confirmed"
            )
        return dict(SandboxTransfer.objects.filter(idempotency_key__in=keys).values_list("idempotency_key", "status"))

    def settle(self, *, key: str) -> Transfer | None:
        """The provider's side finishes a transfer (amounts ending in .13 fail)."""
        from annotations.models import SandboxTransfer

        with transaction.atomic():
            record = SandboxTransfer.objects.select_for_update().filter(idempotency_key=key).first()
            if record is None:
                return None
            if record.status == "pending":
                record.status = "failed" if record.amount_minor % 100 == 13 else "confirmed"
                record.save(update_fields=["status"])
        return Transfer(ref=f"sbx_{record.pk}", status=record.status)

    def status(self, *, key: str) -> Transfer | None:
        from annotations.models import SandboxTransfer

        record = SandboxTransfer.objects.filter(idempotency_key=key).first()
        if record is None:
            return None
        overdue = record.created_at <= timezone.now() - timedelta(seconds=settings.SANDBOX_SETTLE_SECONDS)
        if record.status == "pending" and overdue:  # its webhook was lost: the provider has settled it anyway
            return self.settle(key=key)
        return Transfer(ref=f"sbx_{record.pk}", status=record.status)


class HttpProvider:
    name = "http"

    def __init__(self, base_url: str, api_key: str) -> None:
        self.base_url, self.api_key = base_url.rstrip("/"), api_key

    def _call(self, method: str, path: str, key: str, json: dict[str, Any] | None = None) -> requests.Response:
        try:
            resp = requests.request(
                method,
                f"{self.base_url}{path}",
                json=json,
                headers={"Authorization": f"Bearer {self.api_key}", "Idempotency-Key": key},
                timeout=20,
            )
        except requests.RequestException as exc:
            raise TransientProviderError(str(exc)) from exc
        if resp.status_code == 429 or resp.status_code >= 500:
            raise TransientProviderError(f"{resp.status_code} from the provider")
        return resp

    def transfer(self, *, key: str, recipient: str, amount_minor: int, currency: str) -> Transfer:
        resp = self._call(
            "POST", "/transfers", key, {"recipient": recipient, "amount_minor": amount_minor, "currency": currency}
        )
        resp.raise_for_status()
        body = resp.json()
        return Transfer(ref=str(body["id"]), status=str(body.get("status", "pending")))

    def status(self, *, key: str) -> Transfer | None:
        resp = self._call("GET", f"/transfers/{key}", key)
        if resp.status_code == 404:
            return None
        resp.raise_for_status()
        body = resp.json()
        return Transfer(ref=str(body["id"]), status=str(body.get("status", "pending")))


def payout_provider() -> PayoutProvider:
    if settings.PAYOUT_PROVIDER == "http":
        return HttpProvider(settings.PAYOUT_PROVIDER_URL, settings.PAYOUT_PROVIDER_API_KEY)
    return SandboxProvider()


def webhook_signature(body: bytes) -> str:
    return hmac.new(settings.PAYOUT_WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()


def webhook_signature_valid(body: bytes, signature: str) -> bool:
    return bool(settings.PAYOUT_WEBHOOK_SECRET) and hmac.compare_digest(webhook_signature(body), signature)
