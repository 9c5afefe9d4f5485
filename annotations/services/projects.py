"""Creating and changing projects. Lifecycle transitions and publishing checks arrive with posting work."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from annotations.domain.errors import PermissionDenied, ValidationFailed
from annotations.domain.money import Money
from annotations.models import Modality, Project, Role, User
from annotations.selectors.pay import pay_currencies
from annotations.services.audit import audit_record


@dataclass(frozen=True, slots=True)
class ProjectFields:
    """The fields an admin edits; None means "leave as it is" in an update."""

    title: str | None = None
    brief: str | None = None
    modalities: list[str] | None = None
    pay: Money | None = None
    estimated_minutes: int | None = None


def _admin_org_id(actor: User) -> int:
    if actor.role != Role.ADMIN or actor.organization_id is None:
        raise PermissionDenied("Only an organisation's admins can create or change its projects.")
    return actor.organization_id


def _validate(fields: ProjectFields) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if fields.title is not None and not fields.title.strip():
        errors["title"] = ["This field may not be blank."]
    if fields.modalities is not None:
        unknown = sorted(set(fields.modalities) - set(Modality.values))
        if unknown:
            errors["modalities"] = [f"Unknown modality: {', '.join(unknown)}."]
        elif not fields.modalities:
            errors["modalities"] = ["Choose at least one modality."]
    if fields.pay is not None:
        if fields.pay.currency not in pay_currencies():
            errors["pay"] = [f"The platform pays in {', '.join(pay_currencies())}."]
        elif fields.pay.amount_minor <= 0:
            errors["pay"] = ["Pay must be more than zero."]
    if fields.estimated_minutes is not None and not 1 <= fields.estimated_minutes <= 24 * 60:
        errors["estimated_minutes"] = ["Between 1 minute and 24 hours."]
    return errors


def project_create(
    *,
    actor: User,
    title: str,
    brief: str,
    modalities: list[str],
    pay: Money,
    estimated_minutes: int,
) -> Project:
    org_id = _admin_org_id(actor)
    fields = ProjectFields(
        title=title, brief=brief, modalities=modalities, pay=pay, estimated_minutes=estimated_minutes
    )
    errors = _validate(fields)
    if errors:
        raise ValidationFailed("Some fields are invalid.", fields=errors)
    with transaction.atomic():
        project = Project.objects.create(
            organization_id=org_id,
            title=title.strip(),
            brief=brief,
            modalities=sorted(set(modalities)),
            pay_amount_minor=pay.amount_minor,
            pay_currency=pay.currency,
            estimated_minutes=estimated_minutes,
            created_by=actor,
        )
        audit_record(actor=actor, action="project.created", target=project, organization=project.organization)
    return project


def project_update(*, actor: User, project: Project, fields: ProjectFields) -> Project:
    if project.organization_id != _admin_org_id(actor):
        raise PermissionDenied("Only an organisation's admins can change its projects.")
    errors = _validate(fields)
    if errors:
        raise ValidationFailed("Some fields are invalid.", fields=errors)
    changes: dict[str, object] = {}
    if fields.title is not None:
        changes["title"] = fields.title.strip()
    if fields.brief is not None:
        changes["brief"] = fields.brief
    if fields.modalities is not None:
        changes["modalities"] = sorted(set(fields.modalities))
    if fields.pay is not None:
        changes["pay_amount_minor"] = fields.pay.amount_minor
        changes["pay_currency"] = fields.pay.currency
    if fields.estimated_minutes is not None:
        changes["estimated_minutes"] = fields.estimated_minutes
    if not changes:
        return project
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.save(update_fields=[*changes, "updated_at"])
        audit_record(
            actor=actor,
            action="project.updated",
            target=locked,
            organization=locked.organization,
            data={"fields": sorted(changes)},
        )
    project.refresh_from_db()
    return project
