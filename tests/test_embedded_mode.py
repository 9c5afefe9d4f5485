"""The suite on a fresh machine (nothing configured: SQLite, no Redis) with a PostgreSQL server merely running on
it: what needs PostgreSQL as the test database skips (and fails under CI); under CI a skipped test fails the run.
Each case runs pytest in a process of its own with the environment it is about."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

DATABASE_FAULTS = [
    "tests/test_faults.py::test_a_request_caught_by_a_database_restart_answers_503_changes_nothing_and_works_after",
    "tests/test_faults.py::test_a_dataset_build_caught_by_a_database_restart_finishes_by_itself",
]
EMBEDDED_UNSET = ("CI", "DATABASE_URL", "REDIS_URL", "S3_BUCKET", "S3_ENDPOINT_URL")


def _pytest(*args: str, ci: bool, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in EMBEDDED_UNSET and not k.startswith("PYTEST_")}
    env.update(extra)
    if ci:
        env["CI"] = "true"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


PROBE = "tests/test_embedded_mode.py::test_skip_probe"


def test_database_fault_tests_skip_when_the_test_database_is_not_postgresql() -> None:
    # a PostgreSQL server may well be running here: it is the test database that counts
    run = _pytest(*DATABASE_FAULTS, PROBE, ci=False, SKIP_PROBE="1")
    assert run.returncode == 0, run.stdout[-3000:]
    assert "3 skipped" in run.stdout and "the outage is made on the test database, and it is sqlite" in run.stdout


def test_under_ci_they_fail_and_any_skipped_test_fails_the_run() -> None:
    run = _pytest(*DATABASE_FAULTS, PROBE, ci=True, SKIP_PROBE="1")
    assert run.returncode == 1, run.stdout[-3000:]
    assert "PostgreSQL is not available" in run.stdout and "(CI needs every service)" in run.stdout
    assert "skipped in CI, where every test runs" in run.stdout and f"{PROBE}: " in run.stdout
    assert _pytest(PROBE, ci=True).returncode == 0  # the probe passes when it does not skip


def test_skip_probe() -> None:
    """Skips only when the tests above run it (SKIP_PROBE set); an ordinary pass otherwise."""
    if os.environ.get("SKIP_PROBE"):
        pytest.skip("a probe for the CI rule")
