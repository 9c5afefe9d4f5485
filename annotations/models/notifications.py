"""The mail outbox, in-app notifications and each person's notification preferences."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from annotations.domain.notifications import Channel, NotificationKind


class EmailState(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class OutboundEmail(models.Model):
    """One mail to one address, written in the transaction that caused it and sent by a task after commit. The
    idempotency key makes the same event to the same address one row; the Message-ID, fixed at insert, is the
    same on every attempt, so a receiver that got it twice can collapse the copies."""

    to_address = models.EmailField(max_length=254)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=80, help_text="The template (or allauth's mail kind).")
    idempotency_key = models.CharField(max_length=200, unique=True)
    subject = models.CharField(max_length=300)
    text = models.TextField()
    html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    message_id = models.CharField(max_length=200, unique=True, help_text="RFC 5322 Message-ID, <...@domain>.")
    state = models.CharField(max_length=10, choices=EmailState.choices, default=EmailState.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "created_at"]), models.Index(fields=["user", "kind"])]
        constraints = [
            models.CheckConstraint(name="outbound_email_state_valid", condition=Q(state__in=EmailState.values)),
            models.CheckConstraint(
                name="outbound_email_sent_has_time",
                condition=~Q(state=EmailState.SENT) | Q(sent_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to_address}"


class Notification(models.Model):
    """One event told to one person in the app (the bell). The same event never twice: unique per kind and key."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=500, blank=True, help_text="A path in the app, e.g. /earnings.")
    event_key = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"]),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "event_key"], name="notification_once_per_event"),
            models.CheckConstraint(
                name="notification_kind_valid", condition=Q(kind__in=[k.value for k in NotificationKind])
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"


class NotificationPreference(models.Model):
    """A person's choice for one kind on one channel. No row: the default (on)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=40)
    channel = models.CharField(max_length=10)
    enabled = models.BooleanField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "channel"], name="notification_preference_once"),
            models.CheckConstraint(
                name="notification_preference_kind_valid", condition=Q(kind__in=[k.value for k in NotificationKind])
            ),
            models.CheckConstraint(
                name="notification_preference_channel_valid", condition=Q(channel__in=[c.value for c in Channel])
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}/{self.channel}: {self.enabled}"
