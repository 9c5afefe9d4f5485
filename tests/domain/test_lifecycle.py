from __future__ import annotations

import pytest

from annotations.domain.errors import Conflict
from annotations.domain.lifecycle import ACTIONS, next_status

ALL = ["draft", "published", "paused", "closed"]
ALLOWED = {
    ("draft", "publish"): "published",
    ("published", "pause"): "paused",
    ("paused", "resume"): "published",
    ("draft", "close"): "closed",
    ("published", "close"): "closed",
    ("paused", "close"): "closed",
}


@pytest.mark.parametrize("current", ALL)
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_only_listed_transitions_pass(current: str, action: str) -> None:
    if (current, action) in ALLOWED:
        assert next_status(current, action) == ALLOWED[(current, action)]
    else:
        with pytest.raises(Conflict) as caught:
            next_status(current, action)
        assert caught.value.code == "invalid_transition"


def test_closed_is_final() -> None:
    with pytest.raises(Conflict, match=r"It is final\."):
        next_status("closed", "publish")
