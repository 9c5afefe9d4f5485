"""One timeline per item: a video, a WAV and a BVH take (at 0.5 s on the item's clock) play together, are scrubbed
together, a time range marked on the item shows on all three lanes, a note is anchored to a joint at a frame; both
survive a reload. A GLB model takes a point anchor from a click on its surface."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import pytest

from annotations.domain.samples import tone_wav
from annotations.models import Contribution, Item, MediaFile, Project
from tests.e2e.conftest import login, open_task
from tests.e2e.timeline_media import add_ready_file, add_to_every_item, bvh_probe, bvh_take, glb_cube, glb_probe

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIDEO = '[data-testid="player-clip.mp4"] video'
ITEM_RANGE = re.compile(r"(\d+):(\d\d\.\d\d)\u2013(\d+):(\d\d\.\d\d) on the item")


def wait_saved(page: Any) -> None:
    page.get_by_test_id("save-state").filter(has_text="All changes saved").wait_for(timeout=20_000)


def lane_x(page: Any, name: str, t: float, span: float) -> tuple[float, float]:
    """The screen point of item time `t` on a lane (the lanes share one axis, 0..span), scrolled into view."""
    page.get_by_test_id("lanes").scroll_into_view_if_needed()
    box = page.get_by_test_id(f"lane-{name}").locator(".lane-area").bounding_box()
    return box["x"] + box["width"] * t / span, box["y"] + box["height"] / 2


def item_time(page: Any) -> float:
    m, s = page.get_by_test_id("item-time").inner_text().split(" / ")[0].split(":")
    return int(m) * 60 + float(s)


def media_time(page: Any, name: str) -> float:
    return float(page.get_by_test_id(f"player-{name}").locator("video, audio").evaluate("(el) => el.currentTime"))


def frame(page: Any) -> int:
    return int(page.get_by_test_id("motion-view").get_attribute("data-frame"))


def test_video_audio_and_motion_share_one_timeline(
    page: Any, demo_data: dict[str, int], screenshots: Path, worker_for_live_server: None
) -> None:
    takes = add_to_every_item(
        "Foley notes", "take.bvh", "motion", "application/x-bvh", lambda n: bvh_take(variant=n), bvh_probe(), offset=0.5
    )
    cid = open_task(page, "Foley notes")
    bvh = takes[Contribution.objects.select_related("task").get(pk=cid).task.item_id]

    page.get_by_role("tab", name="Timeline (3 tracks)").wait_for()
    for name in ("clip.mp4", "clip.wav", "take.bvh"):
        page.get_by_test_id(f"lane-{name}").wait_for()
    page.locator("[data-testid=motion-view][data-ready=true]").wait_for(timeout=20_000)
    page.wait_for_function("() => document.querySelector('[data-testid=\"player-clip.mp4\"] video').readyState >= 1")
    # The item runs 0..3 s: the video's 3 s; the take covers 0.5..2.5 s.
    page.get_by_test_id("item-time").filter(has_text="/ 0:03.00").wait_for()
    span = 3.0

    # Played together: every player follows the one clock.
    page.get_by_test_id("play").click()
    page.wait_for_function("() => document.querySelector('[data-testid=\"player-clip.mp4\"] video').currentTime > 0.9")
    page.keyboard.press("Space")
    page.get_by_role("button", name="Play").wait_for()
    t = item_time(page)
    assert t > 0.9, t
    assert abs(media_time(page, "clip.mp4") - t) < 0.15 and abs(media_time(page, "clip.wav") - t) < 0.15
    assert abs(frame(page) - round((t - 0.5) * 30)) <= 1, (frame(page), t)

    # Scrubbed: a click on a lane seeks every player, each to the item's time less its offset.
    page.mouse.click(*lane_x(page, "clip.mp4", 1.5, span))
    page.wait_for_function(
        "([sel, t]) => Math.abs(document.querySelector(sel).currentTime - t) < 0.08", arg=[VIDEO, 1.5]
    )
    assert abs(item_time(page) - 1.5) < 0.05
    assert abs(media_time(page, "clip.wav") - 1.5) < 0.08
    assert frame(page) == 30
    # Before the take starts, it is greyed and parked at its first frame.
    page.mouse.click(*lane_x(page, "clip.mp4", 0.2, span))
    page.locator("[data-testid='player-take.bvh'][data-inside=false]").wait_for()
    assert frame(page) == 0
    # The arrow keys step a frame.
    page.keyboard.press("Shift+ArrowRight")
    assert abs(item_time(page) - 1.2) < 0.05

    # A range dragged on the video's lane, for every track: drawn on all three lanes, described on the item's clock.
    drag_from, drag_to = lane_x(page, "clip.mp4", 0.6, span), lane_x(page, "clip.mp4", 1.4, span)
    page.mouse.move(*drag_from)
    page.mouse.down()
    page.mouse.move(*drag_to, steps=8)
    page.mouse.up()
    pending = page.get_by_test_id("pending-anchor")
    pending.filter(has_text=ITEM_RANGE).wait_for()
    assert page.locator(".lane-range[data-range=pending]").count() == 3
    page.get_by_label("New note").fill("The door slam and the hand on the handle land together here.")
    page.get_by_role("button", name="Add note").click()
    wait_saved(page)
    [ranged] = [n for n in Contribution.objects.get(pk=cid).notes if n["anchor"]]
    anchor = ranged["anchor"]
    assert anchor["type"] == "time" and "file" not in anchor, anchor
    assert abs(anchor["start"] - 0.6) < 0.06 and abs(anchor["end"] - 1.4) < 0.06, anchor

    # A joint at a frame, chosen from the list (the keyboard's way; a click on the joint does the same).
    page.mouse.click(*lane_x(page, "clip.mp4", 1.3, span))
    page.wait_for_function("() => document.querySelector('[data-testid=motion-view]').dataset.frame === '24'")
    page.get_by_label("Joint").select_option("LeftHand")
    page.get_by_role("button", name="Anchor to this joint at frame 24").click()
    pending.filter(has_text="joint LeftHand at frame 24 of take.bvh").wait_for()
    page.get_by_label("New note").fill("The left hand leaves the handle: the latch clicks on this frame.")
    page.get_by_role("button", name="Add note").click()
    wait_saved(page)
    joint = [
        n["anchor"] for n in Contribution.objects.get(pk=cid).notes if n["anchor"] and n["anchor"]["type"] == "joint"
    ]
    assert joint == [{"type": "joint", "file": bvh.pk, "joint": "LeftHand", "frame": 24}]

    # After a reload both are there: the range on every lane, the joint marked on the take's lane and in the notes.
    page.reload()
    page.locator("[data-testid=motion-view][data-ready=true]").wait_for(timeout=20_000)
    note_id = ranged["id"]
    page.locator(f".lane-range[data-range='{note_id}']").nth(2).wait_for()
    assert page.locator(f".lane-range[data-range='{note_id}']").count() == 3
    page.get_by_test_id("lane-take.bvh").locator(".joint-mark").wait_for()
    page.get_by_text("joint LeftHand at frame 24 of take.bvh").wait_for()
    page.get_by_text(ITEM_RANGE).first.wait_for()

    page.mouse.click(*lane_x(page, "clip.mp4", 1.0, span))
    for width, height, suffix in [(1440, 900, ""), (390, 844, "-phone")]:
        page.set_viewport_size({"width": width, "height": height})
        page.get_by_test_id("lanes" if suffix else "timeline").scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        page.screenshot(path=screenshots / f"workspace-timeline{suffix}.png", full_page=not suffix)


def test_a_point_on_a_glb_model_is_anchored_by_a_click(
    page: Any, demo_data: dict[str, int], screenshots: Path, worker_for_live_server: None
) -> None:
    models = add_to_every_item(
        "Storyboard thumbnails", "chair.glb", "model", "model/gltf-binary", lambda n: glb_cube(variant=n), glb_probe()
    )
    cid = open_task(page, "Storyboard thumbnails for a short film")
    model = models[Contribution.objects.select_related("task").get(pk=cid).task.item_id]
    page.get_by_role("tab", name="chair.glb").click()
    page.locator("[data-testid=model-view][data-ready=true]").wait_for(timeout=20_000)

    # The camera looks at the cube's centre: a click at the middle of the view lands on its surface.
    box = page.get_by_test_id("model-stage").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.get_by_test_id("pending-anchor").filter(has_text="point on chair.glb").wait_for()
    page.get_by_label("New note").fill("The seat's corner: round it off so it reads softer.")
    page.get_by_role("button", name="Add note").click()
    wait_saved(page)
    [anchor] = [n["anchor"] for n in Contribution.objects.get(pk=cid).notes if n["anchor"]]
    assert anchor["type"] == "point" and anchor["file"] == model.pk, anchor
    # On the cube's surface, in the model's own coordinates: one coordinate is on a face (±0.5), all within it.
    assert max(abs(v) for v in anchor["position"]) == pytest.approx(0.5, abs=0.01), anchor
    for width, height, suffix in [(1440, 900, ""), (390, 844, "-phone")]:
        page.set_viewport_size({"width": width, "height": height})
        page.get_by_test_id("model-view").scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        page.screenshot(path=screenshots / f"workspace-model-point{suffix}.png")


def test_an_admin_places_the_files_of_an_item_on_its_clock(
    page: Any, demo_data: dict[str, int], screenshots: Path, worker_for_live_server: None
) -> None:

    project = Project.objects.get(title="Rewrite the opening line")
    item = Item.objects.create(project=project, external_id="take-007")
    add_ready_file(
        item.pk, project.pk, "room.wav", "audio", "audio/wav", tone_wav([220.0], seconds=2.0), {"duration_seconds": 2.0}
    )
    take = add_ready_file(item.pk, project.pk, "take.bvh", "motion", "application/x-bvh", bvh_take(), bvh_probe())

    login(page, "admin")
    page.wait_for_url(re.compile(r"/projects$"))
    page.goto(f"/projects/{project.pk}")
    article = page.locator("article.item", has_text="take-007")
    article.get_by_text("On one clock: 2 timed files").click()
    field = article.get_by_label("Offset of take.bvh, in seconds")
    field.fill("0.75")
    # The preview moves as the offset is typed.
    article.locator(".item-track-bar.lane-motion", has_text="0:00.75").wait_for()
    article.get_by_role("button", name="Save offsets").click()
    article.get_by_role("status").filter(has_text="Saved 1 offset").wait_for()
    assert MediaFile.objects.get(pk=take.pk).offset_seconds == 0.75
    field.fill("-4000")
    article.get_by_text("An offset is a number of seconds between").wait_for()
    assert article.get_by_role("button", name="Save offsets").is_disabled()
    field.fill("0.75")
    for width, height, suffix in [(1440, 900, ""), (390, 844, "-phone")]:
        page.set_viewport_size({"width": width, "height": height})
        article.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        page.screenshot(path=screenshots / f"project-item-timeline{suffix}.png")


def sensor_csv(variant: int = 0, samples: int = 3000, rate: int = 1000) -> bytes:
    """An accelerometer-like series at `rate` Hz: a slow wave, a fast one and a spike at 1 s."""
    rows = ["t,ax,ay"]
    for i in range(samples):
        t = i / rate
        spike = 5.0 if i == rate else 0.0
        rows.append(f"{t:.4f},{math.sin(2 * math.pi * t) + spike + variant / 1000:.5f},{math.cos(40 * t):.5f}")
    return ("\n".join(rows) + "\n").encode()


def test_a_sensor_series_is_plotted_on_the_timeline_with_its_cursor(
    page: Any, demo_data: dict[str, int], screenshots: Path, worker_for_live_server: None
) -> None:
    probe = {
        "format": "csv",
        "time_column": "t",
        "channels": ["ax", "ay"],
        "samples": 3000,
        "sample_rate": 1000,
        "duration_seconds": 2.999,
        "start_seconds": 0,
    }
    add_to_every_item("Foley notes", "imu.csv", "sensor", "text/csv", lambda n: sensor_csv(n), probe, offset=0.25)
    open_task(page, "Foley notes")
    page.get_by_role("tab", name="Timeline (3 tracks)").wait_for()
    page.get_by_test_id("sensor-view").get_by_role("img", name=re.compile("imu.csv: ax, ay")).wait_for()
    page.get_by_text("3,000 samples, 2 channels").wait_for()
    # The item runs to the end of the series: 0.25 + 3.0 s.
    page.get_by_test_id("item-time").filter(has_text="/ 0:03.25").wait_for()
    page.mouse.click(*lane_x(page, "imu.csv", 1.25, 3.25))
    page.get_by_text("at 1.00 s of the file").wait_for()
    left = page.locator(".sensor-cursor").evaluate("(el) => parseFloat(el.style.left)")
    assert abs(left - 100 / 2.999) < 1, left
    for width, height, suffix in [(1440, 900, ""), (390, 844, "-phone")]:
        page.set_viewport_size({"width": width, "height": height})
        page.get_by_test_id("sensor-view").scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        page.screenshot(path=screenshots / f"workspace-sensor{suffix}.png")
