"""Task generation: every ready item of a published project becomes a task with one slot per replica."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, F, Q

from annotations.models import Item, MediaStatus, Project, ProjectStatus, Slot, Task


def tasks_generate(*, project: Project) -> int:
    """Create the missing tasks of a published project; returns how many were made. Safe to run again."""
    if project.status != ProjectStatus.PUBLISHED:
        return 0
    ready_items = (
        Item.objects.filter(project=project, task__isnull=True)
        .annotate(n_files=Count("files"), n_ready=Count("files", filter=Q(files__status=MediaStatus.READY)))
        .filter(n_files__gt=0, n_files=F("n_ready"))
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        # ignore_conflicts: the item's unique task makes a concurrent second run a no-op, not an error.
        Task.objects.bulk_create(
            [Task(project=project, item_id=pk, replicas=project.replicas_per_item) for pk in ready_items],
            ignore_conflicts=True,
            batch_size=500,
        )
        missing = Task.objects.filter(project=project).annotate(n=Count("slots")).filter(n__lt=F("replicas"))
        slots = [Slot(task_id=t.pk, index=i) for t in missing for i in range(t.replicas)]
        Slot.objects.bulk_create(slots, ignore_conflicts=True, batch_size=1000)
    return len(ready_items)
