"""Audio can be scrubbed in the workspace: seek a paused clip (on the item's timeline, beside its video), mark a time
range there, anchor a note (issue 13, 4).

Without byte ranges on the media link, Chromium reports nothing seekable and a seek snaps back to 0, so a range
could only be marked while the clip played.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from annotations.models import Contribution
from tests.e2e.conftest import open_task

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AUDIO = '[data-testid="player-clip.wav"] audio'
SPAN = 3.0  # the item's clock: the video runs 3 s, the clip 1.5 s, both from 0


def lane_point(page: Any, t: float) -> tuple[float, float]:
    """The screen point of item time `t` on the clip's lane."""
    page.get_by_test_id("lanes").scroll_into_view_if_needed()
    box = page.get_by_test_id("lane-clip.wav").locator(".lane-area").bounding_box()
    assert box is not None
    return box["x"] + box["width"] * t / SPAN, box["y"] + box["height"] / 2


def test_a_paused_clip_is_seeked_and_a_time_range_note_anchored_there(
    page: Any, demo_data: dict[str, int], screenshots: Path, worker_for_live_server: None
) -> None:
    cid = open_task(page, "Foley notes")

    # The clip and its video share the item's timeline; ranges marked here are on the clip's track only.
    page.get_by_role("tab", name="Timeline (2 tracks)").click()
    page.get_by_label("Ranges apply to").select_option(label="this track only: clip.wav")
    audio = page.locator("[data-testid='player-clip.wav'] audio")
    audio.wait_for(state="attached")
    page.wait_for_function(f"() => document.querySelector({AUDIO!r}).readyState >= 1")
    handle = audio.element_handle()
    assert page.evaluate("(el) => el.seekable.length > 0 && el.seekable.end(0) > 1", handle), "nothing seekable"

    page.mouse.click(*lane_point(page, 0.4))
    page.wait_for_function(f"() => Math.abs(document.querySelector({AUDIO!r}).currentTime - 0.4) < 0.05")
    page.get_by_test_id("item-time").filter(has_text="0:00.40").wait_for()
    page.get_by_role("button", name=re.compile("^Mark start")).click()
    page.mouse.click(*lane_point(page, 1.1))
    page.wait_for_function(f"() => Math.abs(document.querySelector({AUDIO!r}).currentTime - 1.1) < 0.05")
    assert page.evaluate("(el) => el.paused", handle)
    page.get_by_role("button", name=re.compile("^Mark end")).click()
    assert "0.4\u20131.1 s of clip.wav" in page.get_by_test_id("pending-anchor").inner_text()
    page.get_by_label("New note").fill("The door creak starts here: a leather belt pulled slowly over wood.")
    page.get_by_role("button", name="Add note").click()
    page.locator(".timeline .range-list .range").first.wait_for()
    page.get_by_test_id("save-state").filter(has_text="All changes saved").wait_for(timeout=20_000)
    # The save answers with fresh signed links: the clip keeps its position instead of reloading from 0.
    assert abs(page.evaluate("(el) => el.currentTime", handle) - 1.1) < 0.05
    page.get_by_test_id("item-time").filter(has_text="0:01.10").wait_for()
    page.screenshot(path=screenshots / "workspace-audio-seek.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_test_id("lanes").scroll_into_view_if_needed()
    page.screenshot(path=screenshots / "workspace-audio-seek-phone.png")
    page.set_viewport_size({"width": 1360, "height": 900})

    file_id = Contribution.objects.select_related("task__item").get(pk=cid).task.item.files.get(name="clip.wav").pk
    anchors = [n["anchor"] for n in Contribution.objects.get(pk=cid).notes if n["anchor"]]
    assert len(anchors) == 1 and anchors[0]["type"] == "time" and anchors[0]["file"] == file_id
    assert abs(anchors[0]["start"] - 0.4) < 0.05 and abs(anchors[0]["end"] - 1.1) < 0.05

    # Clicking the note's range in the list seeks the paused clip back to its start.
    page.mouse.click(*lane_point(page, 0.1))
    page.locator(".timeline .range-list .range").first.click()
    page.wait_for_function(f"() => Math.abs(document.querySelector({AUDIO!r}).currentTime - 0.4) < 0.05")
