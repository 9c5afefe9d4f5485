"""An admin defines a dataset in the browser, builds a version and watches it build, reads the card and downloads
a shard; then a script with an API token pulls the same version with the incremental stream and loads it with
Hugging Face `datasets` (the client example in the docs, run as it is)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from annotations.models import DatasetVersion, Organization, User
from annotations.services.tokens import api_token_create
from tests.conftest import ROOT
from tests.datasets_support import RUBRIC, SPEC, approved_work, with_media_bytes
from tests.e2e.conftest import assert_accessible, login
from tests.e2e.test_journey import shoot
from tests.factories import published_project

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_admin_builds_a_version_and_a_pipeline_pulls_it(
    page: Any,
    demo_data: dict[str, int],
    screenshots: Path,
    worker_for_live_server: None,
    live_server: Any,
    tmp_path: Path,
) -> None:
    org = Organization.objects.get(slug="demo-studio")
    reviewer = User.objects.get(username="reviewer")
    project = with_media_bytes(
        published_project(
            items=6,
            organization=org,
            output_spec=SPEC,
            rubric=RUBRIC,
            title="Harbour moods",
            generative_tools_allowed=True,
        )
    )
    work = [approved_work(project, reviewer, n) for n in range(5)]

    login(page, "admin")
    page.get_by_role("heading", name="Projects").wait_for()
    page.get_by_role("link", name="Datasets").click()
    page.get_by_role("button", name="New dataset").click()
    form = page.get_by_role("form", name="New dataset")
    form.get_by_label("Name").fill("Harbour moods with process")
    form.get_by_label("Harbour moods").check()
    form.get_by_label(re.compile("^Leave out flagged work")).uncheck()
    form.get_by_label(re.compile("^WebDataset")).check()
    form.get_by_label("Records per shard").fill("2")
    assert form.get_by_label("JSONL compression").input_value() == "zstd"  # the default
    shoot(page, screenshots, "new", prefix="dataset")
    form.get_by_role("button", name="Create dataset").click()
    page.get_by_role("heading", name="Harbour moods with process").wait_for()
    page.get_by_role("button", name="Build new version").click()
    versions = page.get_by_test_id("versions")
    versions.locator(".badge", has_text="built").wait_for(timeout=60_000)
    page.screenshot(path=screenshots / "dataset-versions.png", full_page=True)
    versions.get_by_role("link", name="v1").click()
    page.get_by_role("heading", name="Data card").wait_for()
    files = page.get_by_test_id("files")
    with page.expect_download() as download_info:
        files.get_by_role("link", name="jsonl/part-00000-of-00003.jsonl.zst", exact=True).click()
    saved = tmp_path / "shard.jsonl.zst"
    download_info.value.save_as(saved)
    import zstandard

    lines = zstandard.ZstdDecompressor().stream_reader(saved.read_bytes()).read().decode().splitlines()
    assert len(lines) == 2 and json.loads(lines[0])["intent"] == work[0].intent
    page.screenshot(path=screenshots / "dataset-version.png", full_page=True)
    assert_accessible(page, "dataset-version")  # the version page needs a built version, which the demo has not

    version = DatasetVersion.objects.get(dataset__name="Harbour moods with process", number=1)
    token = api_token_create(
        user=User.objects.get(username="admin"), name="pipeline", scopes=["export:read"], expires_in_days=None
    )
    script = ROOT / "docs" / "examples" / "pull_dataset.py"
    env = {**os.environ, "ATELIER_TOKEN": token.raw}
    args = [sys.executable, str(script), live_server.url, str(version.dataset_id), "1"]
    full = json.loads(subprocess.run(args, env=env, capture_output=True, check=True, timeout=120).stdout)
    assert full["records"] == 5 and full["columns"] == 20  # every top-level field of the record
    since = work[2].approved_at.isoformat()  # type: ignore[union-attr]
    later = json.loads(
        subprocess.run([*args, "--since", since], env=env, capture_output=True, check=True, timeout=120).stdout
    )
    assert later["records"] == 2 and later["next_since"] == work[4].approved_at.isoformat()  # type: ignore[union-attr]


def test_a_freelancer_withdraws_consent_from_the_profile(
    page: Any, demo_data: dict[str, int], screenshots: Path
) -> None:
    from annotations.models import ConsentWithdrawal

    login(page, "freelancer")
    page.wait_for_url(re.compile(r"/tasks$"))
    page.get_by_role("link", name="Profile").click()
    card = page.get_by_test_id("consent")
    card.get_by_role("button", name="Withdraw consent…").click()
    card.get_by_label(re.compile("^Why")).fill("I want my sketches out of model training.")
    card.get_by_role("button", name="Withdraw for good").click()
    card.get_by_role("status").filter(has_text="Consent withdrawn").wait_for()
    page.screenshot(path=screenshots / "profile-consent.png", full_page=True)
    withdrawal = ConsentWithdrawal.objects.get(freelancer__username="freelancer")
    assert withdrawal.reason == "I want my sketches out of model training."
