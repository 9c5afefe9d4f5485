"""A project's lifecycle: the one place that says which action moves which status where.

draft --publish--> published --pause--> paused --resume--> published
draft | published | paused --close--> closed (final)
"""

from __future__ import annotations

from django.utils.translation import gettext

from annotations.domain.errors import Conflict

DRAFT, PUBLISHED, PAUSED, CLOSED = "draft", "published", "paused", "closed"

# action -> (statuses it applies to, status it leads to)
ACTIONS: dict[str, tuple[frozenset[str], str]] = {
    "publish": (frozenset({DRAFT}), PUBLISHED),
    "pause": (frozenset({PUBLISHED}), PAUSED),
    "resume": (frozenset({PAUSED}), PUBLISHED),
    "close": (frozenset({DRAFT, PUBLISHED, PAUSED}), CLOSED),
}


def next_status(current: str, action: str) -> str:
    """The status `action` leads to from `current`; raises Conflict where it does not apply."""
    sources, target = ACTIONS[action]
    if current not in sources:
        possible = sorted(a for a, (src, _) in ACTIONS.items() if current in src)
        names = {"current": current, "action": action, "possible": ", ".join(possible)}
        message = (
            gettext("A %(current)s project cannot %(action)s. It can: %(possible)s.") % names
            if possible
            else gettext("A %(current)s project cannot %(action)s. It is final.") % names
        )
        raise Conflict(message, code="invalid_transition")
    return target


def accepts_new_claims(status: str) -> bool:
    return status == PUBLISHED


def editable_terms(status: str) -> bool:
    """Pay, spec and work rules change only before publishing: freelancers must get what they were shown."""
    return status == DRAFT
