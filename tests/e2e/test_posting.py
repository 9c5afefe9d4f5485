"""An admin posts work in the browser: wizard, uploads of every medium with progress, ingestion, publishing."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from annotations.domain import samples
from annotations.models import MediaFile, Project, Slot, Task
from tests import media
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sample_files(tmp_path: Path) -> list[Path]:
    files = {
        "scene.png": samples.drawn_image(seed=42, width=800, height=500),
        "take.wav": samples.tone_wav([330.0, 440.0, 550.0], seconds=1.5),
        "clip.mp4": samples.short_video(seed=3, seconds=1.5),
        "reference.txt": b"A door creaks open onto a storm.\n",
    }
    paths = []
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def test_admin_posts_a_project_with_assets_and_publishes(
    page: Any,
    demo_data: dict[str, int],
    sample_files: list[Path],
    screenshots: Path,
    worker_for_live_server: None,
    tmp_path: Path,
) -> None:
    login(page, "admin")
    page.wait_for_url(re.compile(r"/projects$"))
    page.get_by_role("link", name="New project").click()

    # 1. Basics
    page.get_by_placeholder("e.g. Storyboard thumbnails for a short film").fill("Sound and picture: a stormy night")
    for medium in ["audio", "video", "text"]:
        page.get_by_label(medium, exact=True).check()
    page.get_by_placeholder("What you need, and why.").fill("Describe **how you would stage** this scene.")
    page.get_by_role("button", name="Next").click()
    # 2. What a contribution holds: the process fields are there; add a rating scale.
    page.get_by_label("Field type to add").select_option(label="Rating scale")
    page.get_by_role("button", name="Add field").click()
    page.get_by_role("button", name="Add criterion").click()
    page.get_by_label("Criterion 1", exact=True).fill("Use of light")
    page.screenshot(path=screenshots / "new-project-spec.png", full_page=True)
    page.get_by_role("button", name="Next").click()
    # 3. Pay: below the minimum first, to see the warning, then fair.
    page.get_by_label("Pay per contribution").fill("1.00")
    assert "Below the minimum" in page.get_by_test_id("rate-box").inner_text()
    page.get_by_label("Pay per contribution").fill("6.00")
    page.get_by_label("Estimated minutes").fill("15")
    assert "24.00 USD/h" in page.get_by_test_id("rate-box").inner_text()
    page.screenshot(path=screenshots / "new-project-pay.png", full_page=True)
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Create draft project").click()
    page.wait_for_url(re.compile(r"/projects/\d+$"))
    project = Project.objects.get(title="Sound and picture: a stormy night")
    assert project.status == "draft"
    assert [f["type"] for f in project.output_spec["fields"]] == ["intent", "process_notes", "drafts", "rating"]
    assert project.rubric == [{"key": "use_of_light", "label": "Use of light", "max": 5}]
    assert project.review_period_hours == 72

    # Uploads: four media as one multimodal item, plus a file that lies about its type.
    page.get_by_label(re.compile("Put the selected files together")).check()
    page.get_by_test_id("file-input").set_input_files([str(p) for p in sample_files])
    page.locator(".upload-status.uploaded").nth(3).wait_for()
    page.screenshot(path=screenshots / "uploads-progress.png", full_page=True)
    fake = tmp_path / "not-really.wav"
    fake.write_bytes(media.png())
    page.get_by_label(re.compile("Put the selected files together")).uncheck()
    page.get_by_test_id("file-input").set_input_files(str(fake))

    # Ingestion runs (in a worker when a broker is configured); the page refreshes itself until done.
    page.locator(".file-ready").nth(3).wait_for(timeout=60_000)
    page.locator(".file-failed").first.wait_for(timeout=60_000)
    assert "The bytes are image/png, but it was uploaded as audio/wav." in page.locator(".file-failed").inner_text()
    assert page.locator("img.thumb").count() >= 2  # image and video previews
    assert page.locator("img.wave").count() == 1  # audio waveform
    page.screenshot(path=screenshots / "project-items.png", full_page=True)
    assert MediaFile.objects.filter(project=project, status="ready").count() == 4

    page.get_by_role("button", name="Publish").click()
    page.locator(".badge", has_text="published").first.wait_for()
    page.get_by_text("Slots (1 tasks \u00d7 1) \u00b7 1").wait_for()
    page.screenshot(path=screenshots / "project-published.png", full_page=True)
    assert Task.objects.filter(project=project).count() == 1
    assert Slot.objects.filter(task__project=project, state="open").count() == 1

    # Once published, the terms are fixed but the brief and examples can still be improved.
    page.get_by_role("link", name="Edit").click()
    page.get_by_role("note").filter(has_text="its pay, contribution spec and work rules are fixed").wait_for()
    page.get_by_role("button", name="Add example").click()
    page.get_by_label("Example 1 title").fill("A strong contribution")
    page.get_by_label("Example 1 body").fill("Intent: the storm is heard before it is seen.")
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Next").click()
    assert page.get_by_label("Pay per contribution").is_disabled()
    page.get_by_label("Deadline (optional)").fill("2099-06-30T17:00")
    page.screenshot(path=screenshots / "project-edit.png", full_page=True)
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(re.compile(r"/projects/\d+$"))
    page.get_by_role("heading", name="A strong contribution").wait_for()
    activity = page.get_by_role("region", name="Activity")
    activity.get_by_text("changed deadline, examples").wait_for()
    assert "published it" in activity.inner_text() and "uploaded 4 files" in activity.inner_text()
    page.screenshot(path=screenshots / "project-activity.png", full_page=True)
    project.refresh_from_db()
    assert project.examples == [
        {"title": "A strong contribution", "body": "Intent: the storm is heard before it is seen."}
    ]
    assert project.deadline is not None and project.deadline.year == 2099


def test_admin_imports_objects_from_storage_by_manifest(
    page: Any, demo_data: dict[str, int], screenshots: Path, worker_for_live_server: None
) -> None:
    from annotations.domain.manifest import import_root
    from annotations.providers.storage import object_storage

    project = Project.objects.get(title="Storyboard thumbnails for a short film")
    root = import_root(project.organization.slug)
    object_storage().put(root + "shoot/panel-7.png", samples.drawn_image(seed=7, width=640, height=360), "image/png")
    object_storage().put(root + "shoot/panel-7.txt", b"Panel 7: the lighthouse, from below.\n", "text/plain")
    tasks_before = Task.objects.filter(project=project).count()

    login(page, "admin")
    page.wait_for_url(re.compile(r"/projects$"))
    page.goto(f"/projects/{project.pk}")
    panel = page.get_by_role("region", name="Import from storage")
    panel.get_by_text(root, exact=True).first.wait_for()
    manifest = panel.get_by_placeholder(re.compile("key,item"))
    manifest.fill("key,item\nshoot/panel-7.png,panel-7\n../elsewhere/x.png,panel-8\n")
    panel.get_by_role("button", name="Import").click()
    panel.get_by_text("Row 2: The key has empty, '.' or '..' segments.").wait_for()
    assert not MediaFile.objects.filter(item__external_id="panel-7").exists()

    manifest.fill("key,item\nshoot/panel-7.png,panel-7\nshoot/panel-7.txt,panel-7\n")
    panel.get_by_role("button", name="Import").click()
    panel.get_by_text("2 files queued for ingestion").wait_for()
    item = page.locator("article.item", has_text="panel-7")
    item.locator(".file-ready").nth(1).wait_for(timeout=60_000)
    page.screenshot(path=screenshots / "project-import.png", full_page=True)
    assert MediaFile.objects.filter(item__external_id="panel-7", status="ready").count() == 2
    assert Task.objects.filter(project=project).count() == tasks_before + 1  # published: the new item is a task
