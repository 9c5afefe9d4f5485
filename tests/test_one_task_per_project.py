"""One freelancer holds at most one task in progress per project, whatever they do at once: sixteen tabs (here
sixteen processes on PostgreSQL) pressing "Start next task" together all get the same contribution, and the
database refuses a second one however it is attempted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from annotations.models import Contribution
from annotations.services.work import lease_for, leases_expire
from tests.api.test_auth import error
from tests.conftest import ROOT, worker_database_url
from tests.factories import UserFactory, published_project

TABS = 16
PROJECTS = 4  # four races in a row: a race lost by luck once is still caught


@pytest.mark.django_db(transaction=True)
def test_sixteen_tabs_of_one_freelancer_get_one_task_per_project(org: Any) -> None:
    database_url = worker_database_url()
    projects = [published_project(items=TABS, organization=org) for _ in range(PROJECTS)]
    freelancer = UserFactory.create(role="freelancer")
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": "", "S3_BUCKET": ""}
    start_at = time.time() + 8  # time for every process to import Django before the race starts
    args = [str(freelancer.username), str(start_at), *(str(p.pk) for p in projects)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.claim_once", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(TABS)
    ]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=180)
        assert p.returncode == 0, err[-2000:]
        results.append(json.loads(out.strip().splitlines()[-1]))

    assert [r["errors"] for r in results] == [[]] * TABS  # nobody saw an error (no 500 behind a tab)
    held = Counter(
        Contribution.objects.filter(freelancer=freelancer, state="in_progress").values_list("project_id", flat=True)
    )
    assert held == {project.pk: 1 for project in projects}
    for project in projects:  # every tab was answered with that one contribution
        mine = Contribution.objects.get(freelancer=freelancer, project=project)
        assert {r["claimed"][str(project.pk)] for r in results} == {mine.pk}


@pytest.mark.django_db
def test_the_database_refuses_a_second_task_in_progress_in_one_project(org: Any) -> None:
    from django.db import IntegrityError, transaction

    from annotations.services.work import contribution_claim_next

    project = published_project(items=2, organization=org)
    freelancer = UserFactory.create(role="freelancer")
    first = contribution_claim_next(actor=freelancer, project=project)
    second_task = project.tasks.exclude(pk=first.task_id).get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Contribution.objects.create(project=project, task=second_task, freelancer=freelancer)
    assert contribution_claim_next(actor=freelancer, project=project) == first  # the claim answers the one held


@pytest.mark.django_db
def test_a_revision_waits_while_its_author_holds_another_task_then_the_next_claim_resumes_it(
    client_for: Any, reviewer: Any, org: Any
) -> None:
    from tests.test_review import SPEC, review, submitted

    project = published_project(items=2, replicas=1, organization=org, output_spec=SPEC)
    fc, sent_back = submitted(client_for, project)
    busy = fc.post(f"/api/v1/projects/{project.pk}/claim").json()["id"]  # meanwhile, the next task
    # when the reviewer asks for a revision of the first
    answer = review(client_for(reviewer), sent_back, "revise", "Push the contrast in panel 2.")
    # then it waits: one task in progress, the revision's slot still theirs, held for two leases
    assert answer.status_code == 200 and answer.json()["state"] == "revision"
    held = Contribution.objects.filter(project=project, state="in_progress").values_list("pk", flat=True)
    assert list(held) == [busy]
    waiting = Contribution.objects.select_related("slot").get(pk=sent_back)
    assert waiting.revisions == 1 and waiting.slot is not None
    assert waiting.slot.state == "submitted" and waiting.slot.assignee_id == waiting.freelancer_id
    assert waiting.slot.lease_expires_at is not None
    assert waiting.slot.lease_expires_at > timezone.now() + 2 * lease_for(project) - timedelta(minutes=1)
    work = {"version": waiting.version, "intent": "Edited while waiting", "notes": [], "answers": {}}
    error(fc.put(f"/api/v1/contributions/{sent_back}/work", work, format="json"), 409, "revision_waiting")
    assert fc.post(f"/api/v1/projects/{project.pk}/claim").json()["id"] == busy  # still the task in progress
    # and the marketplace tells them a revision waits there (the task page offers to start it)
    listed = {p["id"]: p for p in fc.get("/api/v1/marketplace").json()["results"]}
    assert listed[project.pk]["revisions_waiting"] == 1 and listed[project.pk]["my_contribution_id"] == busy
    # when the task in progress is given back, the next claim resumes the revision under a new lease
    assert fc.post(f"/api/v1/contributions/{busy}/return").status_code == 200
    resumed = fc.post(f"/api/v1/projects/{project.pk}/claim").json()
    assert (resumed["id"], resumed["state"]) == (sent_back, "in_progress")
    assert {p["id"]: p for p in fc.get("/api/v1/marketplace").json()["results"]}[project.pk]["revisions_waiting"] == 0
    waiting.slot.refresh_from_db()
    assert waiting.slot.state == "in_progress" and waiting.slot.lease_expires_at is not None
    assert fc.put(f"/api/v1/contributions/{sent_back}/work", work, format="json").status_code == 200


@pytest.mark.django_db
def test_a_revision_of_a_freelancer_with_nothing_in_progress_goes_straight_back(
    client_for: Any, reviewer: Any, org: Any
) -> None:
    from tests.test_review import SPEC, review, submitted

    project = published_project(items=2, replicas=1, organization=org, output_spec=SPEC)
    fc, cid = submitted(client_for, project)
    assert review(client_for(reviewer), cid, "revise", "Once more.").json()["state"] == "in_progress"
    assert fc.post(f"/api/v1/projects/{project.pk}/claim").json()["id"] == cid


@pytest.mark.django_db
def test_a_revision_left_waiting_past_two_leases_expires_and_its_slot_reopens(
    client_for: Any, reviewer: Any, org: Any
) -> None:
    from tests.test_review import SPEC, review, submitted

    project = published_project(items=2, replicas=1, organization=org, output_spec=SPEC)
    fc, sent_back = submitted(client_for, project)
    fc.post(f"/api/v1/projects/{project.pk}/claim")
    assert review(client_for(reviewer), sent_back, "revise", "Again.").json()["state"] == "revision"
    assert leases_expire(now=timezone.now() + lease_for(project) + timedelta(minutes=1)) == 1  # only the task
    assert Contribution.objects.get(pk=sent_back).state == "revision"
    assert leases_expire(now=timezone.now() + 2 * lease_for(project) + timedelta(minutes=1)) == 1
    gone = Contribution.objects.get(pk=sent_back)
    assert (gone.state, gone.slot_id) == ("expired", None)
    assert project.tasks.get(pk=gone.task_id).slots.get().state == "open"
