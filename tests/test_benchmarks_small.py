"""Every benchmark in bench/ in its small form, as a subprocess, through the same script as the recorded run: so
none can rot unnoticed again (the export benchmark once broke on a later migration and nobody saw). The load
scenario's small form is tests/test_load_smoke.py. Each run makes and drops a PostgreSQL database of its own on
the local server; the figures are not checked, only that the benchmark runs to its report and its own checks
pass."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.conftest import need

ROOT = Path(__file__).resolve().parents[1]
SMALL = {  # benchmark: the arguments of its small form (all six take about a minute on an idle 2-core machine)
    "bench_claims.py": ["--clients", "2", "--claims", "3", "--workers", "1"],
    "bench_collapse.py": ["--sizes", "200,800"],
    "bench_export.py": ["--records", "400", "--small", "100", "--sign", "5"],
    "bench_ingestion.py": ["--files", "10"],
    "bench_payouts.py": ["--freelancers", "10", "--concurrency", "1"],
    "bench_requests.py": ["--iterations", "10", "--http-iterations", "5"],
}
ELSEWHERE = {"bench_load.py": "tests/test_load_smoke.py"}


def _postgres() -> None:
    import psycopg
    from django.conf import settings

    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        need("PostgreSQL", "the benchmarks run on PostgreSQL; the embedded run (SQLite) leaves them to the other run")

    try:
        psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=3).close()
    except psycopg.OperationalError as e:
        need("PostgreSQL", f"the benchmarks make a database of their own on the local server ({e})")


def run(script: str, *extra: str, redis: str | None = None, database: bool = True) -> subprocess.CompletedProcess[str]:
    if database:
        _postgres()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}  # each makes and drops a database of its own
    if redis is not None:
        env["REDIS_URL"] = redis
    done = subprocess.run(
        [sys.executable, f"bench/{script}", *SMALL[script], *extra],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


def test_every_benchmark_has_a_small_form() -> None:
    scripts = {p.name for p in (ROOT / "bench").glob("bench_*.py")}
    assert scripts == set(SMALL) | set(ELSEWHERE)


def test_collapse_benchmark(tmp_path: Path) -> None:
    out = tmp_path / "collapse.json"
    run("bench_collapse.py", "--json", str(out), database=False)
    report: dict[str, Any] = json.loads(out.read_text())
    assert report["miscounted"] == [] and report["ratio"] is not None
    assert {(r["records"], r["duplicates"]) for r in report["rows"]} == {
        (200, 0.99),
        (800, 0.99),
        (200, 0.0),
        (800, 0.0),
    }


def test_export_benchmark_builds_records_as_approval_leaves_them(tmp_path: Path) -> None:
    out = tmp_path / "export.json"
    run("bench_export.py", "--json", str(out))
    report: dict[str, Any] = json.loads(out.read_text())
    builds = {(fmt, name): r for fmt, name, r in report["builds"]}
    assert set(builds) == {("jsonl", "small"), ("jsonl", "full"), ("parquet", "small"), ("parquet", "full")}
    assert [r["records"] for r in builds.values()] == [100, 400, 100, 400]
    assert all(r["signed_during_build"] == 0 for r in builds.values())  # approval signed them: the build did not
    assert report["signing"]["manifests"] == 5 and report["signing"]["signature_us"] > 0


def test_ingestion_benchmark() -> None:
    assert "files" in run("bench_ingestion.py").stdout.lower()


def test_claims_benchmark() -> None:
    assert "claims" in run("bench_claims.py").stdout.lower()


def test_payouts_benchmark(redis_url: str) -> None:
    own = redis_url.rsplit("/", 1)[0] + "/12"  # a Redis database of its own: the script empties it
    assert "payouts" in run("bench_payouts.py", redis=own).stdout.lower()


def test_requests_benchmark(redis_url: str, tmp_path: Path) -> None:
    own = redis_url.rsplit("/", 1)[0] + "/10"  # a Redis database of its own: the script empties it
    out = tmp_path / "requests.json"
    run("bench_requests.py", "--json", str(out), redis=own)
    report: dict[str, Any] = json.loads(out.read_text())
    rows = {r["endpoint"]: r for r in report["rows"]}
    assert rows["GET healthz"]["in_process_ratio"] == 1.0 and len(rows) == 15
    assert rows["PUT autosave"]["queries"] <= 4  # the budget the tests hold too (tests/api/test_query_budgets.py)
