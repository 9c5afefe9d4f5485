"""WCAG 2.2 AA in the browser: axe-core finds no violation on any page of any role, at desktop width and at 360 px,
nor in the dialogs the pages open. Each page is photographed at both widths (a11y-*.png)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from annotations.models import Dataset, FreelancerProfile, Project, ProjectStatus, QualificationExam, User
from annotations.services.tasks import tasks_generate
from annotations.services.work import contribution_claim_next
from tests.e2e.conftest import axe_violations, describe_violations, login
from tests.e2e.test_journey import path_of
from tests.e2e.test_review import submit_one
from tests.smtp import link_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1360, "height": 900}
PHONE = {"width": 360, "height": 740}
SIZES = [("desktop", DESKTOP), ("phone", PHONE)]


def settle(page: Any) -> None:
    """The page has its heading and its data: no request in flight, no loading line left."""
    page.locator("h1").first.wait_for()
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => !document.querySelector('.loading')", timeout=10_000)


class Survey:
    """Visits pages and collects axe-core's findings, so one run lists every page's violations."""

    def __init__(self, page: Any, screenshots: Path) -> None:
        self.page = page
        self.screenshots = screenshots
        self.found: list[str] = []
        self.checked = 0

    def check(self, name: str) -> None:
        violations = axe_violations(self.page)
        self.checked += 1
        if violations:
            self.found.append(f"{name} ({self.page.url}):\n{describe_violations(violations)}")

    def visit(self, path: str, name: str, sizes: list[tuple[str, dict[str, int]]] = SIZES) -> None:
        for size, viewport in sizes:
            self.page.set_viewport_size(viewport)
            self.page.goto(path)
            settle(self.page)
            self.page.screenshot(path=self.screenshots / f"a11y-{name}-{size}.png", full_page=True)
            self.check(f"{name} at {size}")

    def assert_clean(self) -> None:
        assert self.checked > 0
        assert not self.found, f"{len(self.found)} page(s) with accessibility violations:\n\n" + "\n\n".join(self.found)


def test_the_signed_out_pages(page: Any, demo_data: dict[str, int], screenshots: Path, mailbox: Any) -> None:
    from annotations.services.invitations import invitation_create

    survey = Survey(page, screenshots)
    for path, name in [
        ("/login", "login"),
        ("/signup", "signup"),
        ("/terms", "terms"),
        ("/account/password/reset", "password-reset"),
    ]:
        survey.visit(path, name)

    # The login form with its error shown.
    page.set_viewport_size(DESKTOP)
    page.goto("/login")
    page.fill("input[name=username]", "freelancer")
    page.fill("input[name=password]", "not the password")
    page.click("button[type=submit]")
    page.get_by_role("alert").first.wait_for()
    survey.check("login with an error")

    # The link from the password-reset mail.
    fay = User.objects.get(username="freelancer")
    page.goto("/account/password/reset")
    page.get_by_label("Email").fill(fay.email)
    page.get_by_role("button", name="Send the link").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    survey.check("password reset sent")
    (message,) = mailbox.wait_for(fay.email)
    survey.visit(path_of(link_in(message, "/account/password/reset/key/")), "password-reset-key")

    # Sign-up, then the step that asks for the code from the mail.
    page.set_viewport_size(DESKTOP)
    page.goto("/signup")
    page.get_by_label("Email").fill("ines@example.org")
    page.get_by_label("Password", exact=True).fill("lanterns over the quay 5")
    page.get_by_role("checkbox", name=re.compile("I accept the contributor terms")).check()
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(re.compile(r"/verify-email"))
    page.get_by_text("ines@example.org").wait_for()
    settle(page)
    page.screenshot(path=screenshots / "a11y-verify-email-desktop.png", full_page=True)
    survey.check("verify email at desktop")
    page.set_viewport_size(PHONE)
    page.screenshot(path=screenshots / "a11y-verify-email-phone.png", full_page=True)
    survey.check("verify email at phone")

    # An invitation.
    admin = User.objects.get(username="admin")
    sent = invitation_create(actor=admin, email="rafael@example.org", role="reviewer")
    survey.visit(f"/invite/{sent.token}", "invitation")

    # A public portfolio.
    maya = User.objects.get(username="maya")
    FreelancerProfile.objects.filter(user=maya).update(portfolio_token="a11y-public-portfolio")
    survey.visit("/p/a11y-public-portfolio", "public-portfolio")
    survey.assert_clean()


def freelancer_pages() -> list[tuple[str, str]]:
    fay = User.objects.get(username="freelancer")
    pages = [
        ("/tasks", "tasks"),
        ("/earnings", "earnings"),
        ("/earnings/methods", "payout-methods"),
        ("/profile", "profile"),
        ("/portfolio", "portfolio"),
        ("/notifications", "notifications"),
        ("/settings/notifications", "notification-settings"),
        ("/settings/account", "account"),
        ("/settings/tokens", "freelancer-tokens"),
    ]
    exam = QualificationExam.objects.first()
    if exam is not None:
        pages.append((f"/exams/{exam.pk}", "exam"))
    # A workspace of each kind of media the demo has: image with text, audio with video, motion; and plain text.
    text = Project.objects.get(title="Rewrite the opening line")
    Project.objects.filter(pk=text.pk).update(status=ProjectStatus.PUBLISHED)
    text.refresh_from_db()
    tasks_generate(project=text)
    for title, kind in [
        ("Storyboard thumbnails", "image"),
        ("Foley notes", "audio-video"),
        ("Motion takes", "motion"),
        ("Rewrite the opening line", "text"),
    ]:
        work = contribution_claim_next(actor=fay, project=Project.objects.get(title__startswith=title))
        pages.append((f"/work/{work.pk}", f"workspace-{kind}"))
    return pages


def test_the_freelancers_pages(page: Any, demo_data: dict[str, int], screenshots: Path) -> None:
    pages = freelancer_pages()
    login(page, "freelancer")
    page.wait_for_url(re.compile(r"/tasks$"))
    survey = Survey(page, screenshots)
    for path, name in pages:
        survey.visit(path, f"freelancer-{name}")

    # The keyboard shortcuts dialog ("?") over the workspace.
    page.set_viewport_size(DESKTOP)
    page.goto(pages[-1][0])
    settle(page)
    page.keyboard.press("?")
    page.get_by_role("dialog", name="Keyboard shortcuts").wait_for()
    page.screenshot(path=screenshots / "a11y-shortcuts-dialog.png")
    survey.check("shortcuts dialog")
    survey.assert_clean()


def test_a_freelancer_with_approved_work(page: Any, demo_data: dict[str, int], screenshots: Path) -> None:
    login(page, "maya")
    page.wait_for_url(re.compile(r"/tasks$"))
    survey = Survey(page, screenshots)
    for path, name in [("/earnings", "earnings"), ("/portfolio", "portfolio"), ("/profile", "profile")]:
        survey.visit(path, f"maya-{name}")
    survey.assert_clean()


def staff_pages(role: str) -> list[tuple[str, str]]:
    project = Project.objects.get(title__startswith="Storyboard")
    submitted = submit_one(User.objects.get(username="maya"), project, 1)
    dataset = Dataset.objects.get(name="Foley process notes")
    pages = [
        ("/projects", "projects"),
        (f"/projects/{project.pk}", "project"),
        ("/review", "review-queue"),
        (f"/review/{submitted.pk}", "review"),
        ("/payouts", "payouts"),
        ("/datasets", "datasets"),
        (f"/datasets/{dataset.pk}", "dataset"),
        ("/settings/members", "members"),
        ("/settings/account", "account"),
        ("/settings/tokens", "tokens"),
        ("/notifications", "notifications"),
        ("/settings/notifications", "notification-settings"),
    ]
    if role == "admin":
        pages += [
            ("/projects/new", "new-project"),
            (f"/projects/{project.pk}/edit", "edit-project"),
            ("/settings/webhooks", "webhooks"),
            ("/settings/audit", "audit"),
        ]
    return pages


@pytest.mark.parametrize("role", ["reviewer", "admin"])
def test_the_staff_pages(page: Any, demo_data: dict[str, int], screenshots: Path, role: str) -> None:
    pages = staff_pages(role)
    login(page, role)
    page.wait_for_url(re.compile(r"/(projects|review)$"))
    survey = Survey(page, screenshots)
    for path, name in pages:
        survey.visit(path, f"{role}-{name}")

    page.set_viewport_size(PHONE)
    page.goto("/projects")
    settle(page)
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation", name="Main").wait_for()
    page.screenshot(path=screenshots / f"a11y-{role}-menu-phone.png")
    survey.check("the phone menu open")
    survey.assert_clean()


def test_less_motion_when_the_system_asks_for_it(page: Any, demo_data: dict[str, int]) -> None:
    page.emulate_media(reduced_motion="reduce")
    login(page, "freelancer")
    page.wait_for_url(re.compile(r"/tasks$"))
    settle(page)
    motion = page.evaluate(
        """() => {
             const spinner = document.createElement("span");
             spinner.className = "spinner";
             const bar = document.createElement("div");
             bar.className = "progress-fill";
             document.body.append(spinner, bar);
             const s = getComputedStyle(spinner), b = getComputedStyle(bar);
             const html = getComputedStyle(document.documentElement);
             return {spin: parseFloat(s.animationDuration), runs: s.animationIterationCount,
                     slide: parseFloat(b.transitionDuration), scroll: html.scrollBehavior};
           }"""
    )
    assert motion["spin"] < 0.001 and motion["runs"] == "1" and motion["slide"] < 0.001, motion
    assert motion["scroll"] == "auto"
