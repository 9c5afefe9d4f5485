"""Every page works on a phone: nothing scrolls sideways at 360 and 390 px, titles are readable, and the menu
folds behind a button that opens, closes by keyboard and closes on navigation. Screenshots at 390x844 and at
desktop width of the tasks list, the workspace and earnings (and of every other page, at 390 px)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from annotations.models import Dataset, Project, User
from annotations.services.work import contribution_claim_next
from tests.conftest import ROOT
from tests.e2e.conftest import login
from tests.e2e.test_review import submit_one

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONES = [(390, 844), (360, 740)]
DESKTOP = (1360, 900)


def dark_share(page: Any, selector: str) -> float:
    """The share of a box's pixels that are dark: a dark title on a light page is mostly light background."""
    from PIL import Image

    shot = page.locator(selector).first.screenshot()
    pixels = list(Image.open(io.BytesIO(shot)).convert("L").getdata())
    return sum(1 for p in pixels if p < 90) / len(pixels)


def check_page(
    page: Any,
    path: str,
    width: int,
    height: int,
    screenshots: Path,
    name: str,
    names: tuple[str, str] = ("Menu", "Main"),
) -> None:
    page.set_viewport_size({"width": width, "height": height})
    page.goto(path)
    heading = page.locator("main h1").first
    heading.wait_for()
    page.wait_for_load_state("networkidle")
    overflow = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, view: document.documentElement.clientWidth})"
    )
    shot = screenshots / f"phone-{name}-{width}.png"
    page.screenshot(path=shot, full_page=True)
    assert overflow["scroll"] <= overflow["view"], f"{path} scrolls sideways at {width} px: {overflow} ({shot.name})"
    box = heading.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{path}: the title leaves the screen at {width} px"
    assert box["y"] < 220, f"{path}: the menu pushes the title to {box['y']:.0f} px at {width} px ({shot.name})"
    assert dark_share(page, "main h1") < 0.5, f"{path}: the title sits on a dark background at {width} px"
    menu = page.get_by_role("button", name=names[0])
    assert menu.is_visible() and menu.get_attribute("aria-expanded") == "false"
    assert not page.get_by_role("navigation", name=names[1]).is_visible()


def freelancer_pages() -> list[tuple[str, str]]:
    freelancer = User.objects.get(username="freelancer")
    project = Project.objects.get(title__startswith="Storyboard")
    work = contribution_claim_next(actor=freelancer, project=project)
    return [
        ("/tasks", "tasks"),
        (f"/work/{work.pk}", "workspace"),
        ("/earnings", "earnings-empty"),
        ("/profile", "profile"),
        ("/portfolio", "portfolio"),
        ("/settings/tokens", "freelancer-tokens"),
    ]


def staff_pages(role: str) -> list[tuple[str, str]]:
    project = Project.objects.get(title__startswith="Storyboard")
    peer = User.objects.get(username="maya")
    submitted = submit_one(peer, project, 1)
    dataset = Dataset.objects.get(name="Foley process notes")
    pages = [
        ("/projects", "projects"),
        (f"/projects/{project.pk}", "project"),
        ("/review", "review"),
        (f"/review/{submitted.pk}", "review-detail"),
        ("/datasets", "datasets"),
        (f"/datasets/{dataset.pk}", "dataset"),
        ("/settings/tokens", "tokens"),
    ]
    if role == "admin":
        pages += [
            ("/projects/new", "new-project"),
            (f"/projects/{project.pk}/edit", "edit-project"),
            ("/payouts", "payouts"),
            ("/settings/webhooks", "webhooks"),
            ("/settings/audit", "audit"),
        ]
    return [(path, f"{role}-{name}") for path, name in pages]


