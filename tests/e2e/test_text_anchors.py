"""Text anchors count code points, as Python indexes a str: a passage after an emoji and a CJK extension character
is anchored where Python slices it. A text that fails to load says so and loads on "Try again"."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from annotations.models import Contribution, MediaFile
from annotations.providers.storage import object_storage
from tests.e2e.conftest import open_task

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# "🎨" and "𠀋" are one code point each in Python and two UTF-16 units each in the browser.
TEXT = "Le café 🎨 au bord de l'eau, 𠀋 et la brume du soir.\nSecond line.\n"
PASSAGE = "la brume du soir"


STORYBOARD = "Storyboard thumbnails for a short film"


def test_a_passage_after_astral_characters_is_anchored_where_python_slices_it(
    page: Any, demo_data: dict[str, int], screenshots: Path, worker_for_live_server: None
) -> None:
    cid = open_task(page, STORYBOARD)
    item = Contribution.objects.select_related("task").get(pk=cid).task.item_id
    reference = MediaFile.objects.get(item_id=item, name="reference.txt")
    object_storage().put(reference.storage_key, TEXT.encode(), "text/plain")
    page.reload()
    page.get_by_role("tab", name="reference.txt").click()
    view = page.get_by_test_id("text-view")
    view.filter(has_text=PASSAGE).wait_for()
    view.evaluate(
        """(el, passage) => {
            const node = el.firstChild.firstChild;
            const at = node.textContent.indexOf(passage);
            const r = document.createRange();
            r.setStart(node, at);
            r.setEnd(node, at + passage.length);
            const s = getSelection(); s.removeAllRanges(); s.addRange(r);
            el.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
        }""",
        PASSAGE,
    )
    page.get_by_label("New note").fill("The evening fog is the mood to keep.")
    page.get_by_role("button", name="Add note").click()
    page.get_by_test_id("save-state").filter(has_text="All changes saved").wait_for(timeout=20_000)
    [anchor] = [n["anchor"] for n in Contribution.objects.get(pk=cid).notes if n["anchor"]]
    assert (anchor["start"], anchor["end"]) == (TEXT.index(PASSAGE), TEXT.index(PASSAGE) + len(PASSAGE))
    assert TEXT[anchor["start"] : anchor["end"]] == PASSAGE == anchor["quote"]
    # Drawn back over the same passage.
    assert page.locator("[data-testid=text-view] mark").inner_text() == PASSAGE
    for width, height, suffix in [(1440, 900, ""), (390, 844, "-phone")]:
        page.set_viewport_size({"width": width, "height": height})
        view.scroll_into_view_if_needed()
        page.screenshot(path=screenshots / f"workspace-text{suffix}.png")


def test_a_text_that_fails_to_load_says_so_and_loads_on_try_again(
    page: Any, demo_data: dict[str, int], screenshots: Path, worker_for_live_server: None
) -> None:
    open_task(page, STORYBOARD)
    failing = {"on": True}

    def media(route: Any) -> None:
        if failing["on"]:
            route.fulfill(status=503, body="unavailable")
        else:
            route.continue_()

    page.route(re.compile(r"/api/v1/media/"), media)
    page.get_by_role("tab", name="reference.txt").click()
    alert = page.get_by_role("alert").filter(has_text="reference.txt could not be loaded")
    alert.wait_for()
    assert "The server answered 503." in alert.inner_text()
    for width, height, suffix in [(1440, 900, ""), (390, 844, "-phone")]:
        page.set_viewport_size({"width": width, "height": height})
        alert.scroll_into_view_if_needed()
        page.screenshot(path=screenshots / f"workspace-text-failed{suffix}.png")
    failing["on"] = False
    alert.get_by_role("button", name="Try again").click()
    page.get_by_test_id("text-view").filter(has_text="Scene").wait_for()
    assert page.get_by_role("alert").filter(has_text="could not be loaded").count() == 0
