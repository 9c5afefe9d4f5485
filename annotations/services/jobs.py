"""Sending Celery tasks by name, only once the transaction that asked for them has committed.

`annotations` never imports `workers`: a task is named, not imported. A task enqueued for rows that were then
rolled back would find nothing (or, worse, something half-made), so every send waits for the commit; rows
that committed but whose send was lost (a crash between the two) are picked up by the sweepers in beat.
"""

from __future__ import annotations

from typing import Any

from celery import current_app
from django.db import transaction


def enqueue_on_commit(task_name: str, *args: Any, **options: Any) -> None:
    def send() -> None:
        # A signature resolves the registered task, so the embedded mode's eager setting applies to it.
        current_app.signature(task_name, args=args).apply_async(**options)

    transaction.on_commit(send)
