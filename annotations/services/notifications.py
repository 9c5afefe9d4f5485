"""One way to tell a person something happened: in the app (the bell) and by email, per their preferences.

Placeholder with the final signature; the notification service replaces the body."""

from __future__ import annotations

from typing import Any

from annotations.models import User


def notify(
    *,
    recipient: User,
    kind: str,
    event_key: str,
    title: str,
    body: str = "",
    link: str = "",
    context: dict[str, Any] | None = None,
) -> None:
    """Tell `recipient` about one event. `kind` is a NotificationKind value; `event_key` names the event (e.g. the
    contribution id and decision), so the same event never reaches the same person twice on either channel."""
    return None
