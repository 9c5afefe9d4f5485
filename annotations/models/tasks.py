"""Tasks (one per item of a published project) and their replica slots, which freelancers claim."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from annotations.models.projects import Item, Project


class Task(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tasks")
    item = models.OneToOneField(Item, on_delete=models.CASCADE, related_name="task")
    replicas = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(name="task_replicas_positive", condition=Q(replicas__gte=1))]

    def __str__(self) -> str:
        return f"task {self.pk} of {self.item}"


class SlotState(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"


class Slot(models.Model):
    """One replica of a task: claimed by at most one freelancer at a time, each freelancer once per task."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="slots")
    index = models.PositiveSmallIntegerField()
    state = models.CharField(max_length=12, choices=SlotState.choices, default=SlotState.OPEN)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="slots"
    )
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["task_id", "index"]
        indexes = [models.Index(fields=["state", "task"])]
        constraints = [
            models.UniqueConstraint(fields=["task", "index"], name="slot_index_unique"),
            models.UniqueConstraint(
                fields=["task", "assignee"], condition=Q(assignee__isnull=False), name="slot_one_per_freelancer"
            ),
            models.CheckConstraint(name="slot_state_valid", condition=Q(state__in=SlotState.values)),
            models.CheckConstraint(
                name="slot_open_iff_unassigned",
                condition=(Q(state="open", assignee__isnull=True) | (~Q(state="open") & Q(assignee__isnull=False))),
            ),
        ]

    def __str__(self) -> str:
        return f"slot {self.index} of task {self.task_id}"
