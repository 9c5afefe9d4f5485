"""A real Celery worker on the real broker (Redis) runs tasks sent by name."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_a_worker_runs_a_task_through_redis(redis_url: str) -> None:
    from atelier.celery import app

    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}", "REDIS_URL": redis_url}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "atelier",
            "worker",
            "--pool",
            "solo",
            "-Q",
            queue,
            "--loglevel",
            "WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        result = app.send_task("workers.ping", args=["hello"], queue=queue)
        assert result.get(timeout=60) == "pong:hello"
    finally:
        worker.terminate()
        worker.wait(timeout=30)
