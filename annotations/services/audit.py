from __future__ import annotations

from typing import Any

from annotations.models import AuditEvent, Organization, User


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
        organization=organization,
        action=action,
        target_type=type(target).__name__.lower(),
        target_id=str(getattr(target, "pk", "")),
        data=data or {},
    )
