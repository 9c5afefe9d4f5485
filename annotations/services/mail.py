"""Every mail Atelier sends goes through here: rendered from Django templates in the recipient's language, and
handed to Celery only after the transaction that caused it commits.

`mail_send` renders `annotations/templates/mail/<template>.subject.txt`, `.txt` and `.html`; `mail_queue_rendered`
takes a mail already rendered (allauth's). `key` makes a mail idempotent per event and recipient: the same key to
the same address is sent once, however often it is queued or its task retried. None: a new mail every call."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from annotations.models import User


def mail_render(*, template: str, context: dict[str, Any], language: str = "en") -> tuple[str, str, str]:
    with translation.override(language):
        ctx = {"site_url": settings.SITE_URL, **context}
        subject = " ".join(render_to_string(f"mail/{template}.subject.txt", ctx).split())
        text = render_to_string(f"mail/{template}.txt", ctx).strip()
        html = render_to_string(f"mail/{template}.html", ctx).strip()
    return subject, text, html


def mail_send(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    key: str | None,
    user: User | None = None,
    unsubscribe_kind: str | None = None,
) -> None:
    subject, text, html = mail_render(template=template, context=context, language=user.language if user else "en")
    mail_queue_rendered(
        to=to,
        subject=subject,
        text=text,
        html=html,
        kind=template,
        key=key,
        user=user,
        unsubscribe_kind=unsubscribe_kind,
    )


def mail_queue_rendered(
    *,
    to: str,
    subject: str,
    text: str,
    html: str,
    kind: str,
    key: str | None,
    user: User | None = None,
    unsubscribe_kind: str | None = None,
) -> None:
    # Placeholder until the outbox lands: sent after commit, in-process.
    def _send() -> None:
        msg = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
        if html:
            msg.attach_alternative(html, "text/html")
        msg.send()

    transaction.on_commit(_send)
