"""Two 200,000-character drafts compared in the browser without freezing the page: measured from the click to the
painted comparison, in Chromium on this machine."""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest

from annotations.models import User
from annotations.services.work import DraftInput, draft_create
from tests.e2e.conftest import open_task

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WORDS = ["sky", "harbour", "lamp", "grey", "warm", "boat", "wind", "stone", "dusk", "gull", "rope", "tide", "pier"]

CLICK_TO_PAINT = """(button) => new Promise((done) => {
    const started = performance.now();
    button.click();
    requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - started)));
})"""


def long_text(seed: int, size: int = 200_000) -> str:
    rnd = random.Random(seed)
    lines: list[str] = []
    while sum(map(len, lines)) < size:
        lines.append(" ".join(rnd.choice(WORDS) for _ in range(rnd.randint(6, 14))) + "\n")
    return "".join(lines)[:size]


@pytest.mark.parametrize(
    ("case", "second"),
    [
        # A second version: a few lines rewritten, one added, two removed.
        ("revised", "revised"),
        # Another text altogether, of the same size.
        ("rewritten", "rewritten"),
    ],
)
def test_two_long_drafts_compare_in_under_a_second(
    page: Any, demo_data: dict[str, int], screenshots: Path, worker_for_live_server: None, case: str, second: str
) -> None:
    cid = open_task(page, "Storyboard thumbnails for a short film")

    first_text = long_text(1)
    if second == "revised":
        lines = first_text.splitlines(keepends=True)
        for at in (40, 1_500, 2_900):
            lines[at] = "a line the second draft rewrote, with a warmer sky\n"
        lines.insert(2_000, "a line the second draft added\n")
        del lines[100:102]
        second_text = "".join(lines)
    else:
        second_text = long_text(2)
    assert len(first_text) == 200_000 and len(second_text) <= 200_000
    freelancer = User.objects.get(username="freelancer")
    for n, text in enumerate([first_text, second_text], start=1):
        draft_create(
            actor=freelancer,
            contribution_id=cid,
            draft=DraftInput(
                client_key=f"long-{case}-{n}", change_note=f"Long draft {n}", text=text, typed_chars=len(text)
            ),
        )
    page.reload()
    page.get_by_label("Pick draft 1 to compare").check()
    page.get_by_label("Pick draft 2 to compare").check()
    button = page.get_by_role("button", name="Compare the two picked drafts").element_handle()
    took = page.evaluate(CLICK_TO_PAINT, button)
    page.get_by_test_id("diff").wait_for()
    assert took < 1_000, f"the compare took {took:.0f} ms"
    diff = page.get_by_test_id("diff")
    top = "(el) => el.scrollIntoView({ block: 'start' })"
    for width, height, suffix in [(1440, 900, ""), (390, 844, "-phone")]:
        page.set_viewport_size({"width": width, "height": height})
        page.locator("section.compare").evaluate(top)
        page.screenshot(path=screenshots / f"draft-compare-long-{case}{suffix}.png")
    page.set_viewport_size({"width": 1360, "height": 900})
    if case == "revised":
        assert page.get_by_test_id("diff-level").inner_text() == "These drafts are long: compared line by line."
        assert diff.locator("ins").count() == 4 and diff.locator("del").count() == 4
        assert "a line the second draft added" in diff.locator("ins").all_inner_texts()[2]
        # Unchanged stretches are folded; one opens on a click.
        folds = diff.get_by_role("button", name=re.compile(r"^[\d,]+ unchanged lines: show$"))  # 1,234 grouped
        count = folds.count()
        assert count >= 4
        folds.first.click()
        assert diff.get_by_role("button", name=re.compile("unchanged lines")).count() == count - 1
    else:
        level = page.get_by_test_id("diff-level").inner_text()
        assert level.startswith(("These drafts differ", "These drafts are long"))
