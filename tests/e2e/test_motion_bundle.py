"""The motion bundle tried as its users would: an admin uploads a video, its sound and the BVH take that shaped them
as one item, places the take on the item's clock and publishes; a freelancer plays the three together, scrubs,
marks a range that shows on every track, anchors a note to a joint at a frame, saves drafts and submits; the
reviewer sees the same timeline with the notes on it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from annotations.domain import samples
from annotations.domain.money import Money
from annotations.models import Contribution, MediaFile, Project, User
from annotations.services.projects import ProjectFields, project_create
from tests.e2e.conftest import login, open_task

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "Jumping jacks, three ways"
LAG = 0.25  # the capture started a quarter second after the camera and the microphone


def lane_x(page: Any, name: str, t: float, span: float) -> tuple[float, float]:
    page.get_by_test_id("lanes").scroll_into_view_if_needed()
    box = page.get_by_test_id(f"lane-{name}").locator(".lane-area").bounding_box()
    return box["x"] + box["width"] * t / span, box["y"] + box["height"] / 2


def saved(page: Any) -> None:
    page.get_by_test_id("save-state").filter(has_text="All changes saved").wait_for(timeout=20_000)


def shoot(page: Any, path: Path) -> None:
    for width, height, suffix in [(1440, 900, ""), (390, 844, "-phone")]:
        page.set_viewport_size({"width": width, "height": height})
        page.get_by_test_id("lanes").scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        page.screenshot(path=path.with_name(f"{path.stem}{suffix}.png"), full_page=not suffix)
    page.set_viewport_size({"width": 1360, "height": 900})


def test_a_video_its_sound_and_the_take_are_posted_worked_and_reviewed_on_one_timeline(
    page: Any, demo_data: dict[str, int], screenshots: Path, worker_for_live_server: None, tmp_path: Path
) -> None:
    admin = User.objects.get(username="admin")
    project = project_create(
        actor=admin,
        fields=ProjectFields(
            title=TITLE,
            brief="Play the take with its sound; say how you would perform it differently.",
            modalities=["video", "audio", "motion"],
            pay=Money(500, "USD"),
            estimated_minutes=15,
        ),
    )
    files = {
        "take.mp4": samples.motion_video(3.0, LAG),
        "take.wav": samples.motion_sound(3.0, LAG),
        "take.bvh": samples.motion_take_bvh(3.0 - LAG),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)

    # The admin: three files as one item, the take placed on the item's clock, published.
    login(page, "admin")
    page.wait_for_url(re.compile(r"/projects$"))
    page.goto(f"/projects/{project.pk}")
    page.get_by_label(re.compile("Put the selected files together")).check()
    page.get_by_test_id("file-input").set_input_files([str(tmp_path / n) for n in files])
    # The .bvh has no type in the browser: it goes to storage as what it was announced as (this failed once).
    page.locator(".file-ready").nth(2).wait_for(timeout=60_000)
    bvh = MediaFile.objects.get(project=project, name="take.bvh")
    assert (bvh.kind, bvh.status, bvh.probe["frames"]) == ("motion", "ready", 82)
    item = page.locator("article.item", has_text="take.bvh")
    item.get_by_text("On one clock: 3 timed files").click()
    item.get_by_label("Offset of take.bvh, in seconds").fill(str(LAG))
    item.get_by_role("button", name="Save offsets").click()
    item.get_by_role("status").filter(has_text="Saved 1 offset").wait_for()
    page.get_by_role("button", name="Publish").click()
    page.locator(".badge", has_text="published").first.wait_for()
    assert MediaFile.objects.get(pk=bvh.pk).offset_seconds == LAG
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(re.compile(r"/login"))

    # The freelancer: the three on one timeline, played and scrubbed together.
    cid = open_task(page, TITLE)
    page.get_by_role("tab", name="Timeline (3 tracks)").wait_for()
    page.locator("[data-testid=motion-view][data-ready=true]").wait_for(timeout=20_000)
    page.get_by_test_id("item-time").filter(has_text="/ 0:03.00").wait_for()
    page.get_by_test_id("play").click()
    page.wait_for_function("() => document.querySelector('[data-testid=\"player-take.mp4\"] video').currentTime > 0.6")
    page.keyboard.press("Space")
    page.get_by_role("button", name="Play").wait_for()
    page.mouse.click(*lane_x(page, "take.mp4", 1.25, 3.0))
    page.wait_for_function("() => document.querySelector('[data-testid=motion-view]').dataset.frame === '30'")

    # A range on every track, then a joint of the skeleton at the frame shown.
    start, end = lane_x(page, "take.mp4", 0.75, 3.0), lane_x(page, "take.mp4", 1.25, 3.0)
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(*end, steps=8)
    page.mouse.up()
    assert page.locator(".lane-range[data-range=pending]").count() == 3
    page.get_by_label("New note").fill("The clap lands a beat late: I would bring the hands up faster.")
    page.get_by_role("button", name="Add note").click()
    page.mouse.click(*lane_x(page, "take.mp4", 1.25, 3.0))
    page.wait_for_function("() => document.querySelector('[data-testid=motion-view]').dataset.frame === '30'")
    page.get_by_label("Joint").select_option("LeftHand")
    page.get_by_role("button", name="Anchor to this joint at frame 30").click()
    page.get_by_test_id("pending-anchor").filter(has_text="joint LeftHand at frame 30 of take.bvh").wait_for()
    page.get_by_label("New note").fill("The left hand peaks here; I would let it float a moment longer.")
    page.get_by_role("button", name="Add note").click()
    page.get_by_label(re.compile("^Intent")).fill("A lighter jump: the same rhythm, with the weight held higher.")
    for text, change in [("Hands first, feet after.", "First plan"), ("Feet and hands land together.", "Together")]:
        page.get_by_label("Draft text").fill(text)
        page.get_by_label("What changed in this draft").fill(change)
        page.get_by_role("button", name=re.compile("^Save draft")).click()
        page.locator(".draft-timeline li", has_text=change).wait_for()
    saved(page)
    shoot(page, screenshots / "motion-bundle-workspace.png")
    page.get_by_label(re.compile("^I made this work myself")).check()
    page.get_by_role("button", name="Submit contribution").click()
    page.locator(".badge", has_text="submitted").first.wait_for()
    done = Contribution.objects.get(pk=cid)
    anchors = [n["anchor"] for n in done.notes]
    assert anchors[0]["type"] == "time" and "file" not in anchors[0]
    assert abs(anchors[0]["start"] - 0.75) < 0.06 and abs(anchors[0]["end"] - 1.25) < 0.06, anchors[0]
    assert anchors[1] == {"type": "joint", "file": bvh.pk, "joint": "LeftHand", "frame": 30}
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(re.compile(r"/login"))

    # The reviewer: the same timeline, the range on every lane and the joint on the take's.
    login(page, "reviewer")
    page.wait_for_url(re.compile(r"/review$"))
    page.goto(f"/review/{cid}")
    page.get_by_role("tab", name="Timeline (3 tracks)").wait_for()
    page.locator("[data-testid=motion-view][data-ready=true]").wait_for(timeout=20_000)
    page.locator(f".lane-range[data-range='{done.notes[0]['id']}']").nth(2).wait_for()
    assert page.locator(f".lane-range[data-range='{done.notes[0]['id']}']").count() == 3
    page.get_by_test_id("lane-take.bvh").locator(".joint-mark").wait_for()
    page.get_by_text("joint LeftHand at frame 30 of take.bvh").first.wait_for()
    page.mouse.click(*lane_x(page, "take.mp4", 1.05, 3.0))
    page.wait_for_function("() => document.querySelector('[data-testid=motion-view]').dataset.frame === '24'")
    shoot(page, screenshots / "motion-bundle-review.png")
    assert Project.objects.get(pk=project.pk).status == "published"
