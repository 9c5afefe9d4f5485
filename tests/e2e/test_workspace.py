"""A freelancer does a task in the browser: claim, draw a region, intent, three anchored notes, two drafts,
compare, a stale save from a second tab merged, submit."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from annotations.models import Contribution, Draft
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def wait_saved(page: Any) -> None:
    page.get_by_test_id("save-state").filter(has_text="All changes saved").wait_for(timeout=20_000)


def test_freelancer_claims_works_with_drafts_and_notes_and_submits(
    page: Any, demo_data: dict[str, int], screenshots: Path, worker_for_live_server: None
) -> None:
    login(page, "freelancer")
    page.wait_for_url(re.compile(r"/tasks$"))
    card = page.locator("article.task-card", has_text="Storyboard thumbnails for a short film")
    assert "$24.00/h" in card.inner_text() and "4 tasks" in card.inner_text()
    page.screenshot(path=screenshots / "freelancer-marketplace.png", full_page=True)
    card.get_by_role("button", name="Start next task").click()
    page.wait_for_url(re.compile(r"/work/\d+$"))
    cid = int(page.url.rsplit("/", 1)[1])

    # Keyboard: P and V pick the polygon and pan tools, R the rectangle again.
    page.get_by_test_id("image-stage").locator("img").wait_for()
    page.keyboard.press("p")
    assert page.get_by_role("button", name=re.compile("^Polygon")).get_attribute("aria-pressed") == "true"
    page.keyboard.press("v")
    assert page.get_by_role("button", name=re.compile("^Pan")).get_attribute("aria-pressed") == "true"
    page.keyboard.press("r")

    # A region on the image, and the intent.
    stage = page.get_by_test_id("image-stage")
    stage.locator("img").wait_for()
    page.wait_for_function("document.querySelector('[data-testid=image-stage] img').complete")
    box = stage.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.2, box["y"] + box["height"] * 0.25)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.55, box["y"] + box["height"] * 0.7, steps=6)
    page.mouse.up()
    assert "Anchored to region on frame.png" in page.get_by_test_id("pending-anchor").inner_text()
    page.get_by_label(re.compile("^Intent")).fill("Three frames that make the lighthouse feel lonely, not heroic.")
    page.get_by_label("New note").fill("The horizon sits too low here; the sky has to carry the mood.")
    page.get_by_role("button", name="Add note").click()
    page.screenshot(path=screenshots / "workspace-region.png", full_page=True)

    # Two text drafts.
    for text, change in [
        ("Panel 1: the lighthouse, small, far right.", "First layout"),
        ("Panel 1: the lighthouse, small, far left, under a heavy sky.", "Moved it left; heavier sky"),
    ]:
        page.get_by_label("Draft text").fill(text)
        page.get_by_label("What changed in this draft").fill(change)
        page.get_by_role("button", name=re.compile("^Save draft")).click()
        page.locator(".draft-timeline li", has_text=change).wait_for()

    # A note on a passage of the reference text, and one on the second draft.
    page.get_by_role("tab", name="reference.txt").click()
    text_view = page.get_by_test_id("text-view")
    text_view.wait_for()
    text_view.evaluate(
        """el => { const r = document.createRange(); const t = el.firstChild.firstChild;
                   r.setStart(t, 0); r.setEnd(t, 12); const s = getSelection(); s.removeAllRanges(); s.addRange(r);
                   el.dispatchEvent(new MouseEvent('mouseup', {bubbles: true})); }"""
    )
    assert "in reference.txt" in page.get_by_test_id("pending-anchor").inner_text()
    page.get_by_label("New note").fill("This line sets the scale: keep the figure tiny.")
    page.get_by_role("button", name="Add note").click()
    page.get_by_label("Anchor to a draft").select_option(label="Draft 2")
    page.get_by_label("New note").fill("Draft 2 works: the empty sky does the talking.")
    page.get_by_role("button", name="Add note").click()
    wait_saved(page)

    # Compare the two drafts.
    page.get_by_label("Pick draft 1 to compare").check()
    page.get_by_label("Pick draft 2 to compare").check()
    page.get_by_role("button", name="Compare the two picked drafts").click()
    diff = page.get_by_test_id("diff")
    assert diff.locator("ins").count() >= 1 and diff.locator("del").count() >= 1
    page.screenshot(path=screenshots / "workspace-compare.png", full_page=True)

    # A second tab saves first; this tab's save is stale and offers to merge.
    other = page.context.new_page()
    other.goto(page.url)
    other.get_by_label(re.compile("^Intent")).fill("Edited in another tab.")
    wait_saved(other)
    page.get_by_label("New note").fill("Typed in the first tab while the other one saved.")
    page.get_by_role("button", name="Add note").click()
    prompt = page.get_by_role("alertdialog", name="Merge")
    prompt.wait_for(timeout=20_000)
    page.screenshot(path=screenshots / "workspace-merge.png", full_page=True)
    prompt.get_by_role("button", name="Merge both").click()
    wait_saved(page)
    merged = Contribution.objects.get(pk=cid)
    assert merged.intent == "Edited in another tab."  # only the other tab changed it
    assert [n["body"] for n in merged.notes][-1] == "Typed in the first tab while the other one saved."
    assert len(merged.notes) == 4
    other.close()

    page.get_by_label(re.compile("^I made this work myself")).check()
    page.get_by_role("button", name="Submit contribution").click()
    page.locator(".badge", has_text="submitted").first.wait_for()
    page.screenshot(path=screenshots / "workspace-submitted.png", full_page=True)
    done = Contribution.objects.get(pk=cid)
    assert done.state == "submitted" and done.attested and len(done.content_sha256) == 64
    assert [n["anchor"]["type"] for n in done.notes if n["anchor"]] == ["region", "span", "draft"]
    drafts = list(Draft.objects.filter(contribution=done).order_by("sequence"))
    assert drafts[1].previous_sha256 == drafts[0].chain_sha256 and done.chain_sha256 == drafts[1].chain_sha256
