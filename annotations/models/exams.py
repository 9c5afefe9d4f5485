"""Qualification exams: a set of an organisation's gold items a freelancer answers before working on a project that
requires the exam, and the attempts at it. A passed attempt is the earned qualification."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from annotations.models.accounts import Organization
from annotations.models.quality import GoldItem


class QualificationExam(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="exams")
    title = models.CharField(max_length=200)
    instructions = models.TextField(blank=True, help_text="Markdown; rendered sanitised.")
    pass_mark = models.DecimalField(
        max_digits=4, decimal_places=3, default=Decimal("0.8"), help_text="Share of items to match, 0 to 1."
    )
    retry_delay_hours = models.PositiveIntegerField(default=24, help_text="Wait after a failed attempt.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(name="exam_pass_mark_range", condition=Q(pass_mark__gte=0, pass_mark__lte=1)),
            models.CheckConstraint(name="exam_retry_delay_range", condition=Q(retry_delay_hours__lte=24 * 365)),
        ]

    def __str__(self) -> str:
        return self.title


class ExamItem(models.Model):
    """One gold item of the exam, in the order it is shown. Removing the gold item takes it out of the exam."""

    exam = models.ForeignKey(QualificationExam, on_delete=models.CASCADE, related_name="exam_items")
    gold_item = models.ForeignKey(GoldItem, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["exam_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "gold_item"], name="exam_item_once"),
            models.UniqueConstraint(fields=["exam", "position"], name="exam_item_position_unique"),
        ]

    def __str__(self) -> str:
        return f"exam {self.exam_id} #{self.position}"


class ExamAttempt(models.Model):
    exam = models.ForeignKey(QualificationExam, on_delete=models.CASCADE, related_name="attempts")
    freelancer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exam_attempts")
    started_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    answers = models.JSONField(default=dict, blank=True, help_text="Answers by item id, then field key.")
    matched = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Items answered right.")
    total = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Items scored.")
    score = models.FloatField(null=True, blank=True, help_text="Share of items matched, 0 to 1.")
    passed = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["freelancer", "exam", "submitted_at"], name="exam_attempt_by_person")]
        constraints = [
            # One open attempt per exam and person: a second start (another tab) resumes it.
            models.UniqueConstraint(
                fields=["exam", "freelancer"], condition=Q(submitted_at__isnull=True), name="exam_attempt_one_open"
            ),
            models.CheckConstraint(
                name="exam_attempt_scored_when_submitted",
                condition=Q(submitted_at__isnull=True, score__isnull=True, passed__isnull=True)
                | Q(submitted_at__isnull=False, score__isnull=False, passed__isnull=False),
            ),
            models.CheckConstraint(
                name="exam_attempt_score_range", condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=1)
            ),
        ]

    def __str__(self) -> str:
        return f"attempt {self.pk} at exam {self.exam_id}"
