"""One tab of a freelancer in its own process: press "Start next task" once in each project, all tabs together.

Run by tests/test_one_task_per_project.py as `python -m tests.claim_once <username> <start at (epoch)> <project id>…`;
every project has its own start time (one second apart) so that each is a race of its own. Prints a JSON summary:
the contribution each claim answered, by project, and any error.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atelier.settings")


def main(username: str, start_at: float, project_ids: list[int]) -> dict[str, object]:
    import django

    django.setup()
    from django.db import connection

    from annotations.models import Project, User
    from annotations.services.work import contribution_claim_next

    user = User.objects.get(username=username)
    projects = [Project.objects.get(pk=pk) for pk in project_ids]
    connection.ensure_connection()
    claimed: dict[str, int] = {}
    errors: list[str] = []
    for n, project in enumerate(projects):
        time.sleep(max(0.0, start_at + n - time.time()))  # every tab presses the button at the same moment
        try:
            claimed[str(project.pk)] = contribution_claim_next(actor=user, project=project).pk
        except Exception as exc:  # any failure at all is what the test looks for (a 500 to the person)
            errors.append(f"{type(exc).__name__}: {exc}")
    return {"claimed": claimed, "errors": errors}


if __name__ == "__main__":
    summary = main(sys.argv[1], float(sys.argv[2]), [int(a) for a in sys.argv[3:]])
    sys.stdout.write(json.dumps(summary) + "\n")
