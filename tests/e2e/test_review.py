"""A reviewer approves one submission and asks for a revision on another; the freelancer revises and resubmits;
it is approved, and the freelancer's earnings page shows the pay."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest

from annotations.models import Contribution, LedgerEntry, Payout, Project, User
from annotations.services.payouts import payouts_gather
from annotations.services.work import (
    DraftInput,
    WorkState,
    contribution_claim_next,
    contribution_save,
    contribution_submit,
    draft_create,
)
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def submit_one(user: User, project: Project, n: int) -> Contribution:
    c = contribution_claim_next(actor=user, project=project)
    saved = contribution_save(
        actor=user,
        contribution_id=c.pk,
        base_version=c.version,
        state=WorkState(
            f"Frame {n}: the keeper alone with the letter.", [{"id": f"n{n}", "body": "Kept it quiet."}], {}
        ),
    )
    draft_create(
        actor=user,
        contribution_id=c.pk,
        draft=DraftInput(client_key=f"e2e-draft-{n}", change_note="First pass", text=f"Frame {n}"),
    )
    return contribution_submit(
        actor=user,
        contribution_id=c.pk,
        base_version=saved.version,
        tools=["pencil"],
        generative_tools_used=False,
        attested=True,
    )


def log_out(page: Any) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(re.compile(r"/login"))


def test_review_revision_and_earnings(
    page: Any, demo_data: dict[str, int], screenshots: Path, worker_for_live_server: None
) -> None:
    fay = User.objects.get(username="freelancer")
    project = Project.objects.get(title="Storyboard thumbnails for a short film")
    first, second = submit_one(fay, project, 1), submit_one(fay, project, 2)

    login(page, "reviewer")
    page.get_by_role("link", name="Review").first.click()
    page.wait_for_url(re.compile(r"/review$"))
    # The queue's own hint shows once the queue has loaded (the projects page, just left, has a table too).
    page.get_by_text("opens the oldest submission").wait_for()
    page.locator("table.table tbody tr").nth(1).wait_for()
    page.screenshot(path=screenshots / "review-queue.png", full_page=True)
    page.keyboard.press("Enter")  # opens the oldest
    page.wait_for_url(re.compile(rf"/review/{first.pk}$"))
    page.get_by_text("Kept it quiet.").wait_for()
    page.screenshot(path=screenshots / "review-detail.png", full_page=True)
    page.keyboard.press("a")  # approve
    page.wait_for_url(re.compile(r"/review$"))
    page.get_by_text("opens the oldest submission").wait_for()
    page.locator("table.table tbody tr").first.click()
    page.wait_for_url(re.compile(rf"/review/{second.pk}$"))
    page.get_by_label(re.compile("^Reason or feedback")).fill("Push the contrast: the letter should glow.")
    page.get_by_role("button", name=re.compile("^Ask for a revision")).click()
    page.wait_for_url(re.compile(r"/review$"))
    page.get_by_text("Nothing to review").wait_for()
    log_out(page)

    login(page, "freelancer")
    page.wait_for_url(re.compile(r"/tasks$"))
    page.get_by_role("region", name="Your work").locator("tr", has_text="item-002").get_by_role("link").click()
    page.get_by_text("Push the contrast: the letter should glow.").wait_for()
    page.get_by_label(re.compile("^Intent")).fill("Frame 2: the keeper alone; the letter glows against the dark.")
    page.get_by_test_id("save-state").filter(has_text="All changes saved").wait_for(timeout=20_000)
    page.screenshot(path=screenshots / "workspace-revision.png", full_page=True)
    page.get_by_label(re.compile("^I made this work myself")).check()
    page.get_by_role("button", name="Submit contribution").click()
    page.locator(".badge", has_text="submitted").first.wait_for()
    log_out(page)

    login(page, "reviewer")
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto(f"/review/{second.pk}")
    page.get_by_text("revise").first.wait_for()  # the earlier decision is shown
    page.get_by_role("button", name=re.compile("^Approve and pay")).click()
    page.wait_for_url(re.compile(r"/review$"))
    log_out(page)

    # The payout runs (what the hourly beat task does), through the worker and the sandbox provider.
    assert payouts_gather(minimum_minor=1) == Payout.objects.count() == 1 + 3  # Fay, and the demo's three peers
    deadline = time.monotonic() + 60
    while Payout.objects.filter(state__in=["requested", "sent"]).exists() and time.monotonic() < deadline:
        time.sleep(0.3)
    payout = Payout.objects.get(freelancer=fay)
    assert payout.state == "confirmed" and payout.amount_minor == 1200 and payout.provider_ref.startswith("sbx_")

    login(page, "freelancer")
    page.wait_for_url(re.compile(r"/tasks$"))
    page.get_by_role("link", name="Earnings").click()
    page.get_by_role("cell", name=re.compile("approved work on item-002")).wait_for()
    assert page.get_by_test_id("balance-USD").inner_text() == "$0.00"
    assert "$12.00" in page.locator(".card", has_text="Paid out").first.inner_text()
    page.get_by_role("cell", name="Payout", exact=True).wait_for()
    page.screenshot(path=screenshots / "earnings.png", full_page=True)
    assert LedgerEntry.objects.filter(kind="earning", freelancer=fay).count() == 2
    assert Contribution.objects.get(pk=second.pk).revisions == 1
    log_out(page)

    login(page, "admin")
    page.wait_for_url(lambda url: "/login" not in url)
    page.get_by_role("link", name="Payouts").click()
    page.get_by_role("cell", name="Fay Freelancer").wait_for()
    assert "$12.00" in page.get_by_role("row", name=re.compile("Storyboard thumbnails")).inner_text()
    page.screenshot(path=screenshots / "admin-payouts.png", full_page=True)

    # A bonus on the approved work, from the project's funding.
    page.goto(f"/review/{first.pk}")
    page.get_by_label("Amount (USD)").fill("2.50")
    page.get_by_label("What it is for").fill("Exceptionally clear process notes")
    page.get_by_role("button", name="Pay bonus").click()
    page.get_by_text(re.compile("Bonus paid: 2.50 USD")).wait_for()
    page.screenshot(path=screenshots / "review-bonus.png", full_page=True)
    assert LedgerEntry.objects.get(kind="bonus").freelancer == fay
