"""Logging in, the role shells, and API tokens, in Chromium."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from annotations.models import ApiToken
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_admin_logs_in_and_sees_the_projects(page: Any, demo_data: dict[str, int], screenshots: Path) -> None:
    page.goto("/login")
    page.screenshot(path=screenshots / "login.png")
    login(page, "admin")
    page.wait_for_url(re.compile(r"/projects$"))
    page.get_by_role("link", name="Storyboard thumbnails for a short film").wait_for()
    rows = page.locator("table tbody tr")
    assert rows.count() == 5
    assert "below minimum" in rows.filter(has_text="Colour-grade notes").inner_text()
    for nav in ["Projects", "Review", "Payouts", "Datasets", "API tokens"]:
        assert page.get_by_role("link", name=nav, exact=True).is_visible()
    page.screenshot(path=screenshots / "admin-projects.png", full_page=True)


def test_freelancer_lands_on_tasks(page: Any, demo_data: dict[str, int], screenshots: Path) -> None:
    login(page, "freelancer")
    page.wait_for_url(re.compile(r"/tasks$"))
    cards = page.locator("article.task-card")
    cards.first.wait_for()
    assert cards.count() == 3  # the three published projects
    assert "$24.00/h" in page.locator("article", has_text="Storyboard").inner_text()
    assert not page.get_by_role("link", name="Projects", exact=True).count()
    page.screenshot(path=screenshots / "freelancer-tasks.png", full_page=True)
    page.get_by_role("link", name="Earnings").click()
    page.get_by_text("No earnings yet").wait_for()


def test_wrong_password_shows_the_reason_and_stays(page: Any, demo_data: dict[str, int], screenshots: Path) -> None:
    login(page, "admin", "not-the-password")
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert alert.inner_text() == "The username and/or password you specified are not correct."  # allauth's words
    assert page.url.endswith("/login")
    page.screenshot(path=screenshots / "login-wrong-password.png")


def test_a_deep_link_returns_after_login(page: Any, demo_data: dict[str, int]) -> None:
    page.goto("/settings/tokens")
    page.wait_for_url(re.compile(r"/login\?next="))
    login_form = page.locator("form")
    page.fill("input[name=username]", "reviewer")
    page.fill("input[name=password]", "atelier-demo")
    login_form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/settings/tokens$"))


def test_an_api_token_is_shown_once_and_works(
    page: Any, demo_data: dict[str, int], screenshots: Path, live_server: Any
) -> None:
    login(page, "admin")
    page.get_by_role("heading", name="Projects").wait_for()
    page.keyboard.press("g")
    page.keyboard.press("k")  # keyboard shortcut to API tokens
    page.wait_for_url(re.compile(r"/settings/tokens$"))
    page.get_by_placeholder("e.g. nightly export").fill("nightly export")
    page.get_by_label(re.compile("projects:read")).uncheck()  # the form starts with reading projects checked
    page.get_by_label(re.compile("export:read")).check()
    page.get_by_role("button", name="Create token").click()
    secret = page.get_by_test_id("new-token").inner_text()
    assert secret.startswith("atl_")
    page.screenshot(path=screenshots / "api-tokens.png", full_page=True)
    token = ApiToken.objects.get(name="nightly export")
    assert token.scopes == ["export:read"] and secret not in token.digest
    page.reload()
    page.get_by_role("cell", name="nightly export").wait_for()
    assert secret not in page.content()
    me = page.request.get(f"{live_server.url}/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status == 200 and me.json()["username"] == "admin"
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Revoke").click()
    page.get_by_text(re.compile("revoked")).wait_for()
    assert page.request.get(f"{live_server.url}/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status == 401


def test_freelancer_edits_the_profile_and_sees_the_reputation(
    page: Any, demo_data: dict[str, int], screenshots: Path
) -> None:
    from annotations.models import FreelancerProfile

    login(page, "freelancer")
    page.wait_for_url(re.compile(r"/tasks$"))
    page.get_by_role("link", name="Profile").click()
    assert "Reputation: not rated yet" in page.get_by_test_id("reputation").inner_text()
    page.get_by_label("Skills (declared, comma separated)").fill("illustration, foley")
    page.get_by_role("button", name="Save profile").click()
    page.get_by_text("Saved.").wait_for()
    page.screenshot(path=screenshots / "profile.png", full_page=True)
    assert FreelancerProfile.objects.get(user__username="freelancer").skills == ["foley", "illustration"]
