"""A freelancer sees their accepted work and the dataset that holds it, chooses to be credited by name, and shares
a public link that anyone can open without logging in."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from annotations.models import ContentCredential, Dataset, DatasetVersion, User
from annotations.providers import c2pa
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
    deadline = time.monotonic() + 60  # the worker embeds Content Credentials in the demo's recorded takes
    while ContentCredential.objects.filter(state="embedded").count() < 3:
        assert time.monotonic() < deadline, "no Content Credentials were embedded"
        time.sleep(0.3)
    build_here(version_build(actor=User.objects.get(username="admin"), dataset=dataset))
    login(page, "maya")
    page.get_by_role("link", name="Portfolio").click()
    page.get_by_role("heading", name="Portfolio").wait_for()
    assert page.get_by_text("In Foley process notes v1").count() == 2
    download = page.get_by_role("link", name="Download with Content Credentials")
    assert download.count() == 1  # maya's recorded take; her text drafts have none
    take = page.request.get(download.get_attribute("href") or "")
    assert take.ok
    signer = ContentCredential.objects.get(draft__contribution__freelancer__username="maya").key
    assert signer is not None
    anchor = signer.trust_anchor
    found = c2pa.read(take.body(), "audio/wav", anchor)
    assert found.state == "Trusted" and found.assertion and found.assertion["draft_sequence"] == 3
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
    assert public.get_by_text("Content Credentials embedded").count() == 1  # shown, not downloadable
    assert public.get_by_role("link", name="Download with Content Credentials").count() == 0
    public.screenshot(path=screenshots / "portfolio-public.png", full_page=True)
    stranger.close()
    from annotations.models import CreditOptIn

    assert CreditOptIn.objects.get(freelancer__username="maya").credit_name == "Maya O."
