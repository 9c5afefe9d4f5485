"""Payouts of freelancers' balances through a payout provider, and the sandbox provider's own records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from annotations.models.review import LedgerEntry


class PayoutState(models.TextChoices):
    REQUESTED = "requested", "Requested"
    SENT = "sent", "Sent to the provider"
    CONFIRMED = "confirmed", "Confirmed"
    FAILED = "failed", "Failed (entries reversed)"


class Payout(models.Model):
    """One transfer of a freelancer's balance. The idempotency key goes to the provider, so a retry pays once."""

    freelancer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payouts")
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    state = models.CharField(max_length=10, choices=PayoutState.choices, default=PayoutState.REQUESTED)
    idempotency_key = models.CharField(max_length=64, unique=True)
    provider = models.CharField(max_length=20)
    provider_ref = models.CharField(max_length=100, blank=True)
    failure_reason = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    entry = models.OneToOneField(LedgerEntry, on_delete=models.PROTECT, related_name="payout")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "updated_at"])]
        constraints = [
            models.CheckConstraint(name="payout_amount_positive", condition=Q(amount_minor__gt=0)),
            models.CheckConstraint(name="payout_state_valid", condition=Q(state__in=PayoutState.values)),
            # At most one payout in flight per freelancer and currency: balances cannot be paid twice.
            models.UniqueConstraint(
                fields=["freelancer", "currency"],
                condition=Q(state__in=["requested", "sent"]),
                name="payout_one_open_per_freelancer",
            ),
        ]

    def __str__(self) -> str:
        return f"payout {self.pk} {self.state}"


class SandboxTransfer(models.Model):
    """The sandbox provider's ledger of transfers: what a real provider would hold on its side."""

    idempotency_key = models.CharField(max_length=64, unique=True)
    recipient = models.CharField(max_length=100)
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=10, default="pending")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"sandbox transfer {self.idempotency_key} {self.status}"
