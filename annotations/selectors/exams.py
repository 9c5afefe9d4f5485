"""Reads of qualification exams: who sees which exam, a freelancer's standing on exams (for the marketplace, the
claim gate and the profile), and the results staff see."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext

from annotations.domain import exams as rules
from annotations.domain.errors import NotFound
from annotations.domain.output_spec import parse as parse_spec
from annotations.models import (
    ExamAttempt,
    ExamItem,
    Project,
    ProjectStatus,
    QualificationExam,
    Role,
    User,
)

P = TypeVar("P", bound=Project)

NOT_TAKEN, IN_PROGRESS, FAILED, PASSED = "not_taken", "in_progress", "failed", "passed"
STATUSES = (NOT_TAKEN, IN_PROGRESS, FAILED, PASSED)


def _with_items(qs: QuerySet[QualificationExam]) -> QuerySet[QualificationExam]:
    return qs.select_related("organization").prefetch_related(
        Prefetch(
            "exam_items",
            queryset=ExamItem.objects.select_related("gold_item__item", "gold_item__project").order_by("position"),
        )
    )


def exams_visible_to(actor: User) -> QuerySet[QualificationExam]:
    """Staff: their organisation's exams. Freelancers: exams a published project requires. Others: none."""
    base = QualificationExam.objects.annotate(item_count=Count("exam_items", distinct=True)).order_by(
        "-created_at", "-id"
    )
    if actor.role in (Role.ADMIN, Role.REVIEWER) and actor.organization_id is not None:
        return base.filter(organization_id=actor.organization_id)
    if actor.role == Role.FREELANCER:
        published = QualificationExam.objects.filter(requiring_projects__status=ProjectStatus.PUBLISHED)
        return base.filter(pk__in=published.values("pk"))
    return base.none()


def exam_visible_to(actor: User, exam_id: int) -> QualificationExam:
    exam = _with_items(exams_visible_to(actor)).filter(pk=exam_id).first()
    if exam is None:
        raise NotFound(gettext("No such exam."))
    return exam


@dataclass(frozen=True, slots=True)
class ExamStanding:
    """Where a freelancer stands on one exam."""

    status: str
    retry_at: datetime | None
    best: ExamAttempt | None  # the passed attempt, else the last failed one
    open_attempt_id: int | None


def _standing(exam: QualificationExam, attempts: list[ExamAttempt]) -> ExamStanding:
    """`attempts` newest first."""
    passed = next((a for a in attempts if a.passed), None)
    if passed is not None:
        return ExamStanding(PASSED, None, passed, None)
    open_attempt = next((a for a in attempts if a.submitted_at is None), None)
    failed = next((a for a in attempts if a.submitted_at is not None), None)
    retry = rules.retry_at(failed.submitted_at if failed else None, exam.retry_delay_hours)
    if open_attempt is not None:
        return ExamStanding(IN_PROGRESS, None, failed, open_attempt.pk)
    if failed is not None:
        return ExamStanding(FAILED, retry, failed, None)
    return ExamStanding(NOT_TAKEN, None, None, None)


def standings_of(user: User, exams: Iterable[QualificationExam]) -> dict[int, ExamStanding]:
    """The freelancer's standing on each exam, in one query however many exams."""
    by_id = {e.pk: e for e in exams}
    if not by_id:
        return {}
    attempts: dict[int, list[ExamAttempt]] = {pk: [] for pk in by_id}
    for a in ExamAttempt.objects.filter(freelancer=user, exam_id__in=by_id).order_by("-started_at", "-id"):
        attempts[a.exam_id].append(a)
    return {pk: _standing(exam, attempts[pk]) for pk, exam in by_id.items()}


def standing_of(user: User, exam: QualificationExam) -> ExamStanding:
    return standings_of(user, [exam])[exam.pk]


def has_passed(user: User, exam_id: int) -> bool:
    return ExamAttempt.objects.filter(freelancer=user, exam_id=exam_id, passed=True).exists()


def questions_of(exam: QualificationExam) -> list[rules.ExamQuestion]:
    """The exam's items with their specs and known answers (the exam's items prefetched, see `_with_items`)."""
    return [
        rules.ExamQuestion(
            item_id=ei.gold_item.item_id,
            spec=parse_spec(ei.gold_item.project.output_spec),
            expected=dict(ei.gold_item.answers or {}),
        )
        for ei in exam.exam_items.all()
    ]


