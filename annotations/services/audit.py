from __future__ import annotations

from typing import Any

from annotations.models import AuditEvent, Organization, User


def organization_of(target: object, actor: User | None) -> int | None:
    """Whose log an event belongs in: the target's organization (its own, or its project's), else the actor's.
    A freelancer's own settings (consent, portfolio) and system events on payouts belong to no organization."""
    if isinstance(target, User):
        return target.organization_id
    for owner in (target, getattr(target, "project", None)):
        org_id = getattr(owner, "organization_id", None)
        if org_id is not None:
            return int(org_id)
    return actor.organization_id if actor is not None else None


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: object,
    organization: Organization | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event. Call inside the transaction of the change it records."""
    return AuditEvent.objects.create(
        actor=actor,
        organization_id=organization.pk if organization is not None else organization_of(target, actor),
        action=action,
        target_type=type(target).__name__.lower(),
        target_id=str(getattr(target, "pk", "")),
        data=data or {},
    )
