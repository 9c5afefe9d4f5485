"""Reads of a person's notifications: only ever their own."""

from __future__ import annotations

from django.db.models import QuerySet

from annotations.models import Notification, User


def notifications_of(user: User, *, unread: bool = False) -> QuerySet[Notification]:
    found = Notification.objects.filter(recipient=user).order_by("-created_at", "-id")
    return found.filter(read_at__isnull=True) if unread else found


def unread_count(user: User) -> int:
    """One COUNT over the partial index of unread rows."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
