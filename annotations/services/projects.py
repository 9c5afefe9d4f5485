"""Creating and changing projects. Lifecycle transitions and publishing checks arrive with posting work."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from annotations.domain import lifecycle
from annotations.domain.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from annotations.domain.money import Money, hourly_rate, meets_minimum
from annotations.domain.output_spec import SpecError, default_spec
from annotations.domain.output_spec import parse as parse_spec
from annotations.domain.quality import MAX_GOLD_RATE
from annotations.models import Contribution, MediaFile, Modality, Project, Role, Slot, Task, User
from annotations.models.projects import MAX_OFFSET_SECONDS, TIMED_KINDS
from annotations.selectors.pay import minimum_hourly_rate, pay_currencies
from annotations.services.audit import audit_record
from annotations.services.tasks import tasks_generate


@dataclass(frozen=True, slots=True)
class ProjectFields:
    """The fields an admin edits; None means "leave as it is" in an update."""

    title: str | None = None
    brief: str | None = None
    instructions: str | None = None
    examples: list[dict[str, str]] | None = None
    modalities: list[str] | None = None
    pay: Money | None = None
    estimated_minutes: int | None = None
    output_spec: dict[str, Any] | None = None
    replicas_per_item: int | None = None
    qualifications: dict[str, Any] | None = None
    deadline: datetime | None = None
    agreement_version: str | None = None
    licence: str | None = None
    generative_tools_allowed: bool | None = None
    review_period_hours: int | None = None
    rubric: list[dict[str, Any]] | None = None
    gold_rate: int | None = None

    def given(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.__slots__ if getattr(self, f) is not None}


# Terms a freelancer accepted when they started: fixed once the project leaves draft.
TERMS = frozenset(
    {
        "pay",
        "estimated_minutes",
        "output_spec",
        "replicas_per_item",
        "qualifications",
        "agreement_version",
        "licence",
        "generative_tools_allowed",
        "modalities",
        "review_period_hours",
    }
)


def _admin_org_id(actor: User) -> int:
    if actor.role != Role.ADMIN or actor.organization_id is None:
        raise PermissionDenied(gettext("Only an organisation's admins can create or change its projects."))
    return actor.organization_id


def _validate(fields: ProjectFields) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if fields.title is not None and not fields.title.strip():
        errors["title"] = [gettext("This field may not be blank.")]
    if fields.modalities is not None:
        unknown = sorted(set(fields.modalities) - set(Modality.values))
        if unknown:
            errors["modalities"] = [gettext("Unknown modality: %(unknown)s.") % {"unknown": ", ".join(unknown)}]
        elif not fields.modalities:
            errors["modalities"] = [gettext("Choose at least one modality.")]
    if fields.pay is not None:
        if fields.pay.currency not in pay_currencies():
            errors["pay"] = [gettext("The platform pays in %(choices)s.") % {"choices": ", ".join(pay_currencies())}]
        elif fields.pay.amount_minor <= 0:
            errors["pay"] = [gettext("Pay must be more than zero.")]
    if fields.estimated_minutes is not None and not 1 <= fields.estimated_minutes <= 24 * 60:
        errors["estimated_minutes"] = [gettext("Between 1 minute and 24 hours.")]
    if fields.output_spec is not None:
        try:
            parse_spec(fields.output_spec)
        except SpecError as exc:
            errors.update({f"output_spec.{k}": v for k, v in exc.errors.items()})
    if fields.replicas_per_item is not None and not 1 <= fields.replicas_per_item <= 20:
        errors["replicas_per_item"] = [gettext("Between 1 and 20 freelancers per item.")]
    if fields.qualifications is not None:
        errors.update(_qualification_errors(fields.qualifications))
    if fields.examples is not None and any(
        not isinstance(e, dict) or set(e) != {"title", "body"} or not str(e["title"]).strip() for e in fields.examples
    ):
        errors["examples"] = [gettext("Each example has a title and a body.")]
    if fields.rubric is not None:
        errors.update(_rubric_errors(fields.rubric))
    if fields.gold_rate is not None and not 0 <= fields.gold_rate <= MAX_GOLD_RATE:
        errors["gold_rate"] = [
            gettext("Between 0 and %(max_gold_rate)s percent of claims.") % {"max_gold_rate": MAX_GOLD_RATE}
        ]
    if fields.deadline is not None and fields.deadline <= timezone.now():
        errors["deadline"] = [gettext("The deadline must be in the future.")]
    return errors


def _rubric_errors(rubric: Any) -> dict[str, list[str]]:
    ok = (
        isinstance(rubric, list)
        and len(rubric) <= 10
        and all(
            isinstance(r, dict)
            and set(r) == {"key", "label", "max"}
            and isinstance(r["key"], str)
            and r["key"].isidentifier()
            and isinstance(r["label"], str)
            and r["label"].strip()
            and isinstance(r["max"], int)
            and 1 <= r["max"] <= 10
            for r in rubric
        )
        and len({r["key"] for r in rubric}) == len(rubric)
    )
    return {} if ok else {"rubric": ["Up to 10 criteria, each {key, label, max} with a unique key and max 1 to 10."]}


def _qualification_errors(q: dict[str, Any]) -> dict[str, list[str]]:
    errors: list[str] = []
    unknown = sorted(set(q) - {"skills", "modalities", "min_reputation"})
    if unknown:
        errors.append(f"Unknown keys: {', '.join(unknown)}.")
    skills = q.get("skills", [])
    if not isinstance(skills, list) or any(not isinstance(x, str) or not x.strip() for x in skills):
        errors.append("skills must be a list of names.")
    mods = q.get("modalities", [])
    if not isinstance(mods, list) or set(mods) - set(Modality.values):
        errors.append(f"modalities must be a list of {', '.join(Modality.values)}.")
    rep = q.get("min_reputation", 0)
    if isinstance(rep, bool) or not isinstance(rep, (int, float)) or not 0 <= rep <= 1:
        errors.append("min_reputation must be a number from 0 to 1.")
    return {"qualifications": errors} if errors else {}


_FIELD_OF_COLUMN = {"pay_amount_minor": "pay", "pay_currency": "pay"}


def _columns(fields: ProjectFields) -> dict[str, Any]:
    """Model columns for the given fields."""
    cols: dict[str, Any] = {}
    for name, value in fields.given().items():
        if name == "pay":
            cols["pay_amount_minor"], cols["pay_currency"] = value.amount_minor, value.currency
        elif name == "title":
            cols["title"] = value.strip()
        elif name == "modalities":
            cols["modalities"] = sorted(set(value))
        elif name == "output_spec":
            cols["output_spec"] = parse_spec(value).to_data()
        else:
            cols[name] = value
    return cols


def project_create(*, actor: User, fields: ProjectFields) -> Project:
    org_id = _admin_org_id(actor)
    missing = [n for n in ("title", "modalities", "pay", "estimated_minutes") if getattr(fields, n) is None]
    if missing:
        raise ValidationFailed(
            gettext("Some fields are invalid."), fields={n: [gettext("This field is required.")] for n in missing}
        )
    errors = _validate(fields)
    if errors:
        raise ValidationFailed(gettext("Some fields are invalid."), fields=errors)
    cols = _columns(fields)
    cols.setdefault("output_spec", default_spec().to_data())
    with transaction.atomic():
        project = Project.objects.create(organization_id=org_id, created_by=actor, **cols)
        audit_record(actor=actor, action="project.created", target=project, organization=project.organization)
    return project


def project_update(*, actor: User, project: Project, fields: ProjectFields) -> Project:
    if project.organization_id != _admin_org_id(actor):
        raise PermissionDenied(gettext("Only an organisation's admins can change its projects."))
    errors = _validate(fields)
    if errors:
        raise ValidationFailed(gettext("Some fields are invalid."), fields=errors)
    changes = _columns(fields)
    if not changes:
        return project
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        changes = {column: value for column, value in changes.items() if getattr(locked, column) != value}
        if not changes:
            return locked  # the same values again: nothing to change, nothing to record
        changed = sorted({_FIELD_OF_COLUMN.get(column, column) for column in changes})
        fixed = sorted(TERMS & set(changed))
        if fixed and not lifecycle.editable_terms(locked.status):
            raise Conflict(
                gettext("A %(status)s project's terms are fixed: %(fixed)s. Close it and post a new one.")
                % {"status": locked.status, "fixed": ", ".join(fixed)},
                code="terms_fixed",
                fields={name: [gettext("Fixed once published.")] for name in fixed},
            )
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.save(update_fields=[*changes, "updated_at"])
        audit_record(
            actor=actor,
            action="project.updated",
            target=locked,
            organization=locked.organization,
            data={"fields": changed},
        )
    project.refresh_from_db()
    return project


def project_transition(*, actor: User, project: Project, action: str) -> Project:
    """publish, pause, resume or close. Publishing checks fair pay and the output spec, then makes the tasks."""
    if action not in lifecycle.ACTIONS:
        raise ValidationFailed(
            gettext("Unknown action."),
            fields={"action": [gettext("One of %(actions)s.") % {"actions": ", ".join(lifecycle.ACTIONS)}]},
        )
    if project.organization_id != _admin_org_id(actor):
        raise PermissionDenied(gettext("Only an organisation's admins can change its projects."))
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        target = lifecycle.next_status(locked.status, action)
        if target == lifecycle.PUBLISHED:
            _check_publishable(locked)
        before = locked.status
        locked.status = target
        locked.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action=f"project.{action}",
            target=locked,
            organization=locked.organization,
            data={"from": before, "to": target},
        )
        if target == lifecycle.PUBLISHED:
            tasks_generate(project=locked)
    project.refresh_from_db()
    return project


def _check_publishable(project: Project) -> None:
    pay = Money(project.pay_amount_minor, project.pay_currency)
    minimum = minimum_hourly_rate(project.pay_currency)
    if minimum is None:
        raise Conflict(
            gettext("The platform does not pay in %(pay_currency)s.") % {"pay_currency": project.pay_currency},
            code="not_publishable",
        )
    if not meets_minimum(pay, project.estimated_minutes, minimum):
        rate = hourly_rate(pay, project.estimated_minutes)
        raise Conflict(
            gettext(
                "Pay of %(pay)s for %(estimated_minutes)s minutes is %(rate)s an hour, below the platform minimum of "
                "%(minimum)s an hour. Raise the pay or lower the estimate."
            )
            % {"pay": pay, "estimated_minutes": project.estimated_minutes, "rate": rate, "minimum": minimum},
            code="below_minimum_rate",
            fields={"pay": [gettext("At least %(minimum)s an hour.") % {"minimum": minimum}]},
        )
    if project.output_spec:
        try:
            parse_spec(project.output_spec)
        except SpecError as exc:
            raise Conflict(gettext("The output spec is invalid."), code="not_publishable", fields=exc.errors) from None


def media_file_set_offset(*, actor: User, project: Project, file_id: int, offset_seconds: float) -> MediaFile:
    """Place a timed file on the item's clock: where it starts, in seconds to the millisecond (negative: it began
    before the item).

    An offset changes what every time anchor on the item means, so it is fixed once anyone has started work on the
    item; until then it can change freely.
    """
    if project.organization_id != _admin_org_id(actor):
        raise PermissionDenied(gettext("Only an organisation's admins can change its projects."))
    if not math.isfinite(offset_seconds) or abs(offset_seconds) > MAX_OFFSET_SECONDS:
        limit = f"{MAX_OFFSET_SECONDS:,.0f}"
        raise ValidationFailed(
            gettext("Some fields are invalid."),
            fields={
                "offset_seconds": [gettext("An offset is from -%(limit)s to %(limit)s seconds.") % {"limit": limit}]
            },
        )
    with transaction.atomic():
        media = MediaFile.objects.select_for_update().filter(project=project, pk=file_id).first()
        if media is None:
            raise NotFound(gettext("No such file in this project."))
        if media.kind not in TIMED_KINDS:
            raise ValidationFailed(
                gettext("Only audio, video, motion and sensor files sit on the item's clock."),
                fields={"offset_seconds": [gettext("A %(kind)s file has no place in time.") % {"kind": media.kind}]},
            )
        # A claim holds its slot locked until it commits, so lock the item's task and slots too: a claim in flight
        # finishes first (and its contribution is seen below), and one that comes later skips these slots.
        list(Task.objects.select_for_update(of=("self",)).filter(item_id=media.item_id))
        list(Slot.objects.select_for_update(of=("self",)).filter(task__item_id=media.item_id).order_by("pk"))
        if Contribution.objects.filter(task__item_id=media.item_id).exists():
            raise Conflict(
                gettext(
                    "Work on this item has started: its files' offsets are fixed, since notes are anchored to its "
                    "clock."
                ),
                code="offset_fixed",
            )
        previous, media.offset_seconds = media.offset_seconds, round(offset_seconds, 3)
        if previous == media.offset_seconds:
            return media
        media.save(update_fields=["offset_seconds"])
        audit_record(
            actor=actor,
            action="project.file_offset",
            target=project,
            organization=project.organization,
            data={"file": media.pk, "name": media.name, "offset_seconds": media.offset_seconds, "was": previous},
        )
    return media
