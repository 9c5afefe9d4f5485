"""Reviews of submitted contributions, and the money: an append-only, double-entry ledger."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from annotations.models.projects import Project
from annotations.models.work import Contribution


class ReviewDecision(models.TextChoices):
    APPROVE = "approve", "Approve"
    REJECT = "reject", "Reject"
    REVISE = "revise", "Ask for a revision"


class Review(models.Model):
    """One decision on one submission. A revision request sends the work back; the next submission is reviewed anew."""

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="reviews_given"
    )
    decision = models.CharField(max_length=8, choices=ReviewDecision.choices)
    reason = models.TextField(
        blank=True, help_text="Required to reject or ask for a revision; shown to the freelancer."
    )
    scores = models.JSONField(default=dict, blank=True, help_text="Rubric scores by criterion.")
    automatic = models.BooleanField(default=False, help_text="Approved by the review-period sweep.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["contribution_id", "created_at", "id"]
        constraints = [
            models.CheckConstraint(name="review_decision_valid", condition=Q(decision__in=ReviewDecision.values)),
            models.CheckConstraint(
                name="review_reason_when_not_approved", condition=Q(decision="approve") | ~Q(reason="")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision} of contribution {self.contribution_id}"


class EntryKind(models.TextChoices):
    EARNING = "earning", "Earning for approved work"
    TOP_UP = "top_up", "Fair-pay top-up"
    BONUS = "bonus", "Bonus"
    ADJUSTMENT = "adjustment", "Adjustment"
    REVERSAL = "reversal", "Reversal"
    PAYOUT = "payout", "Payout"


class LedgerEntry(models.Model):
    """One movement of money. Insert-only; its postings sum to zero per currency; a mistake gets a reversal."""

    kind = models.CharField(max_length=12, choices=EntryKind.choices)
    idempotency_key = models.CharField(max_length=120, unique=True, help_text="The same key again posts nothing.")
    memo = models.CharField(max_length=300, help_text="Why, in words the freelancer sees.")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    contribution = models.ForeignKey(
        Contribution, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_entries"
    )
    freelancer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_entries"
    )
    reverses = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(name="ledger_kind_valid", condition=Q(kind__in=EntryKind.values))]

    def __str__(self) -> str:
        return f"{self.kind} {self.idempotency_key}"


class Posting(models.Model):
    """One side of an entry: an amount (minor units, signed) on one account."""

    entry = models.ForeignKey(LedgerEntry, on_delete=models.PROTECT, related_name="postings")
    account = models.CharField(max_length=80, help_text="e.g. freelancer:7:payable, project:3:funding")
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)

    class Meta:
        ordering = ["entry_id", "id"]
        indexes = [models.Index(fields=["account", "currency"])]
        constraints = [
            models.CheckConstraint(name="posting_not_zero", condition=~Q(amount_minor=0)),
            models.CheckConstraint(name="posting_currency_iso", condition=Q(currency__regex=r"^[A-Z]{3}$")),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.amount_minor} {self.currency}"
