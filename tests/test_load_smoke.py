"""The load scenario in its short form: a few simulated freelancers for a few seconds against gunicorn, a Celery
worker, PostgreSQL, Redis and the S3 server, through the same script and locustfile as the recorded run
(bench/bench_load.py). No request may fail and no acknowledged autosave may be lost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.django_db
def test_the_short_load_scenario_runs_clean(redis_url: str, tmp_path: Path) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.fail("the load scenario runs on PostgreSQL")
    out = tmp_path / "load.json"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}  # it makes and drops a database of its own
    env["REDIS_URL"] = redis_url.rsplit("/", 1)[0] + "/14"  # a Redis database of its own: the script empties it
    done = subprocess.run(
        [sys.executable, "bench/bench_load.py", "--users", "12", "--duration", "20", "--spawn-rate", "6",
         "--web-workers", "2", "--json", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert out.exists(), done.stdout[-3000:] + done.stderr[-3000:]
    report: dict[str, Any] = json.loads(out.read_text())
    assert done.returncode == 0, (report, done.stderr[-2000:])
    assert report["errors"] == 0 and report["lost_autosaves"] == 0
    assert report["autosaves"] > 20 and report["submitted"] > 0
    endpoints = {e["endpoint"] for e in report["endpoints"]}
    assert {"PUT /contributions/{id}/work", "POST /projects/{id}/claim", "POST S3 POST"} <= endpoints
    steady = report["steady"]  # timed after everyone has started: the autosaves are there, the logins are not all
    assert steady["PUT /contributions/{id}/work"]["requests"] > 10
    assert steady["PUT /contributions/{id}/work"]["p50_ms"] <= steady["PUT /contributions/{id}/work"]["p99_ms"]
    first_claims = steady.get("POST /projects/{id}/claim (first after login)", {"requests": 0})["requests"]
    later_claims = steady.get("POST /projects/{id}/claim", {"requests": 0})["requests"]
    # Each person's first claim is timed apart from the later ones: at most one per simulated person.
    assert first_claims <= 12 + 5 + 1 and first_claims + later_claims > 0
