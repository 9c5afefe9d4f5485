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
    page.wait_for_function("() => document.querySelector('[data-testid=image-stage] img').complete")
    page.locator("[data-testid=image-host][data-ready=true]").wait_for()
    box = stage.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.2, box["y"] + box["height"] * 0.25)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.55, box["y"] + box["height"] * 0.7, steps=6)
    page.mouse.up()
    page.get_by_test_id("pending-anchor").filter(has_text="Anchored to region on frame.png").wait_for()
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


# --- Two tabs, reloads and editing notes (issue 13: defects 2 and 3) ----------------------------------------------


STORYBOARD = "Storyboard thumbnails for a short film"
FOLEY = "Foley notes: how would you re-record these sounds?"  # its output spec has a Difficulty rating


def start_task(page: Any, project: str = STORYBOARD) -> int:
    login(page, "freelancer")
    page.wait_for_url(re.compile(r"/tasks$"))
    card = page.locator("article.task-card", has_text=project)
    card.get_by_role("button", name="Start next task").click()
    page.wait_for_url(re.compile(r"/work/\d+$"))
    page.get_by_label(re.compile("^Intent")).wait_for()
    return int(page.url.rsplit("/", 1)[1])


def add_note(page: Any, body: str) -> None:
    page.get_by_label("New note").fill(body)
    page.get_by_role("button", name="Add note").click()


def from_api(page: Any, cid: int) -> dict[str, Any]:
    response = page.request.get(f"/api/v1/contributions/{cid}")
    assert response.ok, response.text()
    body: dict[str, Any] = response.json()
    return body


def edit_note(page: Any, number: int, body: str) -> None:
    page.get_by_role("button", name=f"Edit note {number}").click()
    page.get_by_label(f"Note {number} text").fill(body)
    page.get_by_role("button", name="Save note").click()


def rate(page: Any, value: int) -> None:
    page.get_by_role("group", name="Difficulty").get_by_role("button", name=str(value), exact=True).click()


@pytest.mark.parametrize("change", ["note", "answer"])
def test_two_tabs_a_stale_intent_merged_keeps_the_other_tabs_change(
    page: Any, demo_data: dict[str, int], screenshots: Path, change: str
) -> None:
    cid = start_task(page, FOLEY)
    add_note(page, "First note: the horizon is too low.")
    add_note(page, "Second note: try a heavier sky.")
    rate(page, 2)
    wait_saved(page)

    # Tab B opens the same work, then goes stale while tab A changes a note (or an answer) and saves.
    tab_b = page.context.new_page()
    tab_b.goto(page.url)
    tab_b.get_by_text("Second note: try a heavier sky.").wait_for()
    page.bring_to_front()
    if change == "note":
        edit_note(page, 1, "First note: the horizon is too high.")
    else:
        rate(page, 4)
    wait_saved(page)

    # B edits the intent from its stale copy: its save is refused (409) and it merges.
    tab_b.get_by_label(re.compile("^Intent")).fill("A lonely lighthouse, seen from the sea.")
    tab_b.keyboard.press("Control+s")
    prompt = tab_b.get_by_role("alertdialog", name="Merge")
    prompt.wait_for(timeout=20_000)
    tab_b.screenshot(path=screenshots / f"workspace-merge-{change}.png", full_page=True)
    prompt.get_by_role("button", name="Merge both").click()
    wait_saved(tab_b)

    # Both edits are on the server, read back from the database and through the API.
    first = "First note: the horizon is too high." if change == "note" else "First note: the horizon is too low."
    expected = ([first, "Second note: try a heavier sky."], 4 if change == "answer" else 2)
    stored = Contribution.objects.get(pk=cid)
    assert stored.intent == "A lonely lighthouse, seen from the sea."
    assert ([n["body"] for n in stored.notes], stored.answers["difficulty"]) == expected
    body = from_api(tab_b, cid)
    assert body["intent"] == "A lonely lighthouse, seen from the sea."
    assert ([n["body"] for n in body["notes"]], body["answers"]["difficulty"]) == expected
    tab_b.close()


