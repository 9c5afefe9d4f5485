"""After submitting, the freelancer still sees the task's image their notes point at (issue 13, defect 5)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.datasets_support import RUBRIC, SPEC, approved_work, with_media_bytes
from tests.e2e.conftest import login
from tests.factories import PASSWORD, UserFactory, published_project

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("approve", [False, True], ids=["submitted", "approved"])
def test_the_author_still_sees_the_task_image_of_handed_in_work(
    page: Any, org: Any, screenshots: Path, worker_for_live_server: None, approve: bool
) -> None:
    reviewer: Any = UserFactory(role="reviewer", organization=org)
    author: Any = UserFactory(role="freelancer", username="noor")
    project = with_media_bytes(published_project(items=1, organization=org, output_spec=SPEC, rubric=RUBRIC))
    c = approved_work(project, reviewer, 1, freelancer=author, approve=approve)
    login(page, "noor", PASSWORD)
    page.wait_for_url("**/tasks")
    page.goto(f"/work/{c.pk}")
    page.locator(".badge", has_text="approved" if approve else "submitted").first.wait_for()
    image = page.get_by_test_id("image-stage").locator("img")
    image.wait_for()
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    page.get_by_text("Kept the horizon low in piece 1.").wait_for()  # the note, beside the image it is about
    assert page.get_by_role("toolbar", name="Drawing tools").count() == 0  # looked at, not drawn on
    page.screenshot(path=screenshots / f"workspace-{c.state}-media.png", full_page=True)
