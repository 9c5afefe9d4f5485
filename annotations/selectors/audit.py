"""The organization's audit log: who did what to which object, for its admins."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext

from annotations.domain.errors import PermissionDenied
from annotations.models import ApiToken, AuditEvent, Contribution, Dataset, Project, Role, User, WebhookEndpoint

KINDS = ("project", "gold", "dataset", "contribution", "webhook", "token", "payout", "consent", "portfolio")


def audit_log(actor: User, *, kind: str = "", by: int | None = None) -> QuerySet[AuditEvent]:
    """The events of the actor's organization, newest first; `kind` keeps one family of actions (`project`
    keeps project.created, project.publish, ...), `by` one person's."""
    if actor.role != Role.ADMIN or actor.organization_id is None:
        raise PermissionDenied(gettext("Only admins read the audit log."))
    events = AuditEvent.objects.filter(organization_id=actor.organization_id).select_related("actor")
    if kind:
        events = events.filter(action__startswith=f"{kind}.")
    if by is not None:
        events = events.filter(actor_id=by)
    return events.order_by("-created_at", "-id")


def audit_target_labels(events: list[AuditEvent]) -> dict[tuple[str, str], str]:
    """A readable name for each event's object (a project's title, a dataset's name, ...), one query per kind of
    object on the page. Objects deleted since have none."""
    wanted: dict[str, set[int]] = {}
    for e in events:
        if e.target_id.isdigit():
            wanted.setdefault(e.target_type, set()).add(int(e.target_id))
    labels: dict[tuple[str, str], str] = {}

    def add(kind: str, rows: Any) -> None:
        labels.update({(kind, str(pk)): str(label) for pk, label in rows})

    if ids := wanted.get("project"):
        add("project", Project.objects.filter(pk__in=ids).values_list("pk", "title"))
    if ids := wanted.get("dataset"):
        add("dataset", Dataset.objects.filter(pk__in=ids).values_list("pk", "name"))
    if ids := wanted.get("webhookendpoint"):
        add("webhookendpoint", WebhookEndpoint.objects.filter(pk__in=ids).values_list("pk", "url"))
    if ids := wanted.get("apitoken"):
        add("apitoken", ApiToken.objects.filter(pk__in=ids).values_list("pk", "name"))
    if ids := wanted.get("contribution"):
        rows = Contribution.objects.filter(pk__in=ids).values_list("pk", "project__title", "task__item__external_id")
        add("contribution", ((pk, f"{title} · {item}") for pk, title, item in rows))
    return labels
