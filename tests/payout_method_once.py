"""One browser tab of a freelancer in its own process, changing a payout method at the given moment.

Run by tests/test_payout_methods.py as `python -m tests.payout_method_once <action> <username> <arg> <start at>`:
`add <address>` adds a PayPal method to that address; `default <method id>` makes that method the default. Prints
a JSON summary: the method it answered, or the error's code."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atelier.settings")


def main(action: str, username: str, arg: str, start_at: float) -> dict[str, object]:
    import django

    django.setup()
    from django.db import connection

    from annotations.domain.errors import ApplicationError
    from annotations.models import User
    from annotations.services.payout_methods import payout_method_add, payout_method_make_default

    user = User.objects.get(username=username)
    connection.ensure_connection()
    time.sleep(max(0.0, start_at - time.time()))
    try:
        if action == "add":
            method = payout_method_add(
                actor=user,
                rail="paypal",
                receiver=arg,
                account_name=user.shown_name,
                country="PT",
                currency="EUR",
                confirmed=True,
            )
        else:
            method = payout_method_make_default(actor=user, method_id=int(arg), confirmed=True)
        return {"method": method.pk, "error": None}
    except ApplicationError as exc:
        return {"method": None, "error": exc.code}
    except Exception as exc:  # anything else is what the test looks for
        return {"method": None, "error": f"{type(exc).__name__}: {exc}"}


if __name__ == "__main__":
    result = main(sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]))
    sys.stdout.write(json.dumps(result) + "\n")
