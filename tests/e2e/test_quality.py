"""An admin runs the gold standard from the project page: sets the rate, adds a gold item with known answers,
and sees how freelancers did; the freelancer sees what their reputation is made of."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from annotations.models import GoldItem, Project
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_admin_sets_gold_items_and_the_rate(page: Any, demo_data: dict[str, int], screenshots: Path) -> None:
    project = Project.objects.get(title__startswith="Foley notes")
    second = project.items.order_by("id")[1]
    login(page, "admin")
    page.get_by_role("heading", name="Projects").wait_for()
    page.goto(f"/projects/{project.pk}")
    panel = page.get_by_test_id("gold-panel")
    panel.get_by_test_id("gold-table").get_by_text("approach: props on a foley stage").wait_for()
    panel.get_by_label("Gold rate").fill("20")
    panel.get_by_role("button", name="Save rate").click()
    panel.get_by_text("Gold rate set to 20%.").wait_for()
    panel.get_by_label("Gold item", exact=True).select_option(value=str(second.pk))
    panel.get_by_label("Known Approach").select_option("synthesis")
    panel.get_by_label("Known Difficulty").fill("4")
    panel.get_by_role("button", name="Make gold").click()
    panel.get_by_role("cell", name=second.external_id).wait_for()
    page.screenshot(path=screenshots / "gold-items.png", full_page=True)
    assert Project.objects.get(pk=project.pk).gold_rate == 20
    assert GoldItem.objects.get(item=second).answers == {"approach": "synthesis", "difficulty": 4}
    # A known answer out of the scale is stopped by the form itself, and nothing changes.
    panel.get_by_label("Gold item", exact=True).select_option(value=str(second.pk))
    panel.get_by_label("Known Difficulty").fill("9")
    panel.get_by_role("button", name="Make gold").click()
    assert panel.get_by_label("Known Difficulty").evaluate("e => e.validity.rangeOverflow") is True
    assert GoldItem.objects.get(item=second).answers["difficulty"] == 4
    panel.get_by_label("Known Difficulty").fill("")
    panel.locator("tr", has_text=second.external_id).get_by_role("button", name="Remove").click()
    panel.get_by_text(f"{second.external_id} is an ordinary item again.").wait_for()
    assert not GoldItem.objects.filter(item=second).exists()


def test_the_freelancer_sees_what_the_reputation_is_made_of(
    page: Any, demo_data: dict[str, int], screenshots: Path
) -> None:
    login(page, "freelancer")
    page.wait_for_url(re.compile(r"/tasks$"))
    page.get_by_role("link", name="Profile").click()
    rep = page.get_by_test_id("reputation")
    rep.get_by_text("0 of 3 reviewed pieces needed").wait_for()
    rep.get_by_text("0 of 2 checks needed").wait_for()
    page.screenshot(path=screenshots / "profile-reputation.png", full_page=True)
