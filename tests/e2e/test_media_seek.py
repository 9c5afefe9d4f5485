"""Audio can be scrubbed in the workspace: seek a paused clip, mark a time range there, anchor a note (issue 13, 4).

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

SEEK = """([el, to]) => new Promise((done) => {
    el.pause();
    if (Math.abs(el.currentTime - to) < 0.01) return done(el.currentTime);
    el.addEventListener("seeked", () => done(el.currentTime), { once: true });
    el.currentTime = to;
})"""


def test_a_paused_clip_is_seeked_and_a_time_range_note_anchored_there(
    page: Any, demo_data: dict[str, int], screenshots: Path, worker_for_live_server: None
) -> None:
    cid = open_task(page, "Foley notes")

    page.get_by_role("tab", name="clip.wav").click()
    audio = page.locator(".av-view audio")
    audio.wait_for(state="attached")
    page.wait_for_function("() => document.querySelector('.av-view audio').readyState >= 1")
    handle = audio.element_handle()
    assert page.evaluate("(el) => el.seekable.length > 0 && el.seekable.end(0) > 1", handle), "nothing seekable"

    at = page.evaluate(SEEK, [handle, 0.4])
    assert abs(at - 0.4) < 0.05, f"the seek snapped back to {at}"
    page.get_by_text("at 0.40 s").wait_for()
    page.get_by_role("button", name=re.compile("^Mark start")).click()
    at = page.evaluate(SEEK, [handle, 1.1])
    assert abs(at - 1.1) < 0.05, f"the seek snapped back to {at}"
    assert page.evaluate("(el) => el.paused", handle)
    page.get_by_role("button", name=re.compile("^Mark end")).click()
    assert "0.4\u20131.1 s of clip.wav" in page.get_by_test_id("pending-anchor").inner_text()
    page.get_by_label("New note").fill("The door creak starts here: a leather belt pulled slowly over wood.")
    page.get_by_role("button", name="Add note").click()
    page.locator(".av-view .range-list .range").first.wait_for()
    page.get_by_test_id("save-state").filter(has_text="All changes saved").wait_for(timeout=20_000)
    # The save answers with fresh signed links: the clip keeps its position instead of reloading from 0.
    assert abs(page.evaluate("(el) => el.currentTime", handle) - 1.1) < 0.05
    page.get_by_text("at 1.10 s").wait_for()
    page.screenshot(path=screenshots / "workspace-audio-seek.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator(".av-view").scroll_into_view_if_needed()
    page.screenshot(path=screenshots / "workspace-audio-seek-phone.png")
    page.set_viewport_size({"width": 1360, "height": 900})

    anchors = [n["anchor"] for n in Contribution.objects.get(pk=cid).notes if n["anchor"]]
    assert len(anchors) == 1 and anchors[0]["type"] == "time"
    assert abs(anchors[0]["start"] - 0.4) < 0.05 and abs(anchors[0]["end"] - 1.1) < 0.05

    # Clicking the note's range on the timeline seeks the paused clip back to its start.
    page.evaluate(SEEK, [handle, 0.0])
    page.locator(".av-view .range-list .range").first.click()
    page.wait_for_function("() => Math.abs(document.querySelector('.av-view audio').currentTime - 0.4) < 0.05")