@pytest.mark.parametrize("role", ["freelancer", "maya", "reviewer", "admin"])
def test_no_page_scrolls_sideways_on_a_phone(
    page: Any, demo_data: dict[str, int], screenshots: Path, role: str
) -> None:
    if role == "freelancer":
        pages = freelancer_pages()
    elif role == "maya":  # a freelancer with approved work: earnings and portfolio have rows
        pages = [("/earnings", "earnings"), ("/portfolio", "maya-portfolio"), ("/profile", "maya-profile")]
    else:
        pages = staff_pages(role)
    page.set_viewport_size({"width": PHONES[0][0], "height": PHONES[0][1]})
    login(page, role)
    page.wait_for_url(re.compile(r"/(tasks|projects|review)$"))
    for width, height in PHONES:
        for path, name in pages:
            check_page(page, path, width, height, screenshots, name)


@pytest.mark.parametrize("role", ["freelancer", "admin"])
def test_no_page_scrolls_sideways_in_portuguese(
    page: Any, demo_data: dict[str, int], screenshots: Path, role: str
) -> None:
    """Brazilian Portuguese has the longest words of the languages shipped: every page still fits 360 px."""
    catalogue = json.loads((ROOT / "frontend/src/i18n/locales/pt-BR/common.json").read_text())
    User.objects.filter(username=role).update(language="pt-BR")
    pages = freelancer_pages() if role == "freelancer" else staff_pages(role)
    page.set_viewport_size({"width": 360, "height": 740})
    login(page, role)
    page.wait_for_url(re.compile(r"/(tasks|projects)$"))
    page.wait_for_function("() => document.documentElement.lang === 'pt-BR'")
    for path, name in pages:
        check_page(page, path, 360, 740, screenshots, f"pt-{name}", (catalogue["nav.menu"], catalogue["nav.main"]))


def test_the_login_page_fits_a_phone(page: Any, demo_data: dict[str, int], screenshots: Path) -> None:
    for width, height in PHONES:
        page.set_viewport_size({"width": width, "height": height})
        page.goto("/login")
        page.get_by_role("button", name="Log in").wait_for()
        page.screenshot(path=screenshots / f"phone-login-{width}.png", full_page=True)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width


def test_the_key_pages_at_desktop_width(page: Any, demo_data: dict[str, int], screenshots: Path) -> None:
    pages = freelancer_pages()[:2]
    login(page, "freelancer")
    page.wait_for_url(re.compile(r"/tasks$"))
    for path, name in [*pages, ("/earnings", "earnings-empty")]:
        page.goto(path)
        page.locator("main h1").first.wait_for()
        page.wait_for_load_state("networkidle")
        page.screenshot(path=screenshots / f"desktop-{name}.png", full_page=True)
        assert not page.get_by_role("button", name="Menu").is_visible()
        assert page.get_by_role("navigation", name="Main").is_visible()
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= DESKTOP[0]
    page.context.clear_cookies()
    login(page, "maya")
    page.wait_for_url(re.compile(r"/tasks$"))
    page.goto("/earnings")
    page.get_by_role("heading", name="History").wait_for()
    page.screenshot(path=screenshots / "desktop-earnings.png", full_page=True)


def test_the_phone_menu_opens_by_keyboard_and_closes_on_navigation(
    page: Any, demo_data: dict[str, int], screenshots: Path
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "freelancer")
    page.wait_for_url(re.compile(r"/tasks$"))
    menu = page.get_by_role("button", name="Menu")
    nav = page.get_by_role("navigation", name="Main")
    assert menu.get_attribute("aria-expanded") == "false" and not nav.is_visible()
    menu.focus()
    page.keyboard.press("Enter")
    assert menu.get_attribute("aria-expanded") == "true"
    nav.wait_for()
    assert menu.get_attribute("aria-controls") == nav.get_attribute("id")
    page.screenshot(path=screenshots / "phone-menu-open-390.png")
    page.keyboard.press("Escape")
    assert menu.get_attribute("aria-expanded") == "false"
    nav.wait_for(state="hidden")
    menu.click()
    nav.get_by_role("link", name="Earnings").click()
    page.wait_for_url(re.compile(r"/earnings$"))
    page.get_by_role("heading", name="Earnings", exact=True).wait_for()
    nav.wait_for(state="hidden")
    assert menu.get_attribute("aria-expanded") == "false"
