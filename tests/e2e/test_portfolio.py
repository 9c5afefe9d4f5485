"""A freelancer sees their accepted work and the dataset that holds it, chooses to be credited by name, and shares
a public link that anyone can open without logging in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from annotations.models import Dataset, DatasetVersion, User
from annotations.services.datasets import version_build
from tests.datasets_support import build_here
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_portfolio_credit_and_public_page(
    page: Any,
    browser: Any,
    live_server: Any,
    demo_data: dict[str, int],
    screenshots: Path,
    worker_for_live_server: None,
) -> None:
    dataset = Dataset.objects.get(name="Foley process notes")
    build_here(version_build(actor=User.objects.get(username="admin"), dataset=dataset))
    login(page, "maya")
    page.get_by_role("link", name="Portfolio").click()
    page.get_by_role("heading", name="Portfolio").wait_for()
    assert page.get_by_text("In Foley process notes v1").count() == 2
    page.get_by_label("Credit name in Foley process notes").fill("Maya O.")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Make a public link").click()
    link = page.get_by_test_id("public-link").inner_text()
    page.screenshot(path=screenshots / "portfolio.png", full_page=True)
    assert DatasetVersion.objects.filter(dataset=dataset).count() == 1
    stranger = browser.new_context(viewport={"width": 1360, "height": 900})
    public = stranger.new_page()
    public.goto(link)
    public.get_by_role("heading", name="Maya Okafor").wait_for()
    assert public.get_by_text("Rebuild the sounds of").count() == 2
    public.screenshot(path=screenshots / "portfolio-public.png", full_page=True)
    stranger.close()
    from annotations.models import CreditOptIn

    assert CreditOptIn.objects.get(freelancer__username="maya").credit_name == "Maya O."
