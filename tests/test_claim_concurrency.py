"""Sixteen processes claim from one pool on PostgreSQL until it is empty: nobody shares a slot, nobody gets an item
twice, every task gets exactly its replicas, and nobody sees an error."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from typing import Any

import pytest

from annotations.models import Contribution, Slot
from tests.conftest import ROOT, worker_database_url
from tests.factories import UserFactory, published_project

PROCESSES = 16
ITEMS, REPLICAS = 30, 3


@pytest.mark.django_db(transaction=True)
def test_sixteen_processes_drain_the_pool_exactly(org: Any) -> None:
    database_url = worker_database_url()
    spec = {"version": 1, "fields": [{"key": "intent", "type": "intent", "label": "Intent", "required": True}]}
    project = published_project(items=ITEMS, replicas=REPLICAS, organization=org, output_spec=spec)
    users = [str(UserFactory.create(role="freelancer").username) for _ in range(PROCESSES)]
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": "", "S3_BUCKET": ""}
    start_at = time.time() + 8  # time for every process to import Django before the race starts
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.claimer", u, str(project.pk), str(start_at)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for u in users
    ]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=180)
        assert p.returncode == 0, err[-2000:]
        results.append(json.loads(out.strip().splitlines()[-1]))

    assert [r["errors"] for r in results] == [[]] * PROCESSES
    assert sum(r["submitted"] for r in results) == ITEMS * REPLICAS
    assert sum(1 for r in results if r["submitted"]) > 1  # the work really was shared out
    slots = Slot.objects.filter(task__project=project)
    assert set(slots.values_list("state", flat=True)) == {"submitted"}
    per_task = Counter(Contribution.objects.filter(project=project).values_list("task_id", flat=True))
    assert set(per_task.values()) == {REPLICAS} and len(per_task) == ITEMS
    pairs = list(Contribution.objects.filter(project=project).values_list("task_id", "freelancer_id"))
    assert len(pairs) == len(set(pairs))  # nobody twice on one item
    assert len(set(slots.values_list("assignee_id", "task_id"))) == ITEMS * REPLICAS
