"""A dataset version built by real Celery workers over Redis, PostgreSQL and the S3 server: the shards fan out over
two workers, one of them is killed with SIGKILL mid-build, and the build still ends with every shard written once
and every record in place."""

from __future__ import annotations

import signal
import time
from datetime import timedelta
from typing import Any

import pytest

from annotations.models import DatasetShard, DatasetVersion
from annotations.providers.storage import object_storage
from annotations.services.datasets import DatasetFields, dataset_builds_sweep, dataset_create, version_build
from tests.conftest import start_worker, worker_database_url
from tests.datasets_support import RUBRIC, SPEC, approved_work, with_media_bytes
from tests.factories import published_project

RECORDS = 24


@pytest.mark.django_db(transaction=True)
def test_shards_fan_out_over_workers_and_survive_a_kill(
    redis_url: str, s3_storage: str, settings: Any, admin: Any, reviewer: Any, org: Any
) -> None:
    project = with_media_bytes(
        published_project(
            items=RECORDS, organization=org, output_spec=SPEC, rubric=RUBRIC, generative_tools_allowed=True
        )
    )
    for n in range(RECORDS):
        approved_work(project, reviewer, n)
    dataset = dataset_create(
        actor=admin,
        fields=DatasetFields(
            name="Fan-out", project_ids=[project.pk], formats=["jsonl", "parquet", "webdataset"], shard_size=2
        ),
    )
    env = {
        "REDIS_URL": redis_url,
        "DATABASE_URL": worker_database_url(),
        "SECRET_KEY": settings.SECRET_KEY,
        "S3_BUCKET": s3_storage,
        "S3_ENDPOINT_URL": settings.S3_ENDPOINT_URL,
        "S3_ACCESS_KEY_ID": "testing",
        "S3_SECRET_ACCESS_KEY": "testing",
    }
    workers = [start_worker(env), start_worker(env)]
    try:
        version = version_build(actor=admin, dataset=dataset)  # the snapshot task goes to Redis on commit
        deadline = time.monotonic() + 60
        while DatasetShard.objects.filter(version=version, state="done").count() < 4:
            assert time.monotonic() < deadline, "no shard was written"
            time.sleep(0.1)
        workers[0].send_signal(signal.SIGKILL)  # mid-build: shards are still pending
        workers[0].wait(timeout=30)
        assert DatasetShard.objects.filter(version=version, state="done").count() < 36, "the kill came too late"
        workers[0] = start_worker(env)
        deadline = time.monotonic() + 180
        while DatasetVersion.objects.get(pk=version.pk).state != "built":
            assert time.monotonic() < deadline, "the build did not finish"
            dataset_builds_sweep(older_than=timedelta(seconds=5))  # what beat does for a task lost with a worker
            time.sleep(1)
    finally:
        for w in workers:
            w.terminate()
            w.wait(timeout=30)
    version.refresh_from_db()
    shards = list(DatasetShard.objects.filter(version=version))
    assert (version.record_count, version.shards_total, version.shards_done) == (RECORDS, 36, 36)
    assert all(s.state == "done" and s.record_count == 2 for s in shards)
    assert sum(s.record_count for s in shards if s.format == "jsonl") == RECORDS
    storage = object_storage()
    for s in shards:
        assert storage.size_of(s.storage_key) == s.size_bytes
    assert version.card["records"] == RECORDS
