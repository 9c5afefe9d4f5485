"""Qualification exams: staff build them from their organisation's gold items and make projects require them;
freelancers start (or resume) an attempt, submit it once, and it is scored with the gold rules.

An attempt is scored at submission against the gold answers of the exam's items at that moment. The result names the
score only, never which items missed, so retries cannot harvest the known answers item by item."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from annotations.domain import exams as rules
from annotations.domain.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from annotations.models import ExamAttempt, ExamItem, GoldItem, Project, QualificationExam, Role, User
from annotations.selectors.exams import (
    PASSED,
    attempt_of,
    exam_visible_to,
    has_passed,
    questions_of,
    standing_of,
)
from annotations.services.audit import audit_record
from annotations.services.notifications import notify, say

MAX_ITEMS = 100
MAX_RETRY_DELAY_HOURS = 24 * 365


@dataclass(frozen=True, slots=True)
class ExamFields:
    """What staff edit; None means "leave as it is" in an update."""

    title: str | None = None
    instructions: str | None = None
    pass_mark: Decimal | None = None
    retry_delay_hours: int | None = None
    item_ids: list[int] | None = None  # gold items, by their item's id, in the order they are asked


def _admin_org_id(actor: User) -> int:
    if actor.role != Role.ADMIN or actor.organization_id is None:
        raise PermissionDenied(gettext("Only an organisation's admins create and change its exams."))
    return actor.organization_id


def _validate(org_id: int, fields: ExamFields) -> tuple[dict[str, list[str]], list[GoldItem]]:
    errors: dict[str, list[str]] = {}
    if fields.title is not None and not fields.title.strip():
        errors["title"] = [gettext("This field may not be blank.")]
    if fields.pass_mark is not None and not Decimal(0) <= fields.pass_mark <= Decimal(1):
        errors["pass_mark"] = [gettext("Between 0 and 1.")]
    if fields.retry_delay_hours is not None and not 0 <= fields.retry_delay_hours <= MAX_RETRY_DELAY_HOURS:
        errors["retry_delay_hours"] = [
            gettext("Between 0 and %(max_retry_delay_hours)s hours.") % {"max_retry_delay_hours": MAX_RETRY_DELAY_HOURS}
        ]
    golds: list[GoldItem] = []
    if fields.item_ids is not None:
        ids = fields.item_ids
        if not ids:
            errors["item_ids"] = [gettext("Choose at least one gold item.")]
        elif len(ids) > MAX_ITEMS:
            errors["item_ids"] = [gettext("At most %(max_items)s items.") % {"max_items": MAX_ITEMS}]
        elif len(set(ids)) != len(ids):
            errors["item_ids"] = [gettext("An item appears twice.")]
        else:
            found = {g.item_id: g for g in GoldItem.objects.filter(item_id__in=ids, project__organization_id=org_id)}
            unknown = [i for i in ids if i not in found or not found[i].answers]
            if unknown:
                errors["item_ids"] = [
                    gettext("Not gold items of your organisation with known answers: %(unknown)s.")
                    % {"unknown": ", ".join(map(str, unknown))}
                ]
            golds = [found[i] for i in ids if i in found]
    return errors, golds


def _set_items(exam: QualificationExam, golds: list[GoldItem]) -> None:
    ExamItem.objects.filter(exam=exam).delete()
    ExamItem.objects.bulk_create([ExamItem(exam=exam, gold_item=g, position=n) for n, g in enumerate(golds, start=1)])


def exam_create(*, actor: User, fields: ExamFields) -> QualificationExam:
    org_id = _admin_org_id(actor)
    missing = [n for n in ("title", "item_ids") if getattr(fields, n) is None]
    errors, golds = _validate(org_id, fields)
    errors.update({n: ["This field is required."] for n in missing})
    if errors:
        raise ValidationFailed(gettext("Some fields are invalid."), fields=errors)
    assert fields.title is not None
    with transaction.atomic():
        exam = QualificationExam.objects.create(
            organization_id=org_id,
            title=fields.title.strip(),
            instructions=fields.instructions or "",
            pass_mark=fields.pass_mark if fields.pass_mark is not None else Decimal("0.8"),
            retry_delay_hours=fields.retry_delay_hours if fields.retry_delay_hours is not None else 24,
            created_by=actor,
        )
        _set_items(exam, golds)
        audit_record(
            actor=actor,
            action="exam.created",
            target=exam,
            organization=exam.organization,
            data={"items": len(golds), "pass_mark": str(exam.pass_mark)},
        )
    return exam


def exam_update(*, actor: User, exam_id: int, fields: ExamFields) -> QualificationExam:
    org_id = _admin_org_id(actor)
    exam = exam_visible_to(actor, exam_id)
    errors, golds = _validate(org_id, fields)
    if errors:
        raise ValidationFailed(gettext("Some fields are invalid."), fields=errors)
    with transaction.atomic():
        locked = QualificationExam.objects.select_for_update().get(pk=exam.pk)
        changed: list[str] = []
        for name in ("title", "instructions", "pass_mark", "retry_delay_hours"):
            value = getattr(fields, name)
            if name == "title" and value is not None:
                value = value.strip()
            if value is not None and getattr(locked, name) != value:
                setattr(locked, name, value)
                changed.append(name)
        if changed:
            locked.save(update_fields=[*changed, "updated_at"])
        if fields.item_ids is not None:
            current = list(
                ExamItem.objects.filter(exam=locked).order_by("position").values_list("gold_item_id", flat=True)
            )
            if current != [g.pk for g in golds]:
                _set_items(locked, golds)
                changed.append("items")
        if changed:
            audit_record(
                actor=actor,
                action="exam.updated",
                target=locked,
                organization=locked.organization,
                data={"fields": changed},
            )
    return locked


def project_require_exam(*, actor: User, project: Project, exam_id: int | None) -> Project:
    """Make the project require the exam (one of the same organisation's), or nothing (None)."""
    org_id = _admin_org_id(actor)
    if project.organization_id != org_id:
        raise PermissionDenied(gettext("Only an organisation's admins can change its projects."))
    if exam_id is not None and not QualificationExam.objects.filter(pk=exam_id, organization_id=org_id).exists():
        raise ValidationFailed(
            gettext("Some fields are invalid."),
            fields={"required_exam_id": [gettext("Not an exam of this organisation.")]},
        )
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        if locked.required_exam_id == exam_id:
            return locked
        before = locked.required_exam_id
        locked.required_exam_id = exam_id
        locked.save(update_fields=["required_exam", "updated_at"])
        audit_record(
            actor=actor,
            action="project.exam_required" if exam_id is not None else "project.exam_dropped",
            target=locked,
            organization=locked.organization,
            data={"exam": exam_id, "before": before},
        )
    return locked


def exam_gate(*, actor: User, project: Project) -> None:
    """Refuse a claim on a project whose required exam the freelancer has not passed (403 `exam_required`)."""
    if project.required_exam_id is None or has_passed(actor, project.required_exam_id):
        return
    title = QualificationExam.objects.filter(pk=project.required_exam_id).values_list("title", flat=True).first()
    raise PermissionDenied(
        gettext("Pass the qualification exam “%(title)s” before working on this project.") % {"title": title},
        code="exam_required",
    )


# --- Attempts --------------------------------------------------------------------------------------------------


def _freelancer(actor: User) -> None:
    if actor.role != Role.FREELANCER:
        raise PermissionDenied(gettext("Only freelancers take exams."))


def exam_attempt_start(*, actor: User, exam_id: int) -> tuple[ExamAttempt, bool]:
    """Start an attempt, or resume the open one (one per exam and person, held by `exam_attempt_one_open`: two tabs
    that both find none both insert, the loser's insert fails in its savepoint and it answers the winner's).

    409 `exam_already_passed` after a pass; 409 `exam_retry_later` (with `retry_at`) within the retry delay of a
    failed attempt. Answers the attempt and whether it is new."""
    _freelancer(actor)
    exam = exam_visible_to(actor, exam_id)
    standing = standing_of(actor, exam)
    if standing.status == PASSED:
        raise Conflict(gettext("You have passed this exam already."), code="exam_already_passed")
    if standing.open_attempt_id is not None:
        return ExamAttempt.objects.get(pk=standing.open_attempt_id), False
    if standing.retry_at is not None and timezone.now() < standing.retry_at:
        raise Conflict(
            gettext("You can retry this exam from %(time)s.") % {"time": standing.retry_at.isoformat()},
            code="exam_retry_later",
            fields={"retry_at": [standing.retry_at.isoformat()]},
        )
    if not exam.exam_items.all():
        raise Conflict(gettext("This exam has no items yet."), code="exam_empty")
    try:
        with transaction.atomic():
            return ExamAttempt.objects.create(exam=exam, freelancer=actor), True
    except IntegrityError:
        # The other tab committed first: READ COMMITTED sees its attempt now.
        return ExamAttempt.objects.get(exam=exam, freelancer=actor, submitted_at__isnull=True), False


def exam_attempt_submit(*, actor: User, attempt_id: int, answers: Any) -> ExamAttempt:
    """Score the attempt (share of items whose asked fields all match the gold answers) and decide the pass. A
    submitted attempt is answered as it is: submitting again (a retry, another tab) changes nothing."""
    attempt = attempt_of(actor, attempt_id)  # the author's own; anyone else's is 404
    if attempt.submitted_at is not None:
        return attempt
    exam = _exam_with_items(attempt.exam_id)  # their own attempt: scored even if the project closed since
    questions = questions_of(exam)
    problems = rules.answer_problems(questions, answers)
    if problems:
        raise ValidationFailed(gettext("Some answers are invalid."), fields=problems)
    with transaction.atomic():
        locked = ExamAttempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.submitted_at is not None:
            return locked
        result = rules.exam_score(questions, answers)
        now = timezone.now()
        locked.answers = answers
        locked.submitted_at = now
        locked.matched, locked.total, locked.score = result.matched, result.total, result.score
        locked.passed = result.passes(exam.pass_mark)
        locked.save(update_fields=["answers", "submitted_at", "matched", "total", "score", "passed"])
        retry = None if locked.passed else rules.retry_at(now, exam.retry_delay_hours)
        link = f"/exams/{exam.pk}"
        marks = {"score": round(result.score * 100), "pass_mark": round(float(exam.pass_mark) * 100)}
        notify(
            recipient=actor,
            kind="qualification_result",
            event_key=f"exam-attempt:{locked.pk}",
            title=say(
                gettext_lazy("You passed “%(exam)s”") if locked.passed else gettext_lazy("You did not pass “%(exam)s”"),
                exam=exam.title,
            ),
            body=say(gettext_lazy("Score %(score)s%% (pass mark %(pass_mark)s%%)."), **marks)
            if retry is None
            else say(
                gettext_lazy("Score %(score)s%% (pass mark %(pass_mark)s%%). You can retry from %(retry_at)s."),
                **marks,
                retry_at=retry.isoformat(),
            ),
            link=link,
            context={
                "exam_title": exam.title,
                "passed": locked.passed,
                "score": result.score,
                "retry_at": None if retry is None else retry.isoformat(),
                "link": link,
            },
        )
    return locked


def _exam_with_items(exam_id: int) -> QualificationExam:
    found = (
        QualificationExam.objects.prefetch_related(
            Prefetch("exam_items", queryset=ExamItem.objects.select_related("gold_item__project").order_by("position"))
        )
        .filter(pk=exam_id)
        .first()
    )
    if found is None:
        raise NotFound(gettext("No such exam."))
    return found
