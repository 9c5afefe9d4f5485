"""Autosave is one compare-and-set UPDATE, with no lock held between reading and writing: tabs of one freelancer
saving from the same version at the same moment (here real processes on PostgreSQL) leave exactly one save standing,
the others are told their version is stale, and nothing is half-written; pings racing saves count time once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from typing import Any

import pytest

from annotations.models import Contribution
from annotations.services.work import contribution_claim_next
from tests.conftest import ROOT, worker_database_url
from tests.factories import UserFactory, published_project

TABS = 12


def race(username: str, contribution_id: int, whats: list[str]) -> list[dict[str, Any]]:
    env = {**os.environ, "DATABASE_URL": worker_database_url(), "REDIS_URL": "", "S3_BUCKET": ""}
    start_at = time.time() + 8  # time for every process to import Django before the race starts
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.save_once", username, str(contribution_id), str(start_at), what],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for what in whats
    ]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=180)
        assert p.returncode == 0, err[-2000:]
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


@pytest.mark.django_db(transaction=True)
def test_tabs_saving_from_one_version_at_once_leave_exactly_one_save(org: Any) -> None:
    freelancer: Any = UserFactory.create(role="freelancer")
    c = contribution_claim_next(actor=freelancer, project=published_project(items=2, organization=org))
    results = race(freelancer.username, c.pk, [f"save:{c.version}:Tab {n} says so." for n in range(TABS)])

    assert not [r for r in results if "error" in r]
    saved = [r for r in results if "saved" in r]
    assert len(saved) == 1 and saved[0]["saved"] == c.version + 1
    assert [r["refused"] for r in results if "refused" in r] == ["stale_version"] * (TABS - 1)
    c.refresh_from_db()
    assert c.version == saved[0]["saved"] and c.intent == saved[0]["text"]  # the winner's work, whole
    assert [n["body"] for n in c.notes] == [saved[0]["text"]]


@pytest.mark.django_db(transaction=True)
def test_pings_racing_a_save_count_the_time_once_and_the_save_stands(org: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    freelancer: Any = UserFactory.create(role="freelancer")
    c = contribution_claim_next(actor=freelancer, project=published_project(items=2, organization=org))
    # The last sign of activity was 30 s before the processes start: whoever counts first adds the time since (the
    # 30 s and the start-up); nobody may add it again.
    assert c.last_activity_at is not None
    before = c.last_activity_at - timedelta(seconds=30)
    Contribution.objects.filter(pk=c.pk).update(last_activity_at=before, active_seconds=0)
    results = race(freelancer.username, c.pk, ["ping"] * (TABS - 1) + [f"save:{c.version}:The save that stands."])

    assert not [r for r in results if "error" in r]
    assert [r for r in results if "saved" in r] == [{"saved": c.version + 1, "text": "The save that stands."}]
    c.refresh_from_db()
    assert c.intent == "The save that stands."
    elapsed = (timezone.now() - before).total_seconds()
    assert 30 <= c.active_seconds <= elapsed  # the time since `before` counted once, not once a tab (12 times)
