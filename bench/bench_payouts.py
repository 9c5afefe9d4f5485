"""Payout throughput: 10,000 freelancers with balances, one batch end to end through Redis and Celery workers.

The batch is what the hourly beat task does: shard the balances over the minimum into Celery tasks of
PAYOUT_SHARD_SIZE freelancers, each making its shard's payouts in one transaction of bulk writes (ledger debits
included) and one send task per rail batch; the sandbox takes each batch in one call and settles it in one task,
whose confirmations are recorded in bulk. Measured: payouts per second from the start of the gather to
the last confirmation; then exactly-once is checked (one provider transfer per payout, none twice), the ledger is
reconciled and every entry is checked to balance.

Needs PostgreSQL and Redis: DATABASE_URL/REDIS_URL, or local servers, where it makes (and drops) a database of
its own and uses Redis database 7.
"""

from __future__ import annotations

import argparse
import os
import platform as stdlib_platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]

from bench._support import bench_environment  # noqa: E402


def prepare(freelancers: int) -> None:
    import django
    from django.core.management import call_command

    django.setup()
    from django.contrib.auth.hashers import make_password

    from annotations.models import LedgerEntry, Posting, User

    call_command("migrate", verbosity=0)
    password = make_password(None)
    users = User.objects.bulk_create(
        [User(username=f"bench-{n}", role="freelancer", password=password) for n in range(freelancers)],
        batch_size=2000,
    )
    entries = LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(kind="earning", idempotency_key=f"bench-earning-{u.pk}", memo="bench", freelancer=u)
            for u in users
        ],
        batch_size=2000,
    )
    postings = []
    for n, (u, e) in enumerate(zip(users, entries, strict=True)):
        cents = 1000 + (n * 37) % 40_000
        cents += 1 if cents % 100 == 13 else 0  # the sandbox refuses .13: keep every payout a success here
        postings += [
            Posting(entry=e, account="project:0:funding", amount_minor=-cents, currency="USD"),
            Posting(entry=e, account=f"freelancer:{u.pk}:payable", amount_minor=cents, currency="USD"),
        ]
    Posting.objects.bulk_create(postings, batch_size=5000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--freelancers", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 1, help="worker processes")
    parser.add_argument("--in-process", action="store_true", help="gather in this process instead of shard tasks")
    args = parser.parse_args()

    import redis

    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/7")
    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    os.environ.update({"SANDBOX_SETTLE_SECONDS": "0", "LOG_LEVEL": "WARNING"})
    with bench_environment():
        run_benchmark(args)


def run_benchmark(args: argparse.Namespace) -> None:
    worker = None
    try:
        prepare(args.freelancers)
        from django.db import connection

        from annotations.models import LedgerEntry, Payout, SandboxTransfer
        from annotations.services.payouts import payouts_gather, payouts_gather_sharded, reconcile

        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "atelier",
                "worker",
                "--concurrency",
                str(args.concurrency),
                "--loglevel",
                "WARNING",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}"},
        )
        time.sleep(3)  # the worker connects to the broker
        start = time.perf_counter()
        if args.in_process:
            requested = payouts_gather(minimum_minor=1)
        else:  # as beat runs it: shard tasks of PAYOUT_SHARD_SIZE freelancers for the workers
            shards = payouts_gather_sharded(minimum_minor=1)
            while Payout.objects.count() < args.freelancers:
                time.sleep(0.2)
            requested = Payout.objects.count()
            print(f"shards: {shards}")
        gathered = time.perf_counter() - start
        while Payout.objects.filter(state__in=["requested", "sent"]).exists():
            time.sleep(0.2)
        elapsed = time.perf_counter() - start
        payouts = Payout.objects.count()
        transfers = SandboxTransfer.objects.count()
        distinct = SandboxTransfer.objects.values("idempotency_key").distinct().count()
        confirmed = Payout.objects.filter(state="confirmed").count()
        unbalanced = sum(
            1
            for e in LedgerEntry.objects.prefetch_related("postings").iterator(chunk_size=2000)
            if sum(p.amount_minor for p in e.postings.all()) != 0
        )
        problems = reconcile()
        print(f"machine: {stdlib_platform.node()} {os.cpu_count()} cores, Python {stdlib_platform.python_version()}")
        print(f"database: {connection.vendor}; broker: Redis; worker: prefork x {args.concurrency}; sandbox provider")
        print(f"freelancers: {args.freelancers}; payouts requested: {requested}; gather took {gathered:.1f} s")
        print(f"end to end: {elapsed:.1f} s, {payouts / elapsed:.1f} payouts/s (gather, send, confirm)")
        print(
            f"exactly once: {transfers} provider transfers for {payouts} payouts, {distinct} distinct keys; "
            f"{confirmed} confirmed"
        )
        print(f"ledger: {unbalanced} unbalanced entries; reconciliation differences: {len(problems)}")
        if transfers != payouts or distinct != payouts or confirmed != payouts or unbalanced or problems:
            raise SystemExit("exactly-once or reconciliation FAILED")
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=60)


if __name__ == "__main__":
    main()
