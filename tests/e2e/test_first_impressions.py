"""What a new user meets first, in Chromium: a quiet console when nobody is signed in, the reviewer's own start page
and a confirmed decision, a token form that starts usable, a project's activity with its work, and a new
freelancer's reputation in words."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from annotations.models import Project, User
from tests.e2e.conftest import login
from tests.e2e.test_review import submit_one

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_anonymous_page_load_logs_no_console_error(page: Any, demo_data: dict[str, int]) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    for path in ["/login", "/", "/tasks"]:  # the two last ones send a signed-out visitor to the login page
        page.goto(path)
        page.get_by_role("button", name="Log in").wait_for()
        page.wait_for_load_state("networkidle")
    assert errors == [], errors
    assert failed == [], failed


def test_a_reviewer_starts_on_the_queue_and_sees_each_decision_confirmed(
    page: Any, demo_data: dict[str, int], screenshots: Path
) -> None:
    project = Project.objects.get(title__startswith="Storyboard")
    first = submit_one(User.objects.get(username="maya"), project, 1)
    second = submit_one(User.objects.get(username="ola"), project, 2)
    login(page, "reviewer")
    page.wait_for_url(re.compile(r"/review$"))
    page.get_by_role("link", name=re.compile(r"item-")).first.click()
    page.wait_for_url(re.compile(rf"/review/{first.pk}$"))
    page.get_by_role("button", name=re.compile("Approve")).click()
    page.wait_for_url(re.compile(r"/review$"))
    status = page.get_by_role("status").filter(has_text="Approved")
    status.wait_for()
    assert status.inner_text() == f"Approved {project.title} · {first.task.item.external_id}: the freelancer is paid."
    page.get_by_role("link", name=re.compile(second.task.item.external_id)).wait_for()  # the next one is waiting
    page.screenshot(path=screenshots / "review-approved-confirmation.png", full_page=True)


def test_the_token_form_starts_with_a_scope_and_says_one_is_needed(page: Any, demo_data: dict[str, int]) -> None:
    login(page, "admin")
    page.wait_for_url(re.compile(r"/projects$"))
    page.goto("/settings/tokens")
    read = page.get_by_label(re.compile("projects:read"))
    assert read.is_checked()
    assert page.get_by_text("Choose at least one: what the token may do.").is_visible()
    create = page.get_by_role("button", name="Create token")
    read.uncheck()
    assert create.is_disabled()
    assert page.get_by_text("Choose at least one scope.").is_visible()
    read.check()
    page.get_by_label("Name").fill("reader")
    create.click()
    page.get_by_test_id("new-token").wait_for()
    assert read.is_checked()  # ready for the next one


def test_a_projects_activity_shows_its_work_as_the_audit_log_does(
    page: Any, demo_data: dict[str, int], screenshots: Path
) -> None:
    project = Project.objects.get(title__startswith="Foley")
    login(page, "admin")
    page.wait_for_url(re.compile(r"/projects$"))
    page.goto(f"/projects/{project.pk}")
    activity = page.get_by_role("region", name="Activity")
    activity.get_by_role("listitem").first.wait_for()
    text = activity.inner_text()
    assert "Nothing yet" not in text
    for line in ["Rui Reviewer approved Foley notes", "submitted Foley notes", "claimed Foley notes"]:
        assert line in text, text
    activity.get_by_role("link", name=re.compile(r"Foley notes.* · item-")).first.wait_for()
    page.screenshot(path=screenshots / "project-activity.png", full_page=True)


def test_a_new_freelancers_reputation_reads_not_rated_yet(page: Any, demo_data: dict[str, int]) -> None:
    login(page, "freelancer")
    page.wait_for_url(re.compile(r"/tasks$"))
    page.goto("/profile")
    reputation = page.get_by_test_id("reputation")
    reputation.wait_for()
    assert "Reputation: not rated yet" in reputation.inner_text()
    assert "0%" not in reputation.inner_text()
