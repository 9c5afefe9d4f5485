"""One tab of a freelancer in its own process: autosave (or ping activity) once, all tabs at the same moment.

Run by tests/test_save_race.py as `python -m tests.save_once <username> <contribution id> <start at (epoch)> <what>`,
`what` being `save:<version>:<text>` or `ping`. Prints a JSON summary: the version saved, or the error's code.
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


def main(username: str, contribution_id: int, start_at: float, what: str) -> dict[str, object]:
    import django

    django.setup()
    from django.db import connection

    from annotations.domain.errors import Conflict
    from annotations.models import User
    from annotations.services.work import WorkState, contribution_activity, contribution_save

    user = User.objects.get(username=username)
    connection.ensure_connection()
    time.sleep(max(0.0, start_at - time.time()))  # every tab acts at the same moment
    try:
        if what == "ping":
            contribution_activity(actor=user, contribution_id=contribution_id)
            return {"pinged": True}
        _, version, text = what.split(":", 2)
        saved = contribution_save(
            actor=user,
            contribution_id=contribution_id,
            base_version=int(version),
            state=WorkState(text, [{"id": "n1", "body": text, "anchor": None}], {}),
        )
        return {"saved": saved.version, "text": text}
    except Conflict as exc:
        return {"refused": exc.code}
    except Exception as exc:  # any other failure is what the test looks for (a 500 to the person)
        return {"error": f"{type(exc).__name__}: {exc}"}


if __name__ == "__main__":
    summary = main(sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4])
    sys.stdout.write(json.dumps(summary) + "\n")
