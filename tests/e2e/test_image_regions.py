"""Image regions in the workspace: drawn, selected, resized by a corner, moved, zoomed at the cursor, removed; the
note's saved anchor follows each change."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from annotations.models import Contribution
from tests.e2e.conftest import open_image_task

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def drag(page: Any, start: tuple[float, float], end: tuple[float, float]) -> None:
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(*end, steps=8)
    page.mouse.up()


def wait_saved(page: Any) -> None:
    page.get_by_test_id("save-state").filter(has_text="All changes saved").wait_for(timeout=20_000)


def region_points(cid: int) -> list[list[float]]:
    [anchor] = [n["anchor"] for n in Contribution.objects.get(pk=cid).notes if n["anchor"]]
    assert anchor["type"] == "region" and anchor["shape"] == "rectangle"
    return anchor["points"]


def close(a: list[list[float]], b: list[list[float]], within: float = 0.02) -> bool:
    return all(abs(p - q) <= within for pa, pb in zip(a, b, strict=True) for p, q in zip(pa, pb, strict=True))


def test_an_image_region_is_resized_moved_and_removed(
    page: Any, demo_data: dict[str, int], screenshots: Path, worker_for_live_server: None
) -> None:
    cid, at = open_image_task(page)

    page.keyboard.press("r")
    drag(page, at(0.2, 0.2), at(0.5, 0.6))
    page.get_by_test_id("pending-anchor").filter(has_text="Anchored to region on frame.png").wait_for()
    page.get_by_label("New note").fill("The lighthouse: keep it small against the sky.")
    page.get_by_role("button", name="Add note").click()
    wait_saved(page)
    drawn = region_points(cid)
    assert close(drawn, [[0.2, 0.2], [0.5, 0.6]]), drawn

    # The pan tool: a click on the region selects it; its bottom-right corner dragged makes it bigger.
    page.keyboard.press("v")
    page.mouse.click(*at(0.35, 0.4))
    page.get_by_test_id("selected-region").filter(has_text="Note 1's region is selected").wait_for()
    corner = page.locator(".a9s-corner-handle-bottomright").first.bounding_box()
    start = (corner["x"] + corner["width"] / 2, corner["y"] + corner["height"] / 2)
    box = page.get_by_test_id("image-stage").bounding_box()
    drag(page, start, (start[0] + box["width"] * 0.1, start[1] + box["height"] * 0.1))
    page.wait_for_timeout(1_500)  # Annotorious reports an edit once the pointer has rested for a second
    wait_saved(page)
    resized = region_points(cid)
    assert close(resized, [[0.2, 0.2], [0.6, 0.7]], 0.03), resized

    # Dragged by its middle: both corners move together.
    page.mouse.click(*at(0.4, 0.45))
    page.get_by_test_id("selected-region").wait_for()
    drag(page, at(0.4, 0.45), at(0.5, 0.4))
    page.wait_for_timeout(1_500)
    wait_saved(page)
    moved = region_points(cid)
    assert close(moved, [[0.3, 0.15], [0.7, 0.65]], 0.03), moved

    # Ctrl+wheel zooms at the cursor: the image point under it stays under it.
    point = at(0.3, 0.3)
    page.mouse.move(*point)
    page.keyboard.down("Control")
    page.mouse.wheel(0, -300)
    page.keyboard.up("Control")
    page.get_by_test_id("zoom-level").filter(has_text=re.compile(r"^1[1-9]\d%$")).wait_for()
    after = page.get_by_test_id("image-stage").bounding_box()
    assert (
        abs(after["x"] + after["width"] * 0.3 - point[0]) < 3 and abs(after["y"] + after["height"] * 0.3 - point[1]) < 3
    )
    for width, height, suffix in [(1440, 900, ""), (390, 844, "-phone")]:
        page.set_viewport_size({"width": width, "height": height})
        page.get_by_test_id("image-frame").scroll_into_view_if_needed()
        page.screenshot(path=screenshots / f"workspace-image-region{suffix}.png")
    page.set_viewport_size({"width": 1360, "height": 900})
    page.get_by_role("button", name="Fit").click()

    # Delete removes the selected region: the note stays, without an anchor.
    page.locator("body").press("Delete")
    page.get_by_test_id("selected-region").wait_for(state="detached")
    wait_saved(page)
    notes = Contribution.objects.get(pk=cid).notes
    assert [n["anchor"] for n in notes] == [None]
    assert notes[0]["body"] == "The lighthouse: keep it small against the sky."
