"""Every mail Atelier sends goes through here: rendered from Django templates in the recipient's language, written
to the outbox (`OutboundEmail`) in the caller's transaction, and sent by the task `workers.send_email` after commit.

`mail_send` renders `annotations/templates/mail/<template>.subject.txt`, `.txt` and `.html`; `mail_queue_rendered`
takes a mail already rendered (allauth's). `key` makes a mail idempotent per event and recipient: the same key to
the same address is one row, sent once, however often it is queued or its task retried. None: a new mail every
call. See docs/email.md for the delivery guarantees (and the one window SMTP cannot close)."""

from __future__ import annotations

import smtplib
import socket
import uuid
from datetime import timedelta
from email.utils import make_msgid, parseaddr
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from annotations.models import EmailState, OutboundEmail, User
from annotations.services.jobs import enqueue_on_commit

SEND_TASK = "workers.send_email"
UNSUBSCRIBE_SALT = "atelier.unsubscribe"


class TransientMailError(Exception):
    """The mail server could not take the mail now (connection refused or lost, a timeout, an SMTP 4xx): retried."""


class PermanentMailError(Exception):
    """The mail server refused the mail for good (SMTP 5xx): never retried."""


def mail_render(*, template: str, context: dict[str, Any], language: str = "en") -> tuple[str, str, str]:
    with translation.override(language):
        ctx = {"site_url": settings.SITE_URL, **context}
        subject = " ".join(render_to_string(f"mail/{template}.subject.txt", ctx).split())
        text = render_to_string(f"mail/{template}.txt", ctx).strip()
        html = render_to_string(f"mail/{template}.html", ctx).strip()
    return subject, text, html


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    """A signed (not encrypted, not expiring) token naming one person and one kind of mail."""
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(token: str) -> tuple[int, str] | None:
    """(user id, kind) from a token, or None when it was not made by us."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("k"), str):
        return None
    return data["u"], data["k"]


def unsubscribe_url(*, user_id: int, kind: str) -> str:
    return f"{settings.SITE_URL}/unsubscribe/{unsubscribe_token(user_id=user_id, kind=kind)}"


def mail_send(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    key: str | None,
    user: User | None = None,
    unsubscribe_kind: str | None = None,
) -> None:
    if user is not None and unsubscribe_kind is not None:
        context = {
            "unsubscribe_url": unsubscribe_url(user_id=user.pk, kind=unsubscribe_kind),
            "preferences_url": f"{settings.SITE_URL}/settings/notifications",
            **context,
        }
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


def _message_id() -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "atelier.localhost"
    return make_msgid(idstring=uuid.uuid4().hex[:12], domain=domain)


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
    """Write the mail to the outbox (once per key) and send it after the surrounding transaction commits."""
    headers: dict[str, str] = {}
    if unsubscribe_kind is not None and user is not None:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url(user_id=user.pk, kind=unsubscribe_kind)}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    with transaction.atomic():
        row, created = OutboundEmail.objects.get_or_create(
            idempotency_key=key if key is not None else f"uuid:{uuid.uuid4()}",
            defaults={
                "to_address": to,
                "user": user,
                "kind": kind[:80],
                "subject": subject[:300],
                "text": text,
                "html": html,
                "headers": headers,
                "message_id": _message_id(),
            },
        )
        if created:
            enqueue_on_commit(SEND_TASK, row.pk)


def _classify(exc: BaseException) -> type[Exception]:
    """Whether a failure to hand over a mail is worth another try."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return TransientMailError if any(400 <= c < 500 for c in codes) else PermanentMailError
    if isinstance(exc, smtplib.SMTPResponseException) and not isinstance(exc, smtplib.SMTPConnectError):
        return PermanentMailError if exc.smtp_code >= 500 else TransientMailError
    if isinstance(exc, (smtplib.SMTPException, socket.timeout, TimeoutError, ConnectionError, OSError)):
        return TransientMailError
    status = getattr(exc, "status_code", None)  # django-anymail's API errors carry the provider's HTTP status
    if isinstance(status, int) and status < 500 and status != 429:
        return PermanentMailError
    return TransientMailError


def outbound_email_send(*, email_id: int, final_attempt: bool = False) -> OutboundEmail | None:
    """The task's body: send one outbox row, at most once. The row stays locked while the mail server talks, so a
    second delivery of the task waits and then finds it sent; a worker killed before the commit leaves it pending
    (the task is delivered again, or the sweeper re-sends it). Raises TransientMailError for the task to retry;
    on the final attempt (or a permanent refusal) the row is marked failed instead."""
    retry: TransientMailError | None = None
    with transaction.atomic():
        row = OutboundEmail.objects.select_for_update().filter(pk=email_id).first()
        if row is None or row.state != EmailState.PENDING:
            return row
        message = EmailMultiAlternatives(
            row.subject,
            row.text,
            settings.DEFAULT_FROM_EMAIL,
            [row.to_address],
            headers={**row.headers, "Message-ID": row.message_id},
            connection=get_connection(fail_silently=False),
        )
        if row.html:
            message.attach_alternative(row.html, "text/html")
        row.attempts = F("attempts") + 1
        try:
            message.send()
        except Exception as exc:
            kind = _classify(exc)
            row.last_error = f"{type(exc).__name__}: {exc}"[:500]
            if kind is PermanentMailError or final_attempt:
                row.state = EmailState.FAILED
            else:
                retry = TransientMailError(row.last_error)
        else:
            row.state, row.sent_at, row.last_error = EmailState.SENT, timezone.now(), ""
        row.save(update_fields=["attempts", "state", "sent_at", "last_error"])
    if retry is not None:
        raise retry
    row.refresh_from_db()
    return row


def outbound_emails_sweep(*, older_than: timedelta = timedelta(minutes=5), limit: int = 500) -> int:
    """Beat: re-enqueue pending mail older than `older_than` (an enqueue lost between commit and broker, or a
    task whose retries were dropped). Sending is idempotent, so a mail still in flight is not sent twice."""
    cutoff = timezone.now() - older_than
    ids = list(
        OutboundEmail.objects.filter(state=EmailState.PENDING, created_at__lte=cutoff)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    with transaction.atomic():
        for pk in ids:
            enqueue_on_commit(SEND_TASK, pk)
    return len(ids)
