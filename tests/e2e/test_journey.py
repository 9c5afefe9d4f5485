"""The people side end to end, as the people themselves meet it, against a real SMTP server on loopback.

A visitor signs up, reads the code from the mail that arrived, verifies, completes the profile, passes the project's
qualification exam and claims and submits a task. An admin invites a reviewer; the reviewer accepts from the mail
and approves the work. The freelancer finds the approval in the bell and in the mailbox, and the next morning's
digest of new projects is unsubscribed from with one click. Every page on the way is photographed at desktop and
phone width."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from annotations.models import (
    Contribution,
    ExamAttempt,
    FreelancerProfile,
    Invitation,
    NotificationPreference,
    Project,
    TermsAcceptance,
    User,
)
from annotations.services.exams import ExamFields, exam_create
from annotations.services.quality import gold_item_set
from tests.datasets_support import with_media_bytes
from tests.e2e.conftest import login
from tests.factories import published_project
from tests.smtp import code_in, link_in, text_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1360, "height": 900}
PHONE = {"width": 390, "height": 844}
SPEC = {
    "version": 1,
    "fields": [
        {"key": "intent", "type": "intent", "label": "Intent", "required": True},
        {"key": "notes", "type": "process_notes", "label": "Process notes", "required": True},
        {"key": "drafts", "type": "drafts", "label": "Drafts", "required": True, "min": 1, "max": 5},
        {"key": "mood", "type": "choice", "label": "Mood", "required": True, "options": ["calm", "tense"]},
    ],
}
EMAIL = "lena.lindqvist@example.org"
PASSWORD = "slow river under birches 4"


def shoot(page: Any, screenshots: Path, name: str, prefix: str = "journey") -> None:
    """The page as it is now, at desktop and at phone width."""
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=screenshots / f"{prefix}-{name}.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(150)
    page.screenshot(path=screenshots / f"{prefix}-{name}-phone.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name} scrolls sideways on a phone: {width}px"
    page.set_viewport_size(DESKTOP)


def new_page(browser: Any, live_server: Any, errors: list[str]) -> Any:
    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return page


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_a_visitor_joins_qualifies_works_and_hears_back(
    page: Any, browser: Any, live_server: Any, demo_data: dict[str, int], screenshots: Path, mailbox: Any
) -> None:
    admin = User.objects.get(username="admin")
    project = with_media_bytes(
        published_project(
            items=3, organization=admin.organization, output_spec=SPEC, title="Harbour at dusk: mood sketches"
        )
    )
    gold = gold_item_set(
        actor=admin, project_id=project.pk, item_id=project.items.order_by("id")[0].pk, answers={"mood": "calm"}
    )
    exam = exam_create(actor=admin, fields=ExamFields(title="Reading a mood", item_ids=[gold.item_id]))
    Project.objects.filter(pk=project.pk).update(required_exam=exam)
    errors: list[str] = []

    # --- A visitor signs up and verifies with the code from the mail ---------------------------------------------
    page.goto("/signup")
    page.get_by_role("heading", name="Create your account").wait_for()
    shoot(page, screenshots, "signup")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("checkbox", name=re.compile("I accept the contributor terms")).check()
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(re.compile(r"/verify-email"))
    page.get_by_text(EMAIL).wait_for()
    shoot(page, screenshots, "verify-email")
    (message,) = mailbox.wait_for(EMAIL)
    page.get_by_label("Verification code").fill(code_in(message))
    page.get_by_role("button", name="Verify").click()

    # --- The profile, before the marketplace opens -----------------------------------------------------------------
    page.wait_for_url(re.compile(r"/onboarding$"))
    lena = User.objects.get(email__iexact=EMAIL)
    assert lena.role == "freelancer" and lena.organization_id is None
    assert TermsAcceptance.objects.filter(user=lena).exists()
    page.get_by_test_id("missing-list").wait_for()
    shoot(page, screenshots, "onboarding")
    form = page.get_by_role("form", name="Your profile")
    form.get_by_label("Display name").fill("Lena Lindqvist")
    languages = form.get_by_role("combobox", name="Languages you work in")
    languages.fill("sv")
    languages.press("Enter")
    form.get_by_role("button", name="Next").click()
    form.get_by_role("textbox", name="Skills", exact=True).fill("illustration, colour")
    form.get_by_role("checkbox", name="Images").check()
    form.get_by_role("button", name="Next").click()
    form.get_by_label("Country").select_option("SE")
    form.get_by_label("Time zone").select_option("Europe/Stockholm")
    form.get_by_role("button", name="Next").click()
    for use in ("Training AI models", "Training generative AI", "Text and data mining", "Input to AI while it works"):
        form.get_by_role("group", name=use).get_by_role("radio", name="Allowed", exact=True).check()
    page.get_by_role("status").filter(has_text="you are ready").wait_for()
    form.get_by_role("button", name="Open the marketplace").click()
    page.wait_for_url(re.compile(r"/tasks$"))
    assert FreelancerProfile.objects.get(user=lena).onboarded_at is not None

    # --- The project asks for its exam; passing it opens the task ----------------------------------------------
    card = page.locator("article", has_text=project.title).first
    card.get_by_test_id("exam-notice").get_by_text("Qualification exam required:").wait_for()
    shoot(page, screenshots, "marketplace-exam")
    card.get_by_test_id("exam-notice").get_by_role("link", name="Take the exam").click()
    page.get_by_role("button", name="Start the exam").click()
    page.get_by_test_id("exam-page").get_by_label("Mood", exact=True).first.select_option("calm")
    shoot(page, screenshots, "exam")
    page.get_by_role("button", name="Submit the exam").click()
    page.get_by_test_id("exam-result").get_by_text("Passed", exact=True).wait_for()
    shoot(page, screenshots, "exam-passed")
    assert ExamAttempt.objects.get(freelancer=lena).passed

    page.goto("/tasks")
    card = page.locator("article", has_text=project.title).first
    card.get_by_test_id("exam-notice").get_by_text("Passed").wait_for()
    card.get_by_role("button", name="Start next task").click()
    page.wait_for_url(re.compile(r"/work/\d+$"))
    work = Contribution.objects.get(pk=int(page.url.rsplit("/", 1)[1]))
    assert work.freelancer_id == lena.pk and work.project_id == project.pk

    page.get_by_label(re.compile("^Intent")).fill("A harbour that feels calm, not empty: the last boat coming in.")
    page.get_by_label("New note").fill("Warm lamps against the blue hour keep it from turning sad.")
    page.get_by_role("button", name="Add note").click()
    page.get_by_label("Draft text").fill("Boat left of centre, lamps lit, water still.")
    page.get_by_label("What changed in this draft").fill("First layout")
    page.get_by_role("button", name=re.compile("^Save draft")).click()
    page.locator(".draft-timeline li", has_text="First layout").wait_for()
    page.get_by_role("group", name="Mood").get_by_role("radio", name="calm").check()
    page.get_by_test_id("save-state").filter(has_text="All changes saved").wait_for(timeout=20_000)
    shoot(page, screenshots, "workspace")
    page.get_by_label(re.compile("^I made this work myself")).check()
    page.get_by_role("button", name="Submit contribution").click()
    page.locator(".badge", has_text="submitted").first.wait_for()
    assert Contribution.objects.get(pk=work.pk).state == "submitted"

    # --- An admin invites a reviewer --------------------------------------------------------------------------
    office = new_page(browser, live_server, errors)
    login(office, "admin")
    office.wait_for_url(lambda url: "/login" not in url)
    office.goto("/settings/members")
    invite = office.get_by_role("form", name="Invite someone")
    invite.get_by_label("Email").fill("rafael@example.org")
    invite.get_by_label("Role").select_option("reviewer")
    invite.get_by_role("button", name="Send invitation").click()
    invite.get_by_text("Invitation sent to rafael@example.org").wait_for()
    shoot(office, screenshots, "members-invited")

    # --- ... who accepts from the mail and reviews the work -----------------------------------------------------
    (invitation_mail,) = mailbox.wait_for("rafael@example.org")
    desk = new_page(browser, live_server, errors)
    desk.goto(path_of(link_in(invitation_mail, "/invite/")))
    desk.get_by_role("heading", name="Join").wait_for()
    shoot(desk, screenshots, "invitation")
    join = desk.get_by_role("form", name="Create your account")
    join.get_by_label("Display name").fill("Rafael Reis")
    join.get_by_label("Password", exact=True).fill("lanterns over the quay 9")
    join.get_by_label("Confirm password").fill("lanterns over the quay 9")
    join.get_by_role("button", name=re.compile("^Join")).click()
    desk.wait_for_url(re.compile(r"/review$"))
    rafael = User.objects.get(email__iexact="rafael@example.org")
    assert rafael.role == "reviewer" and rafael.organization_id == admin.organization_id
    assert Invitation.objects.get(email__iexact="rafael@example.org").accepted_at is not None
    desk.locator("table.table tbody tr", has_text=project.title).first.wait_for()
    shoot(desk, screenshots, "review-queue")
    desk.locator("table.table tbody tr", has_text=project.title).first.click()
    desk.wait_for_url(re.compile(rf"/review/{work.pk}$"))
    desk.get_by_text("Warm lamps against the blue hour").wait_for()
    shoot(desk, screenshots, "review-detail")
    desk.get_by_role("button", name=re.compile("^Approve and pay")).click()
    desk.wait_for_url(re.compile(r"/review$"))
    assert Contribution.objects.get(pk=work.pk).state == "approved"

    # --- The freelancer hears of it: in the bell and by mail ---------------------------------------------------
    page.goto("/tasks")
    bell = page.get_by_role("button", name=re.compile(r"^Notifications, \d+ unread$"))
    bell.click()
    page.get_by_role("menu").get_by_text(f"Approved: {project.title}").first.wait_for()
    page.screenshot(path=screenshots / "journey-bell.png")
    page.set_viewport_size(PHONE)
    menu = page.get_by_role("menu").bounding_box()
    assert menu["x"] >= 0 and menu["x"] + menu["width"] <= PHONE["width"], f"the bell's menu leaves the screen: {menu}"
    page.screenshot(path=screenshots / "journey-bell-phone.png")
    page.set_viewport_size(DESKTOP)
    (approval,) = mailbox.wait_for(EMAIL, subject="Approved")
    assert project.title in text_of(approval)

    # --- The admin publishes another project; next morning's digest is unsubscribed from with one click -------
    more = published_project(items=1, organization=admin.organization, title="Lighthouse keepers' letters")
    Project.objects.filter(pk=more.pk).update(status="draft")
    office.goto(f"/projects/{more.pk}")
    office.get_by_role("button", name="Publish").click()
    office.locator(".badge", has_text="published").first.wait_for()
    from workers.mail import send_project_digests

    send_project_digests.apply()  # what the beat schedule runs each morning
    (digest,) = mailbox.wait_for(EMAIL, subject="new project")
    assert more.title in text_of(digest)
    assert "List-Unsubscribe=One-Click" in str(digest["List-Unsubscribe-Post"])
    page.goto(path_of(str(digest["List-Unsubscribe"]).strip().strip("<>")))
    page.get_by_role("heading", name="Unsubscribe from these mails?").wait_for()
    shoot(page, screenshots, "unsubscribe")
    page.get_by_role("button", name="Unsubscribe").click()
    page.get_by_role("heading", name="You are unsubscribed").wait_for()
    shoot(page, screenshots, "unsubscribed")
    pref = NotificationPreference.objects.get(user=lena)
    assert (pref.kind, pref.channel, pref.enabled) == ("project_digest", "email", False)
    page.goto("/settings/notifications")
    digest_box = page.get_by_label("Daily digest of new projects: email")
    digest_box.wait_for()
    assert not digest_box.is_checked()
    shoot(page, screenshots, "notification-settings")

    for other in (office, desk):
        other.context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
