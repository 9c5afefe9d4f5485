"""One tab of a freelancer in its own process: press "Take the exam" at the given moment.

Run by tests/test_exam_start_race.py as `python -m tests.exam_start_once <username> <exam id> <start at (epoch)>`;
prints a JSON summary: the attempt it answered, or the error."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atelier.settings")


def main(username: str, exam_id: int, start_at: float) -> dict[str, object]:
    import django

    django.setup()
    from django.db import connection

    from annotations.models import User
    from annotations.services.exams import exam_attempt_start

    user = User.objects.get(username=username)
    connection.ensure_connection()
    time.sleep(max(0.0, start_at - time.time()))
    try:
        attempt, created = exam_attempt_start(actor=user, exam_id=exam_id)
        return {"attempt": attempt.pk, "created": created, "error": None}
    except Exception as exc:  # any failure is what the test looks for
        return {"attempt": None, "created": False, "error": f"{type(exc).__name__}: {exc}"}


if __name__ == "__main__":
    sys.stdout.write(json.dumps(main(sys.argv[1], int(sys.argv[2]), float(sys.argv[3]))) + "\n")
