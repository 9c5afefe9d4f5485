"""Time ranges on a track of the item's timeline: drawn by dragging on the lane, moved, anchored to a note, moved
again, removed; on audio (a decoded waveform) and on video (a bar on the item's clock)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from annotations.models import Contribution
from tests.e2e.conftest import open_task

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RANGE = re.compile(r"(\d+\.\d+)\u2013(\d+\.\d+) s of ")


SPAN = 3.0  # the item's clock: the video runs 3 s, the clip 1.5 s, both from 0


def lane_box(page: Any, file_name: str) -> dict[str, float]:
    """The file's lane on the item's timeline, scrolled into view."""
    page.get_by_test_id("lanes").scroll_into_view_if_needed()
    box = page.get_by_test_id(f"lane-{file_name}").locator(".lane-area").bounding_box()
    assert box is not None
    return dict(box)


def drag(page: Any, x0: float, x1: float, y: float) -> None:
    page.mouse.move(x0, y)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(x0 + (x1 - x0) * step / 10, y)
    page.mouse.up()


def pending_range(page: Any, other_than: tuple[float, float] | None = None) -> tuple[float, float]:
    """The pending anchor's range, once the page shows one (other than `other_than`): the lane reports a drag when
    the pointer is released, and the page renders it after."""
    shown = page.get_by_test_id("pending-anchor")
    shown.filter(has_text=RANGE).wait_for()
    if other_than is not None:
        before = f"{other_than[0]:.1f}\u2013{other_than[1]:.1f}"
        page.wait_for_function("([el, text]) => !el.textContent.includes(text)", arg=[shown.element_handle(), before])
    found = RANGE.search(shown.inner_text())
    assert found, page.get_by_test_id("pending-anchor").inner_text()
    return float(found.group(1)), float(found.group(2))


def saved_time_anchors(cid: int, file_name: str) -> list[dict[str, Any]]:
    c = Contribution.objects.select_related("task__item").get(pk=cid)
    file_id = c.task.item.files.get(name=file_name).pk
    return [n["anchor"] for n in c.notes if n["anchor"] and n["anchor"].get("file") == file_id]


def wait_saved(page: Any) -> None:
    page.get_by_test_id("save-state").filter(has_text="All changes saved").wait_for(timeout=20_000)


@pytest.mark.parametrize(("file_name", "seconds"), [("clip.wav", 1.5), ("clip.mp4", 3.0)])
def test_a_range_is_drawn_moved_anchored_and_removed_on_the_lane(
    page: Any,
    demo_data: dict[str, int],
    screenshots: Path,
    worker_for_live_server: None,
    file_name: str,
    seconds: float,
) -> None:
    cid = open_task(page, "Foley notes")

    # The clip and its video share the item's timeline: the range is marked on this track only.
    page.get_by_role("tab", name="Timeline (2 tracks)").click()
    page.get_by_label("Ranges apply to").select_option(label=f"this track only: {file_name}")
    if file_name.endswith(".wav"):
        # wavesurfer draws into a shadow root; Playwright's CSS reaches into it.
        page.locator(".timeline [part~='wrapper'] canvas").first.wait_for(timeout=20_000)
        page.locator("[data-testid=waveform][data-ready=true]").wait_for(timeout=20_000)
    box = lane_box(page, file_name)
    y = box["y"] + box["height"] / 2
    width = box["width"] * seconds / SPAN  # the file's own stretch of the item's axis

    # Drag on the lane: a new range from a fifth to three fifths of the clip.
    drag(page, box["x"] + 0.2 * width, box["x"] + 0.6 * width, y)
    start, end = pending_range(page)
    assert abs(start - 0.2 * seconds) < 0.08 and abs(end - 0.6 * seconds) < 0.08, (start, end)
    page.get_by_test_id(f"lane-{file_name}").locator(".lane-range[data-range=pending]").wait_for()

    # Move it by a fifth of the clip: both ends follow.
    drag(page, box["x"] + 0.4 * width, box["x"] + 0.6 * width, y)
    moved = pending_range(page, other_than=(start, end))
    assert abs(moved[0] - (start + 0.2 * seconds)) < 0.08 and abs(moved[1] - (end + 0.2 * seconds)) < 0.08, moved

    page.get_by_label("New note").fill(f"The hit on {file_name} lands here: a wet towel on stone.")
    page.get_by_role("button", name="Add note").click()
    page.locator(".timeline .range-list .range", has_text="note").first.wait_for()
    wait_saved(page)
    [anchor] = saved_time_anchors(cid, file_name)
    # The pending anchor is shown to a tenth of a second; the anchor keeps hundredths.
    assert abs(anchor["start"] - moved[0]) < 0.06 and abs(anchor["end"] - moved[1]) < 0.06, anchor
    page.set_viewport_size({"width": 1440, "height": 900})
    kind = "audio" if file_name.endswith(".wav") else "video"
    page.screenshot(path=screenshots / f"workspace-{kind}-ranges.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_test_id("lanes").scroll_into_view_if_needed()
    page.screenshot(path=screenshots / f"workspace-{kind}-ranges-phone.png")
    page.set_viewport_size({"width": 1360, "height": 900})
    box = lane_box(page, file_name)
    width = box["width"] * seconds / SPAN

    # The note's range dragged back by a fifth: the saved anchor moves with it.
    listed = page.locator(".timeline .range-list .range", has_text="note").first
    before = listed.inner_text()
    mid = (anchor["start"] + anchor["end"]) / 2 / seconds
    drag(page, box["x"] + mid * width, box["x"] + (mid - 0.2) * width, box["y"] + box["height"] / 2)
    page.wait_for_function("([el, text]) => el.textContent !== text", arg=[listed.element_handle(), before])
    wait_saved(page)
    [again] = saved_time_anchors(cid, file_name)
    assert abs(again["start"] - (anchor["start"] - 0.2 * seconds)) < 0.08, (anchor, again)
    assert abs((again["end"] - again["start"]) - (anchor["end"] - anchor["start"])) < 0.02, (anchor, again)

    # Selected (from the list, by keyboard) and removed with Delete: the note stays, its anchor goes.
    page.locator(".timeline .range-list .range", has_text="note").first.focus()
    page.keyboard.press("Enter")
    page.get_by_test_id("selected-range").wait_for()
    page.locator("body").press("Delete")
    page.locator(".timeline .range-list").wait_for(state="detached")
    wait_saved(page)
    assert saved_time_anchors(cid, file_name) == []
    assert any("wet towel" in n["body"] for n in Contribution.objects.get(pk=cid).notes)
