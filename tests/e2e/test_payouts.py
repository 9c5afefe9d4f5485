"""The platform's operator presses "Pay out now" on Payouts: the page says what the round started, the payout
appears and goes through to confirmed without waiting for the hourly round; pressing again pays nothing twice.
Screenshots on a desktop and a phone."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest

from annotations.models import AuditEvent, Payout, User
from annotations.services.ledger import Leg, ledger_post, payable
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_operator_pays_out_now_once(
    page: Any, demo_data: dict[str, int], screenshots: Path, worker_for_live_server: None
) -> None:
    fl = User.objects.get(username="freelancer")
    ledger_post(
        kind="bonus",
        key="e2e:pay-out-now",
        memo="Due now",
        legs=[Leg("platform:bonuses", -4200, "USD"), Leg(payable(fl.pk), 4200, "USD")],
        freelancer=fl,
    )
    before = Payout.objects.count()

    login(page, "admin")
    page.get_by_role("heading", name="Projects").wait_for()
    page.get_by_role("link", name="Payouts").click()
    page.get_by_role("heading", name="Payouts", exact=True).wait_for()
    button = page.get_by_role("button", name="Pay out now")
    button.click()
    status = page.get_by_role("status").filter(has_text="Payout round started")
    status.wait_for()
    assert re.match(r"Payout round started: \d+ balances?, \$", status.inner_text())
    row = page.get_by_role("row").filter(has_text=fl.display_name).filter(has_text="$42.00")
    deadline = time.monotonic() + 90  # the page follows the round by itself: no reload here
    while not row.count() or "confirmed" not in row.first.inner_text().lower():  # the row comes when the worker has it
        assert time.monotonic() < deadline, row.all_inner_texts()
        time.sleep(0.5)
    page.screenshot(path=str(screenshots / "payouts-pay-out-now-1360.png"), full_page=True)

    mine = Payout.objects.filter(freelancer=fl, amount_minor=4200)
    assert mine.count() == 1 and mine.get().state == "confirmed"
    made = Payout.objects.count()
    assert made > before

    # Pressed again (another tab, a double click): nothing more is paid
    button.click()
    page.get_by_role("status").filter(has_text="Nothing to pay out now").wait_for()
    assert Payout.objects.count() == made
    assert AuditEvent.objects.filter(action="payout.gather_started").count() == 2

    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("button", name="Pay out now").wait_for()
    page.screenshot(path=str(screenshots / "payouts-pay-out-now-390.png"), full_page=True)
