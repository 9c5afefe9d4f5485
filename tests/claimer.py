"""One freelancer in its own process: claim, write, submit, until no work is left. Prints a JSON summary.

Run by tests/test_claim_concurrency.py as `python -m tests.claimer <username> <project id> <start at (epoch)>`.
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


def main(username: str, project_id: int, start_at: float) -> dict[str, object]:
    import django

    django.setup()
    from annotations.domain.errors import ApplicationError
    from annotations.models import Project, User
    from annotations.services.work import WorkState, contribution_claim_next, contribution_save, contribution_submit

    user = User.objects.get(username=username)
    project = Project.objects.get(pk=project_id)
    time.sleep(max(0.0, start_at - time.time()))  # everyone starts together
    done, errors = 0, []
    while True:
        try:
            c = contribution_claim_next(actor=user, project=project)
        except ApplicationError as exc:
            if exc.code != "no_work_left":
                errors.append(f"{exc.code}: {exc}")
            break
        except Exception as exc:  # every other failure is what the test looks for
            errors.append(f"{type(exc).__name__}: {exc}")
            break
        try:
            saved = contribution_save(
                actor=user,
                contribution_id=c.pk,
                base_version=c.version,
                state=WorkState("A mark of my own, drawn by hand and explained.", [], {}),
            )
            contribution_submit(
                actor=user,
                contribution_id=c.pk,
                base_version=saved.version,
                tools=[],
                generative_tools_used=False,
                attested=True,
            )
            done += 1
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
            break
    return {"user": username, "submitted": done, "errors": errors}


if __name__ == "__main__":
    summary = main(sys.argv[1], int(sys.argv[2]), float(sys.argv[3]))
    sys.stdout.write(json.dumps(summary) + "\n")