def attempt_of(actor: User, attempt_id: int) -> ExamAttempt:
    """The freelancer's own attempt; anyone else's is 404."""
    found = (
        ExamAttempt.objects.select_related("exam").filter(pk=attempt_id, freelancer=actor).first()
        if actor.role == Role.FREELANCER
        else None
    )
    if found is None:
        raise NotFound(gettext("No such exam attempt."))
    return found


def attempt_items(exam: QualificationExam) -> list[dict[str, Any]]:
    """What a freelancer answers for each item, in order: the item, its project's instructions, its ready media
    files and the fields to answer. Never the known answers."""
    from annotations.models import MediaFile, MediaStatus

    exam_items = list(
        ExamItem.objects.filter(exam=exam)
        .select_related("gold_item__item", "gold_item__project")
        .prefetch_related(
            Prefetch(
                "gold_item__item__files",
                queryset=MediaFile.objects.filter(status=MediaStatus.READY).order_by("id"),
            )
        )
        .order_by("position")
    )
    out = []
    for ei in exam_items:
        gold, project = ei.gold_item, ei.gold_item.project
        fields = rules.asked_fields(parse_spec(project.output_spec), gold.answers or {})
        out.append(
            {
                "item_id": gold.item_id,
                "position": ei.position,
                "project_id": project.pk,
                "project_title": project.title,
                "instructions": project.instructions,
                "files": list(gold.item.files.all()),
                "fields": [{"key": f.key, "type": f.type, "label": f.label, **f.options} for f in fields],
            }
        )
    return out


def exam_results(exam: QualificationExam) -> dict[str, Any]:
    """Every attempt (newest first) with its freelancer, and the pass rate of submitted attempts."""
    attempts = list(ExamAttempt.objects.filter(exam=exam).select_related("freelancer").order_by("-started_at", "-id"))
    submitted = [a for a in attempts if a.submitted_at is not None]
    passed = sum(1 for a in submitted if a.passed)
    people = {a.freelancer_id for a in attempts}
    qualified = {a.freelancer_id for a in submitted if a.passed}
    return {
        "attempts": attempts,
        "submitted": len(submitted),
        "passed": passed,
        "pass_rate": round(passed / len(submitted), 3) if submitted else None,
        "people": len(people),
        "qualified_people": len(qualified),
    }


def qualifications_of(user: User) -> dict[str, list[dict[str, Any]]]:
    """Passed exams (the earned qualifications, with score and date) and failed ones not yet passed (with the time
    a retry may start)."""
    attempts = list(
        ExamAttempt.objects.filter(freelancer=user)
        .filter(Q(submitted_at__isnull=False))
        .select_related("exam__organization")
        .order_by("-submitted_at", "-id")
    )
    exams = {a.exam_id: a.exam for a in attempts}
    by_exam: dict[int, list[ExamAttempt]] = {pk: [] for pk in exams}
    for a in attempts:
        by_exam[a.exam_id].append(a)
    passed: list[dict[str, Any]] = []
    failed: list[dict[str, Any]] = []
    for pk, exam in exams.items():
        standing = _standing(exam, by_exam[pk])
        best = standing.best
        assert best is not None and best.submitted_at is not None
        entry = {
            "exam_id": pk,
            "title": exam.title,
            "organization": exam.organization.name,
            "score": best.score,
            "pass_mark": float(exam.pass_mark),
            "submitted_at": best.submitted_at,
            "retry_at": standing.retry_at,
        }
        (passed if standing.status == PASSED else failed).append(entry)
    return {"passed": passed, "failed": failed}


def with_exam_standings(user: User, projects: list[P]) -> list[P]:
    """Give each project `exam_standing` (None without a required exam), in one query for all of them. The projects
    come with `required_exam` selected."""
    exams = {p.required_exam_id: p.required_exam for p in projects if p.required_exam is not None}
    standings = standings_of(user, [e for e in exams.values() if e is not None])
    for p in projects:
        p.exam_standing = standings.get(p.required_exam_id) if p.required_exam_id else None  # type: ignore[attr-defined]
    return projects
