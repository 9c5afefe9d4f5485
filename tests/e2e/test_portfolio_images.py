"""Image drafts show as pictures in the portfolio, the owner's and the public page (issue 13, defect 5)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from annotations.domain import samples
from tests.datasets_support import RUBRIC, SPEC, with_media_bytes
from tests.e2e.conftest import login
from tests.factories import PASSWORD, UserFactory, published_project
from tests.test_portfolio_images import work_with_image

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LOADED = "(img) => img.complete && img.naturalWidth > 0"


def test_portfolio_shows_image_drafts_as_images(
    page: Any, browser: Any, org: Any, screenshots: Path, worker_for_live_server: None
) -> None:
    reviewer: Any = UserFactory(role="reviewer", organization=org)
    ines: Any = UserFactory(role="freelancer", username="ines", display_name="Ines Moreau")
    project = with_media_bytes(
        published_project(items=2, organization=org, output_spec=SPEC, rubric=RUBRIC, title="Harbour at dusk")
    )
    sketch = samples.drawn_image(11, 640, 400)
    work_with_image(project, ines, reviewer, image=sketch, name="harbour-sketch.png", content_type="image/png")

    login(page, "ines", PASSWORD)
    page.get_by_role("link", name="Portfolio").click()
    picture = page.get_by_role("img", name="Draft 2: harbour-sketch.png")
    picture.wait_for()
    page.wait_for_function(LOADED, arg=picture.element_handle())
    assert picture.evaluate("(img) => img.naturalWidth") == 640  # the file itself, for its owner
    page.get_by_role("button", name="Make a public link").click()
    link = page.get_by_test_id("public-link").inner_text()
    page.screenshot(path=screenshots / "portfolio-images.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    picture.scroll_into_view_if_needed()
    page.screenshot(path=screenshots / "portfolio-images-phone.png")

    stranger = browser.new_context(viewport={"width": 1360, "height": 900})
    public = stranger.new_page()
    public.goto(link)
    public.get_by_role("heading", name="Ines Moreau").wait_for()
    shown = public.get_by_role("img", name="Draft 2: harbour-sketch.png")
    shown.wait_for()
    public.wait_for_function(LOADED, arg=shown.element_handle())
    assert "/drafts/" in (shown.get_attribute("src") or "")  # the metadata-free copy, not the original's link
    assert shown.evaluate("(img) => img.naturalWidth") == 480
    assert public.get_by_role("img").count() == 1  # the text draft stays text
    public.screenshot(path=screenshots / "portfolio-images-public.png", full_page=True)
    public.set_viewport_size({"width": 390, "height": 844})
    shown.scroll_into_view_if_needed()
    public.screenshot(path=screenshots / "portfolio-images-public-phone.png")
    stranger.close()