def test_both_tabs_edit_one_note_and_the_person_chooses_seeing_both(
    page: Any, demo_data: dict[str, int], screenshots: Path
) -> None:
    cid = start_task(page)
    add_note(page, "The sky is flat.")
    wait_saved(page)
    tab_b = page.context.new_page()
    tab_b.goto(page.url)
    tab_b.get_by_text("The sky is flat.").wait_for()
    page.bring_to_front()
    edit_note(page, 1, "The sky is flat: add clouds.")
    wait_saved(page)

    tab_b.bring_to_front()
    tab_b.get_by_role("button", name="Edit note 1").click()
    tab_b.get_by_label("Note 1 text").fill("The sky is flat: darken it.")
    tab_b.get_by_role("button", name="Save note").click()
    tab_b.keyboard.press("Control+s")
    prompt = tab_b.get_by_role("alertdialog", name="Merge")
    prompt.wait_for(timeout=20_000)
    # Both versions are on screen before choosing, and merging waits for the choice.
    choice = prompt.get_by_role("group", name=re.compile("Note 1"))
    assert "The sky is flat: add clouds." in choice.inner_text()
    assert "The sky is flat: darken it." in choice.inner_text()
    assert prompt.get_by_role("button", name="Merge both").is_disabled()
    tab_b.screenshot(path=screenshots / "workspace-merge-choose.png", full_page=True)
    tab_b.set_viewport_size({"width": 390, "height": 844})
    tab_b.screenshot(path=screenshots / "workspace-merge-choose-phone.png", full_page=True)
    choice.get_by_label("Keep the other version").check()
    prompt.get_by_role("button", name="Merge both").click()
    wait_saved(tab_b)
    assert [n["body"] for n in Contribution.objects.get(pk=cid).notes] == ["The sky is flat: add clouds."]
    tab_b.close()


def test_a_reload_right_after_typing_shows_no_conflict(page: Any, demo_data: dict[str, int]) -> None:
    cid = start_task(page)
    page.get_by_label(re.compile("^Intent")).fill("Typed just before the reload.")
    page.wait_for_timeout(500)
    page.reload()
    page.get_by_label(re.compile("^Intent")).wait_for()
    wait_saved(page)
    page.wait_for_timeout(1500)
    assert page.get_by_role("alertdialog", name="Merge").count() == 0
    assert page.get_by_label(re.compile("^Intent")).input_value() == "Typed just before the reload."
    assert Contribution.objects.get(pk=cid).intent == "Typed just before the reload."


def test_a_tab_behind_learns_it_on_focus(page: Any, demo_data: dict[str, int]) -> None:
    cid = start_task(page)
    add_note(page, "Saved here first.")
    wait_saved(page)
    tab_b = page.context.new_page()
    tab_b.goto(page.url)
    tab_b.get_by_text("Saved here first.").wait_for()
    page.bring_to_front()
    page.get_by_label(re.compile("^Intent")).fill("Changed in tab A.")
    wait_saved(page)

    tab_b.bring_to_front()
    tab_b.evaluate("window.dispatchEvent(new Event('focus'))")
    intent = tab_b.get_by_label(re.compile("^Intent"))
    tab_b.wait_for_function("el => el.value === 'Changed in tab A.'", arg=intent.element_handle(), timeout=10_000)
    assert Contribution.objects.get(pk=cid).intent == "Changed in tab A."
    tab_b.close()


def test_a_note_is_edited_in_place_from_the_keyboard_keeping_its_time(
    page: Any, demo_data: dict[str, int], screenshots: Path
) -> None:
    cid = start_task(page)
    add_note(page, "The horizn sits too low.")
    wait_saved(page)
    [before] = Contribution.objects.get(pk=cid).notes

    page.get_by_role("button", name="Edit note 1").focus()
    page.keyboard.press("Enter")
    box = page.get_by_label("Note 1 text")
    assert box.evaluate("el => el === document.activeElement")
    box.fill("The horizon sits too low.")
    page.screenshot(path=screenshots / "workspace-note-edit.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=screenshots / "workspace-note-edit-phone.png", full_page=True)
    page.keyboard.press("Control+Enter")
    wait_saved(page)
    page.get_by_text("The horizon sits too low.").wait_for()
    assert page.locator(".notes li").first.get_by_text(re.compile("edited")).count() == 1

    [after] = Contribution.objects.get(pk=cid).notes
    assert (after["id"], after["created_at"]) == (before["id"], before["created_at"])
    assert after["body"] == "The horizon sits too low." and after["edited_at"] >= before["created_at"]
    assert after["history"] == [{"body": "The horizn sits too low.", "anchor": None, "at": before["created_at"]}]


def test_the_shortcuts_overlay_lists_the_workspace_keys(
    page: Any, demo_data: dict[str, int], screenshots: Path
) -> None:
    start_task(page)
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    dialog.wait_for()
    text = dialog.inner_text()
    for label in ["Rectangle", "Polygon", "Pan", "time range", "New note", "Draft", "Save now", "Edit the last note"]:
        assert label in text, label
    assert "Tasks" in text  # page navigation is still listed
    page.screenshot(path=screenshots / "workspace-shortcuts.png")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=screenshots / "workspace-shortcuts-phone.png")
