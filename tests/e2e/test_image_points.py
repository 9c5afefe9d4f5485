"""A point region on an image: placed with the Point tool, dragged, moved from the keyboard, removed with Delete;
the note's saved anchor follows each change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from annotations.models import Contribution
from tests.e2e.conftest import open_image_task

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def wait_saved(page: Any) -> None:
    page.get_by_test_id("save-state").filter(has_text="All changes saved").wait_for(timeout=20_000)


def saved_point(cid: int) -> list[float] | None:
    [anchor] = [n["anchor"] for n in Contribution.objects.get(pk=cid).notes] or [None]
    if anchor is None:
        return None
    assert anchor["type"] == "region" and anchor["shape"] == "point" and len(anchor["points"]) == 1, anchor
    return anchor["points"][0]


def test_an_image_point_is_placed_moved_and_removed(
    page: Any, demo_data: dict[str, int], screenshots: Path, worker_for_live_server: None
) -> None:
    cid, at = open_image_task(page)

    page.keyboard.press("o")
    page.get_by_role("button", name="Point O").wait_for()
    assert page.get_by_role("button", name="Point O").get_attribute("aria-pressed") == "true"
    page.mouse.click(*at(0.3, 0.4))
    page.get_by_test_id("pending-anchor").filter(has_text="Anchored to point on frame.png").wait_for()
    page.get_by_label("New note").fill("The lighthouse's lamp: the brightest point of the frame.")
    page.get_by_role("button", name="Add note").click()
    wait_saved(page)
    placed = saved_point(cid)
    assert placed is not None and abs(placed[0] - 0.3) < 0.01 and abs(placed[1] - 0.4) < 0.01, placed

    # Dragged with the pan tool: the marker follows, the anchor moves.
    page.keyboard.press("v")
    marker = page.get_by_role("button", name="Note 1's point")
    box = marker.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(*at(0.6, 0.5), steps=8)
    page.mouse.up()
    page.get_by_test_id("selected-region").filter(has_text="Note 1's point is selected").wait_for()
    wait_saved(page)
    moved = saved_point(cid)
    assert moved is not None and abs(moved[0] - 0.6) < 0.01 and abs(moved[1] - 0.5) < 0.01, moved

    # From the keyboard: focused, moved with an arrow key.
    marker.focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => true")
    wait_saved(page)
    nudged = saved_point(cid)
    assert nudged is not None and abs(nudged[0] - 0.59) < 0.002 and abs(nudged[1] - 0.5) < 0.002, nudged

    for width, height, suffix in [(1440, 900, ""), (390, 844, "-phone")]:
        page.set_viewport_size({"width": width, "height": height})
        page.get_by_test_id("image-frame").scroll_into_view_if_needed()
        page.screenshot(path=screenshots / f"workspace-image-point{suffix}.png")
    page.set_viewport_size({"width": 1360, "height": 900})

    # Delete removes it: the note stays, without an anchor.
    marker.focus()
    page.keyboard.press("Delete")
    marker.wait_for(state="detached")
    wait_saved(page)
    notes = Contribution.objects.get(pk=cid).notes
    assert [n["anchor"] for n in notes] == [None]
