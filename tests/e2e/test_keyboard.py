"""Keyboard only, no mouse: a freelancer logs in, claims a task from the list, writes the intent, saves a draft,
anchors a note to it and submits; a reviewer opens that submission from the queue and approves it. Every control
reached shows its focus, focus lands on what changed after each action, and axe-core finds nothing on the way."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from annotations.models import Contribution
from tests.e2e.conftest import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

STORYBOARD = "Storyboard thumbnails for a short film"

# What has focus, and whether it is shown: an outline or a box-shadow while the element matches :focus-visible.
FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {tag: "BODY", visible: false, text: "", label: ""};
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow !== "none" && style.boxShadow !== "";
  const labels = el.labels ? [...el.labels].map((l) => l.textContent).join(" ") : "";
  return {
    tag: el.tagName,
    visible: el.matches(":focus-visible") && (outline || shadow),
    text: (el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 200),
    label: [el.getAttribute("aria-label") || "", labels, el.getAttribute("name") || ""].join(" ").trim(),
    id: el.id,
    html: el.outerHTML.slice(0, 160),
  };
}"""


def focused(page: Any) -> dict[str, Any]:
    return dict(page.evaluate(FOCUS))


def assert_focus_shown(page: Any, where: str) -> dict[str, Any]:
    now = focused(page)
    assert now["tag"] != "BODY", f"{where}: focus was lost to the page"
    assert now["visible"], f"{where}: the focused element shows no focus ring: {now['html']}"
    return now


def tab_to(page: Any, wanted: re.Pattern[str], where: str, back: bool = False, most: int = 90) -> dict[str, Any]:
    """Tab (or Shift+Tab) until the focused element's text, label or HTML matches `wanted`; each stop shows its
    focus."""
    for _ in range(most):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        now = assert_focus_shown(page, f"{where}, tabbing")
        if any(wanted.search(now[k]) for k in ("text", "label", "html")):
            return now
    raise AssertionError(f"{where}: no control matching {wanted.pattern!r} within {most} presses of Tab")


def log_in_by_keyboard(page: Any, username: str) -> None:
    page.goto("/login")
    page.get_by_role("button", name="Log in").wait_for()
    assert page.evaluate("() => document.activeElement.name") == "username"  # the field has autofocus
    page.keyboard.type(username)
    tab_to(page, re.compile("^Password"), "login")
    page.keyboard.type("atelier-demo")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login" not in url)
    # The new page's heading takes focus (and the window's title follows it).
    page.wait_for_function("() => document.activeElement && document.activeElement.tagName === 'H1'")
    assert_focus_shown(page, "after logging in")


