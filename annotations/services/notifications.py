"""One way to tell a person something happened: in the app (the bell) and by email, per their preferences.

`notify` is called inside the transaction of the event it tells of; the in-app row is written there and the mail
goes to the outbox there too, so both exist exactly when the event does, and the mail is sent after commit. The
same (recipient, kind, event_key) is one notification and one mail however often it is called."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.translation import gettext, ngettext_lazy

from annotations.domain.errors import NotFound, ValidationFailed
from annotations.domain.notifications import Channel, NotificationKind, enabled_by_default, kinds_for
from annotations.models import AuditEvent, Notification, NotificationPreference, OutboundEmail, Role, User
from annotations.selectors.work import marketplace_for
from annotations.services.mail import mail_send

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def say(message: StrOrPromise, /, **names: object) -> StrOrPromise:
    """A notification's text, translated and filled in when it is written for its recipient, in their language:
    `say(gettext_lazy("Payout sent: %(amount)s"), amount=amount)`."""
    return lazy(lambda: str(message % names) if names else str(message), str)()


def _enabled(user: User, kind: str) -> dict[str, bool]:
    stored = dict(NotificationPreference.objects.filter(user=user, kind=kind).values_list("channel", "enabled"))
    return {c.value: stored.get(c.value, enabled_by_default(kind, c.value)) for c in Channel}


def verified_address(user: User) -> str | None:
    """The person's verified address (the primary one first), or None: mail only goes where they proved they read."""
    found = (
        EmailAddress.objects.filter(user=user, verified=True).order_by("-primary", "id").values_list("email", flat=True)
    ).first()
    return str(found) if found else None


def notify(
    *,
    recipient: User,
    kind: str,
    event_key: str,
    title: StrOrPromise,
    body: StrOrPromise = "",
    link: str = "",
    context: dict[str, Any] | None = None,
) -> None:
    """Tell `recipient` about one event. `kind` is a NotificationKind value; `event_key` names the event (e.g. the
    contribution id and decision), so the same event never reaches the same person twice on either channel.
    `link` is a path in the app (/earnings); `context` feeds the mail template `mail/notifications/<kind>`."""
    kind = NotificationKind(kind).value
    channels = _enabled(recipient, kind)
    with translation.override(recipient.language):  # stored and mailed in the recipient's language
        title, body = str(title), str(body)
    with transaction.atomic():
        if channels[Channel.IN_APP]:
            Notification.objects.get_or_create(
                recipient=recipient,
                kind=kind,
                event_key=event_key[:200],
                defaults={"title": title[:200], "body": body, "link": link[:500]},
            )
        if not channels[Channel.EMAIL]:
            return
        address = verified_address(recipient)
        if address is None:
            return
        mail_send(
            to=address,
            template=f"notifications/{kind}",
            context={
                "title": title,
                "body": body,
                "link": f"{settings.SITE_URL}{link}" if link.startswith("/") else link,
                "recipient_name": recipient.get_full_name() or recipient.username,
                **(context or {}),
            },
            key=f"notify:{kind}:{event_key}:{recipient.pk}",
            user=recipient,
            unsubscribe_kind=kind,
        )


def notify_many(*, recipients: list[User], kind: str, items: list[dict[str, Any]]) -> None:
    """`notify` for many recipients of one kind at once (a payout round's confirmations): preferences and verified
    addresses read in one query each, the in-app rows written in one insert (the same event once, as `notify`). Each
    item holds `event_key`, `title` and optionally `body`, `link` and `context`, in the order of `recipients`; the
    texts are rendered in each recipient's language (see `say`)."""
    kind = NotificationKind(kind).value
    items = [
        {**item, **_rendered(r, item.get("title", ""), item.get("body", ""))}
        for r, item in zip(recipients, items, strict=True)
    ]
    ids = [r.pk for r in recipients]
    stored: dict[tuple[int, str], bool] = {
        (uid, channel): enabled
        for uid, channel, enabled in NotificationPreference.objects.filter(user_id__in=ids, kind=kind).values_list(
            "user_id", "channel", "enabled"
        )
    }

    def on(uid: int, channel: Channel) -> bool:
        return stored.get((uid, channel.value), enabled_by_default(kind, channel.value))

    addresses: dict[int, str] = {}
    for uid, email in (
        EmailAddress.objects.filter(user_id__in=ids, verified=True)
        .order_by("user_id", "-primary", "id")
        .values_list("user_id", "email")
    ):
        addresses.setdefault(uid, str(email))
    with transaction.atomic():
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient=r,
                    kind=kind,
                    event_key=item["event_key"][:200],
                    title=item["title"][:200],
                    body=item.get("body", ""),
                    link=item.get("link", "")[:500],
                )
                for r, item in zip(recipients, items, strict=True)
                if on(r.pk, Channel.IN_APP)
            ],
            ignore_conflicts=True,
        )
        for r, item in zip(recipients, items, strict=True):
            if r.pk in addresses and on(r.pk, Channel.EMAIL):
                link = item.get("link", "")
                mail_send(
                    to=addresses[r.pk],
                    template=f"notifications/{kind}",
                    context={
                        "title": item["title"],
                        "body": item.get("body", ""),
                        "link": f"{settings.SITE_URL}{link}" if link.startswith("/") else link,
                        "recipient_name": r.get_full_name() or r.username,
                        **item.get("context", {}),
                    },
                    key=f"notify:{kind}:{item['event_key']}:{r.pk}",
                    user=r,
                    unsubscribe_kind=kind,
                )


