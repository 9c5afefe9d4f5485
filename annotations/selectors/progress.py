"""A project's progress in counts: files by status, items by readiness, slots by state."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from annotations.models import GoldItem, Item, MediaFile, MediaStatus, Project, Slot, SlotState, Task


def project_progress(project: Project) -> dict[str, Any]:
    files = dict(MediaFile.objects.filter(project=project).values_list("status").annotate(n=Count("id")).order_by())
    items = Item.objects.filter(project=project).annotate(
        n=Count("files"),
        n_ready=Count("files", filter=Q(files__status=MediaStatus.READY)),
        n_failed=Count("files", filter=Q(files__status=MediaStatus.FAILED)),
    )
    ready = failed = waiting = 0
    for n, n_ready, n_failed in items.values_list("n", "n_ready", "n_failed"):
        if n_failed:
            failed += 1
        elif n and n == n_ready:
            ready += 1
        else:
            waiting += 1
    # Gold items sit outside the replica counts: anyone may be served one, so their slots grow with the crowd.
    work = Slot.objects.filter(task__project=project, task__item__gold__isnull=True)
    slots = dict(work.values_list("state").annotate(n=Count("id")).order_by())
    return {
        "files": {s.value: files.get(s.value, 0) for s in MediaStatus},
        "items": {"total": ready + failed + waiting, "ready": ready, "failed": failed, "waiting": waiting},
        "tasks": Task.objects.filter(project=project, item__gold__isnull=True).count(),
        "gold_items": GoldItem.objects.filter(project=project).count(),
        "slots": {s.value: slots.get(s.value, 0) for s in SlotState},
    }