def test_a_freelancer_claims_works_and_submits_by_keyboard_and_a_reviewer_approves_it(
    page: Any, demo_data: dict[str, int], screenshots: Path
) -> None:
    log_in_by_keyboard(page, "freelancer")
    page.wait_for_url(re.compile(r"/tasks$"))
    page.get_by_role("heading", name=STORYBOARD).wait_for()
    page.wait_for_load_state("networkidle")
    assert_accessible(page, "tasks")

    # Claim: Tab through the menu to the card's button; Enter opens the workspace, whose heading takes focus.
    card = "() => document.activeElement.closest('article')?.querySelector('h2')?.textContent"
    start = tab_to(page, re.compile("^Start next task"), "tasks")
    while page.evaluate(card) != STORYBOARD:  # the cards before it have their own button
        start = tab_to(page, re.compile("^Start next task"), "tasks")
    assert start["tag"] == "BUTTON"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/work/\d+$"))
    cid = int(page.url.rsplit("/", 1)[1])
    page.wait_for_function("() => document.activeElement && document.activeElement.tagName === 'H1'")
    heading = assert_focus_shown(page, "workspace arrival")
    assert heading["text"] == STORYBOARD
    page.locator("[data-testid=image-host][data-ready=true]").wait_for()
    page.wait_for_load_state("networkidle")
    assert_accessible(page, "workspace")

    # The intent, typed into its field; the save state is announced (role=status) and reaches "saved".
    tab_to(page, re.compile("^Intent"), "workspace")
    page.keyboard.type("Three frames that make the lighthouse feel lonely, not heroic.")
    save_state = page.get_by_test_id("save-state")
    assert save_state.get_attribute("role") == "status"
    save_state.filter(has_text="All changes saved").wait_for(timeout=20_000)

    # A text draft: its text, what changed, then Save draft; focus goes to the new draft in the timeline.
    tab_to(page, re.compile("^Draft text"), "draft form")
    page.keyboard.type("Panel 1: the lighthouse, small, far left, under a heavy sky.")
    tab_to(page, re.compile("^What changed in this draft"), "draft form")
    page.keyboard.type("First layout")
    tab_to(page, re.compile("^Save draft"), "draft form")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.closest('.draft-timeline') !== null", timeout=20_000
    )
    draft = assert_focus_shown(page, "after saving the draft")
    assert "Draft 1" in draft["text"] and "First layout" in draft["text"]

    # A process note anchored to that draft: the anchor picked with the arrow keys, the note added with Ctrl+Enter.
    tab_to(page, re.compile("Anchor to a draft"), "notes", back=True)
    page.keyboard.press("ArrowDown")
    page.get_by_test_id("pending-anchor").filter(has_text="Draft 1").wait_for()
    tab_to(page, re.compile("New note"), "notes", back=True)
    page.keyboard.type("Draft 1 works: the empty sky does the talking.")
    page.keyboard.press("Control+Enter")
    page.locator(".notes li", has_text="the empty sky does the talking").wait_for()
    assert_focus_shown(page, "after adding the note")
    save_state.filter(has_text="All changes saved").wait_for(timeout=20_000)
    assert_accessible(page, "workspace with a draft and a note")
    page.screenshot(path=screenshots / "keyboard-workspace.png", full_page=True)

    # Attest with Space, submit with Enter: focus goes to the note saying the work is submitted.
    tab_to(page, re.compile("^I made this work myself"), "submit")
    page.keyboard.press("Space")
    assert page.get_by_label(re.compile("^I made this work myself")).is_checked()
    tab_to(page, re.compile("^Submit contribution"), "submit")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'work-state'", timeout=20_000)
    note = assert_focus_shown(page, "after submitting")
    assert note["text"].startswith("Submitted")
    assert_accessible(page, "submitted work")
    page.screenshot(path=screenshots / "keyboard-submitted.png", full_page=True)
    done = Contribution.objects.get(pk=cid)
    assert done.state == "submitted" and done.attested
    assert [n["anchor"]["type"] for n in done.notes if n["anchor"]] == ["draft"]

    # The reviewer: the queue, the submission, Approve and pay; focus goes to the confirmation back on the queue.
    page.context.clear_cookies()
    log_in_by_keyboard(page, "reviewer")
    page.wait_for_url(re.compile(r"/review$"))
    page.locator("table.table tbody tr", has_text=STORYBOARD).first.wait_for()
    page.wait_for_load_state("networkidle")
    assert_accessible(page, "review queue")
    tab_to(page, re.compile(f'href="/review/{cid}"'), "review queue")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/review/{cid}$"))
    page.get_by_text("the empty sky does the talking").first.wait_for()
    page.wait_for_function("() => document.activeElement && document.activeElement.tagName === 'H1'")
    assert_focus_shown(page, "review arrival")
    page.wait_for_load_state("networkidle")
    assert_accessible(page, "review")
    tab_to(page, re.compile("^Approve and pay"), "review")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/review$"))
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.textContent.startsWith('Approved')", timeout=20_000
    )
    confirmation = assert_focus_shown(page, "after approving")
    assert "the freelancer is paid" in confirmation["text"]
    assert_accessible(page, "review queue after a decision")
    page.screenshot(path=screenshots / "keyboard-approved.png", full_page=True)
    assert Contribution.objects.get(pk=cid).state == "approved"


def test_the_shortcuts_dialog_takes_focus_keeps_it_and_gives_it_back(page: Any, demo_data: dict[str, int]) -> None:
    log_in_by_keyboard(page, "freelancer")
    page.wait_for_url(re.compile(r"/tasks$"))
    page.get_by_role("heading", name=STORYBOARD).wait_for()
    tab_to(page, re.compile("Earnings$"), "menu", back=True)
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    dialog.wait_for()
    assert page.evaluate("() => document.querySelector('[role=dialog]').contains(document.activeElement)")
    assert_accessible(page, "shortcuts dialog")
    for _ in range(4):  # Tab and Shift+Tab stay inside the dialog
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.querySelector('[role=dialog]').contains(document.activeElement)")
        assert_focus_shown(page, "inside the dialog")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("() => document.querySelector('[role=dialog]').contains(document.activeElement)")
    page.keyboard.press("Escape")
    dialog.wait_for(state="detached")
    back = assert_focus_shown(page, "after closing the dialog")
    assert back["text"].endswith("Earnings")


def test_the_phone_menu_by_keyboard_and_focus_on_the_new_page(page: Any, demo_data: dict[str, int]) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    log_in_by_keyboard(page, "freelancer")
    page.wait_for_url(re.compile(r"/tasks$"))
    page.get_by_role("heading", name=STORYBOARD).wait_for()
    tab_to(page, re.compile("Menu"), "phone bar", back=True)
    page.keyboard.press("Enter")
    page.get_by_role("navigation", name="Main").wait_for()
    tab_to(page, re.compile("Earnings"), "phone menu")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/earnings$"))
    page.wait_for_function("() => document.activeElement && document.activeElement.tagName === 'H1'")
    heading = assert_focus_shown(page, "earnings arrival")
    assert heading["text"] == "Earnings"
    assert page.title().startswith("Earnings")
    # The heading is on screen, not under the sticky bar.
    box = page.locator("main h1").first.bounding_box()
    bar = page.locator(".sidebar").bounding_box()
    assert box["y"] >= bar["y"] + bar["height"] - 1


def test_a_skip_link_leads_past_the_menu_to_the_content(page: Any, demo_data: dict[str, int]) -> None:
    log_in_by_keyboard(page, "freelancer")
    page.wait_for_url(re.compile(r"/tasks$"))
    skip = tab_to(page, re.compile("^Skip to content$"), "tasks, back to the top", back=True)
    assert skip["tag"] == "A"
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'main'")
    tab_to(page, re.compile("^Start next task"), "tasks, after the skip")  # from the content on, not the menu