def _rendered(recipient: User, title: StrOrPromise, body: StrOrPromise) -> dict[str, str]:
    with translation.override(recipient.language):
        return {"title": str(title), "body": str(body)}


def notify_org_admins(*, organization_id: int, kind: str, event_key: str, title: StrOrPromise, **rest: Any) -> None:
    for admin in User.objects.filter(organization_id=organization_id, role=Role.ADMIN, is_active=True).order_by("id"):
        notify(recipient=admin, kind=kind, event_key=event_key, title=title, **rest)


def notify_operators(*, kind: str, event_key: str, title: StrOrPromise, **rest: Any) -> None:
    """The platform's operators: admins with staff status (they run payouts)."""
    for operator in User.objects.filter(role=Role.ADMIN, is_staff=True, is_active=True).order_by("id"):
        notify(recipient=operator, kind=kind, event_key=event_key, title=title, **rest)


# --- Reading and preferences -----------------------------------------------------------------------------------
def notification_read(*, actor: User, notification_id: int) -> Notification:
    with transaction.atomic():
        found = Notification.objects.select_for_update().filter(pk=notification_id, recipient=actor).first()
        if found is None:
            raise NotFound(gettext("No such notification."))
        if found.read_at is None:
            found.read_at = timezone.now()
            found.save(update_fields=["read_at"])
    return found


def notifications_read_all(*, actor: User) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


def preferences_of(user: User) -> list[dict[str, Any]]:
    """Every kind this person can receive, on each channel, with what is in force (their choice, else the default)."""
    kinds = kinds_for(role=user.role, is_staff=user.is_staff)
    rows = NotificationPreference.objects.filter(user=user).values_list("kind", "channel", "enabled")
    stored = {(k, c): e for k, c, e in rows}
    return [
        {
            "kind": k.value,
            "channel": c.value,
            "enabled": stored.get((k.value, c.value), enabled_by_default(k.value, c.value)),
        }
        for k in kinds
        for c in Channel
    ]


def preferences_set(*, actor: User, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Set some of the person's preferences; every item is checked before any is written."""
    allowed = {k.value for k in kinds_for(role=actor.role, is_staff=actor.is_staff)}
    errors: dict[str, list[str]] = {}
    for n, item in enumerate(items):
        if item.get("kind") not in allowed:
            errors[f"items.{n}.kind"] = [gettext("Not a kind of notification you receive.")]
        if item.get("channel") not in {c.value for c in Channel}:
            errors[f"items.{n}.channel"] = [gettext("in_app or email.")]
        if not isinstance(item.get("enabled"), bool):
            errors[f"items.{n}.enabled"] = [gettext("true or false.")]
    if errors:
        raise ValidationFailed(gettext("Some preferences are not valid."), fields=errors)
    with transaction.atomic():
        for item in items:
            NotificationPreference.objects.update_or_create(
                user=actor, kind=item["kind"], channel=item["channel"], defaults={"enabled": item["enabled"]}
            )
    return preferences_of(actor)


def email_unsubscribe(*, user_id: int, kind: str) -> User | None:
    """The one-click unsubscribe: that kind's email off for that person. Safe to repeat. None: no such person."""
    user = User.objects.filter(pk=user_id).first()
    if user is None or kind not in {k.value for k in NotificationKind}:
        return None
    NotificationPreference.objects.update_or_create(
        user=user, kind=kind, channel=Channel.EMAIL, defaults={"enabled": False}
    )
    return user


# --- The daily digest of new projects --------------------------------------------------------------------------
def project_digests_send(*, after_id: int = 0, limit: int = 200, now: Any = None) -> int | None:
    """One batch of the daily digest: freelancers with id > after_id (at most `limit`), each told once a day of the
    projects published since their last digest that they qualify for; nothing when there are none. Returns the
    last id handled, or None when this was the last batch."""
    now = now or timezone.now()
    day = now.date().isoformat()
    people = list(
        User.objects.filter(role=Role.FREELANCER, is_active=True, pk__gt=after_id)
        .exclude(
            notification_preferences__kind=NotificationKind.PROJECT_DIGEST,
            notification_preferences__channel=Channel.EMAIL,
            notification_preferences__enabled=False,
        )
        .order_by("pk")[:limit]
    )
    window_start = now - timedelta(days=7)  # nobody is told of a project older than a week
    published = dict(
        AuditEvent.objects.filter(action="project.publish", target_type="project", created_at__gt=window_start)
        .order_by("created_at")
        .values_list("target_id", "created_at")
    )
    if published:
        last_digests = dict(
            OutboundEmail.objects.filter(kind=f"notifications/{NotificationKind.PROJECT_DIGEST}", user__in=people)
            .order_by("user_id", "created_at")
            .values_list("user_id", "created_at")
        )
        for person in people:
            since = last_digests.get(person.pk, now - timedelta(days=1))
            fresh = {int(pk) for pk, at in published.items() if at > since}
            if not fresh:
                continue
            projects = [p for p in marketplace_for(person) if p.pk in fresh]
            if not projects:
                continue
            notify(
                recipient=person,
                kind=NotificationKind.PROJECT_DIGEST,
                event_key=f"digest:{day}",
                title=say(
                    ngettext_lazy("%(count)s new project for you", "%(count)s new projects for you", "count"),
                    count=len(projects),
                ),
                body="\n".join(p.title for p in projects),
                link="/tasks",
                context={"projects": [{"title": p.title, "organization": p.organization.name} for p in projects]},
            )
    if len(people) < limit:
        return None
    return people[-1].pk
