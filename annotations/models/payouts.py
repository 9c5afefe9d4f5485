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
    RETURNED = "returned", "Returned by the rail (entries reversed)"


class PayoutBatch(models.Model):
    """Payouts handed to their rail together: PayPal takes up to 15,000 items a call under one sender_batch_id (this
    key), so a resent batch is the same batch; other rails send each payout under its own key."""

    rail = models.CharField(max_length=20)
    key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"payout batch {self.key}"


class Payout(models.Model):
    """One transfer of a freelancer's balance. The idempotency key goes to the provider, so a retry pays once."""

    freelancer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payouts")
    amount_minor = models.BigIntegerField()  # what the rail sends: the balance moved, less the rail's fee
    fee_minor = models.BigIntegerField(default=0)  # the rail's fee, posted to its fee account
    currency = models.CharField(max_length=3)
    state = models.CharField(max_length=10, choices=PayoutState.choices, default=PayoutState.REQUESTED)
    idempotency_key = models.CharField(max_length=64, unique=True)
    provider = models.CharField(max_length=20)
    batch = models.ForeignKey(PayoutBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="payouts")
    # The freelancer's payout method it went to (none for payouts made before methods existed, or to the sandbox).
    method = models.ForeignKey("PayoutMethod", on_delete=models.PROTECT, null=True, blank=True, related_name="payouts")
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


class PayoutRail(models.TextChoices):
    SANDBOX = "sandbox", "Sandbox (test payouts)"
    PAYPAL = "paypal", "PayPal"
    STRIPE = "stripe", "Bank account through Stripe"


class PayoutMethodStatus(models.TextChoices):
    UNVERIFIED = "unverified", "Waiting for verification"
    ACTIVE = "active", "Active"
    REMOVED = "removed", "Removed"


class PayoutMethodReview(models.TextChoices):
    CLEAR = "clear", "Clear"
    HELD = "held", "Held: the name on it differs from the profile's"
    RELEASED = "released", "Released by an admin"


class PayoutMethod(models.Model):
    """Where a freelancer's money goes: a PayPal address, a Stripe connected account, or a sandbox address.

    A method is paid only once verified (a code mailed to the PayPal address; Stripe's onboarding finished), after
    its hold (`hold_until`, set whenever it is added or made the default) and, if the name on it differs from the
    profile's, after an admin released it."""

    freelancer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payout_methods")
    rail = models.CharField(max_length=10, choices=PayoutRail.choices)
    receiver = models.CharField(max_length=254, blank=True)  # the address (PayPal, sandbox) or acct_… (Stripe)
    account_name = models.CharField(max_length=200)
    country = models.CharField(max_length=2)
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=10, choices=PayoutMethodStatus.choices, default=PayoutMethodStatus.UNVERIFIED)
    review = models.CharField(max_length=10, choices=PayoutMethodReview.choices, default=PayoutMethodReview.CLEAR)
    is_default = models.BooleanField(default=False)
    code_hash = models.CharField(max_length=64, blank=True)
    code_sent_at = models.DateTimeField(null=True, blank=True)
    code_attempts = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)
    hold_until = models.DateTimeField()
    removed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_default", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(name="payout_method_rail_valid", condition=Q(rail__in=PayoutRail.values)),
            models.CheckConstraint(
                name="payout_method_status_valid", condition=Q(status__in=PayoutMethodStatus.values)
            ),
            models.CheckConstraint(
                name="payout_method_review_valid", condition=Q(review__in=PayoutMethodReview.values)
            ),
            # One default per freelancer, and only an active method can be it.
            models.UniqueConstraint(
                fields=["freelancer"], condition=Q(is_default=True), name="payout_method_one_default"
            ),
            models.CheckConstraint(
                name="payout_method_default_is_active",
                condition=Q(is_default=False) | Q(status=PayoutMethodStatus.ACTIVE),
            ),
            # The same address (or account) once per freelancer and rail while it is not removed.
            models.UniqueConstraint(
                fields=["freelancer", "rail", "receiver"],
                condition=~Q(status=PayoutMethodStatus.REMOVED) & ~Q(receiver=""),
                name="payout_method_once",
            ),
        ]

    def __str__(self) -> str:
        return f"payout method {self.pk} {self.rail} {self.status}"


class RailWebhookEvent(models.Model):
    """A rail's webhook event we processed: each event id once, whatever the rail resends."""

    rail = models.CharField(max_length=10, choices=PayoutRail.choices)
    event_id = models.CharField(max_length=100)
    type = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rail", "event_id"], name="rail_webhook_event_once")]

    def __str__(self) -> str:
        return f"{self.rail} event {self.event_id}"
