"""Eight processes of one freelancer press "Take the exam" at the same moment on PostgreSQL: one attempt exists, all
eight answer it, exactly one says it made it, and nobody sees an error."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from typing import Any

import pytest

from annotations.models import ExamAttempt, Project
from annotations.services.exams import ExamFields, exam_create
from annotations.services.quality import gold_item_set
from tests.conftest import ROOT, worker_database_url
from tests.datasets_support import SPEC
from tests.factories import UserFactory, published_project

PROCESSES = 8


@pytest.mark.django_db(transaction=True)
def test_concurrent_starts_make_one_attempt(org: Any, admin: Any) -> None:
    database_url = worker_database_url()
    project = published_project(items=2, organization=org, output_spec=SPEC)
    items = list(project.items.values_list("pk", flat=True))
    for pk in items:
        gold_item_set(actor=admin, project_id=project.pk, item_id=pk, answers={"mood": "calm"})
    exam = exam_create(actor=admin, fields=ExamFields(title="Race", item_ids=items))
    Project.objects.filter(pk=project.pk).update(required_exam=exam)
    freelancer = UserFactory.create(role="freelancer")
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": "", "S3_BUCKET": ""}
    start_at = time.time() + 6
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.exam_start_once", str(freelancer.username), str(exam.pk), str(start_at)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err[-2000:]
        results.append(json.loads(out.strip().splitlines()[-1]))

    assert [r["error"] for r in results] == [None] * PROCESSES
    [attempt] = ExamAttempt.objects.filter(exam=exam, freelancer=freelancer)
    assert {r["attempt"] for r in results} == {attempt.pk}
    assert sum(1 for r in results if r["created"]) == 1
