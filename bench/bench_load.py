"""Load scenario: simulated freelancers working end to end (claim, autosave every few seconds, a text draft and a
file draft posted straight to S3, submit) while reviewers approve and an export builds, against gunicorn, a
Celery worker, PostgreSQL, Redis and the S3 API server (moto), all on this machine. Locust drives the people
(bench/load/locustfile.py).

Reported: requests per second, p50/p95/p99 per endpoint, errors (must be 0), lost autosaves (must be 0: every
autosave answered 200 must be in the contribution when it is read back before submitting, and in the database
afterwards), what got done (submitted, approved, dataset versions built), and where the machine's CPU went while
the people worked: CPU seconds of the web processes, the worker, PostgreSQL, Redis, the S3 server and Locust
itself, against what the cores could give in that time.

    python bench/bench_load.py                          # 200 freelancers for 5 minutes (the recorded run)
    python bench/bench_load.py --users 20 --duration 20  # the short form CI runs (tests/test_load_smoke.py)

All simulated people come from one address, so the per-address limit for anonymous calls (login) is raised for
the run; the per-user limits stay as configured. Needs PostgreSQL and Redis (REDIS_URL, default a database of its
own on the local server); starts the rest itself.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import platform as stdlib_platform
import resource
import signal
import socket
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]

from bench._support import bench_environment  # noqa: E402

PASSWORD = "load-test-password"
EXIT_FAILED = 3


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, seconds: float = 60) -> None:
    import requests

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{url} did not come up")


def seed(users: int, reviewers: int, items: int, folder: Path) -> Path:
    """The world: an organization with an admin and reviewers, `users` freelancers, a published project of `items`
    items (one slot each) and a dataset over it. Writes the accounts for the locustfile."""
    import django
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    django.setup()
    from allauth.account.models import EmailAddress
    from django.utils import timezone

    from annotations.domain.datasets import clean_filters
    from annotations.domain.output_spec import default_spec
    from annotations.models import Dataset, FreelancerProfile, Item, MediaFile, Organization, Project, User
    from annotations.providers.storage import object_storage
    from annotations.services.tasks import tasks_generate

    call_command("migrate", verbosity=0)
    hashed = make_password(PASSWORD)
    org = Organization.objects.create(name="Load", slug=f"load-{uuid.uuid4().hex[:6]}")
    admin = User.objects.create(
        username="load-admin", email="load-admin@bench.test", role="admin", organization=org, password=hashed
    )
    staff = [
        User(
            username=f"load-reviewer-{n}",
            email=f"load-reviewer-{n}@bench.test",
            role="reviewer",
            organization=org,
            password=hashed,
        )
        for n in range(reviewers)
    ]
    crowd = [
        User(
            username=f"load-freelancer-{n}", email=f"load-freelancer-{n}@bench.test", role="freelancer", password=hashed
        )
        for n in range(users)
    ]
    User.objects.bulk_create(staff + crowd)
    # allauth asks for a verified address before a login.
    EmailAddress.objects.bulk_create(
        EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in [admin, *staff, *crowd]
    )
    # The marketplace opens once onboarding is done.
    FreelancerProfile.objects.bulk_create(FreelancerProfile(user=u, onboarded_at=timezone.now()) for u in crowd)
    project = Project.objects.create(
        organization=org,
        created_by=admin,
        title="Load scenario",
        status="published",
        modalities=["image"],
        output_spec=default_spec().to_data(),
        pay_amount_minor=600,
        pay_currency="USD",
        estimated_minutes=15,
        replicas_per_item=1,
    )
    made = Item.objects.bulk_create(Item(project=project, external_id=f"item-{n:05d}") for n in range(items))
    # One reference text per item, really in the bucket (the workspace links it).
    texts = {item.pk: f"Reference {item.external_id}: a harbour at dusk.".encode() for item in made}
    storage = object_storage()
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda pk: storage.put(f"load/{pk}.txt", texts[pk], "text/plain"), texts))
    MediaFile.objects.bulk_create(
        MediaFile(
            item_id=pk, project=project, name="reference.txt", storage_key=f"load/{pk}.txt", kind="text",
            content_type="text/plain", size_bytes=len(data), sha256=hashlib.sha256(data).hexdigest(), status="ready",
        )
        for pk, data in texts.items()
    )  # fmt: skip
    tasks_generate(project=project)
    dataset = Dataset.objects.create(
        organization=org,
        name="Load export",
        filters=clean_filters({}),
        formats=["jsonl"],
        shard_size=1000,
        compression="gzip",
        created_by=admin,
    )
    dataset.projects.set([project])
    accounts = {
        "project": project.pk,
        "dataset": dataset.pk,
        "admin": {"username": admin.username, "password": PASSWORD},
        "reviewers": [{"username": u.username, "password": PASSWORD} for u in staff],
        "freelancers": [{"username": u.username, "password": PASSWORD} for u in crowd],
    }
    path = folder / "accounts.json"
    path.write_text(json.dumps(accounts))
    from django.db import connections

    connections.close_all()
    return path


def database_check(project_id: int) -> dict[str, int]:
    """After the run, from the database: contributions by state and autosaves that left no trace."""
    from django.db.models import Count

    from annotations.models import Contribution, DatasetVersion

    states = dict(Contribution.objects.filter(project_id=project_id).values_list("state").annotate(n=Count("id")))
    return {
        **{f"contributions_{k}": int(v) for k, v in states.items()},
        "versions_built": DatasetVersion.objects.filter(state="built").count(),
    }


def cpu_seconds(pids: dict[str, list[int]]) -> dict[str, float]:
    """CPU seconds (user and system) used so far by each named group of process trees: the live processes, and the
    children each has already reaped (a PostgreSQL backend whose connection closed, a recycled worker)."""
    used: dict[str, float] = {}
    for group, roots in pids.items():
        total = 0.0
        for pid in roots:
            try:
                root = psutil.Process(pid)
                for p in [root, *root.children(recursive=True)]:
                    t = p.cpu_times()
                    total += t.user + t.system + t.children_user + t.children_system
            except psutil.Error:
                continue
        used[group] = total
    return used


def service_pids() -> dict[str, list[int]]:
    """The top processes of the machine's PostgreSQL and Redis (started outside the benchmark): PostgreSQL's
    postmaster, whose children are the backends, and the Redis server."""
    found: dict[str, list[int]] = {"PostgreSQL": [], "Redis": []}
    for p in psutil.process_iter(["name", "ppid"]):
        name = p.info["name"] or ""
        if name.startswith("postgres"):
            try:
                parent = psutil.Process(p.info["ppid"]).name()
            except psutil.Error:
                parent = ""
            if not parent.startswith("postgres"):
                found["PostgreSQL"].append(p.pid)
        elif name.startswith("redis-server"):
            found["Redis"].append(p.pid)
    return found


def cpu_share(before: dict[str, float], after: dict[str, float], seconds: float) -> dict[str, Any]:
    """Each group's CPU seconds over the run and its share of what the machine's cores could give in that time."""
    capacity = seconds * (os.cpu_count() or 1)
    groups = {k: round(after[k] - before.get(k, 0.0), 1) for k in after}
    return {"seconds": round(seconds), "capacity_s": round(capacity), "groups": groups}


def read_stats(prefix: Path) -> list[dict[str, str]]:
    with Path(f"{prefix}_stats.csv").open() as f:
        return list(csv.DictReader(f))


def report(stats: list[dict[str, str]], counts: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    rows = []
    total: dict[str, str] = {}
    for row in stats:
        if row["Name"] == "Aggregated":
            total = row
            continue
        rows.append(
            {
                "endpoint": f"{row['Type']} {row['Name']}",
                "requests": int(row["Request Count"]),
                "errors": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                "p50_ms": float(row["50%"]),
                "p95_ms": float(row["95%"]),
                "p99_ms": float(row["99%"]),
            }
        )
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "machine": f"{stdlib_platform.machine()}, {os.cpu_count()} cores, Python {stdlib_platform.python_version()}",
        "users": args.users,
        "duration_s": args.duration,
        "requests": int(total.get("Request Count", 0)),
        "errors": int(total.get("Failure Count", 0)),
        "rps": float(total.get("Requests/s", 0)),
        "p50_ms": float(total.get("50%", 0)),
        "p95_ms": float(total.get("95%", 0)),
        "p99_ms": float(total.get("99%", 0)),
        "endpoints": rows,
        **counts,
    }


def markdown(r: dict[str, Any]) -> str:
    lines = [
        f"{r['users']} freelancers (+ reviewers, 1 exporter), {r['duration_s']} s, {r['date']}, {r['machine']}:",
        f"{r['requests']:,} requests, {r['rps']:.1f}/s, errors {r['errors']}, lost autosaves {r['lost_autosaves']}, "
        f"autosaves {r['autosaves']:,}, submitted {r['submitted']:,}, approved {r['approved']:,}, "
        f"versions built {r['versions_built']}.",
        "",
        "| endpoint | requests | errors | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for e in sorted(r["endpoints"], key=lambda e: -e["requests"]):
        lines.append(
            f"| {e['endpoint']} | {e['requests']:,} | {e['errors']} | {e['p50_ms']:.0f} | {e['p95_ms']:.0f} | "
            f"{e['p99_ms']:.0f} |"
        )
    steady = r.get("steady") or {}
    if steady:
        lines += [
            "",
            "Steady state (after everyone has started; the ramp's logins left out):",
            "",
            "| endpoint | requests | p50 ms | p95 ms | p99 ms |",
            "|---|---:|---:|---:|---:|",
        ]
        for name, e in sorted(steady.items(), key=lambda kv: -kv[1]["requests"]):
            lines.append(f"| {name} | {e['requests']:,} | {e['p50_ms']:.0f} | {e['p95_ms']:.0f} | {e['p99_ms']:.0f} |")
    cpu = r.get("cpu")
    if cpu:
        lines += [
            "",
            f"CPU while the people worked ({cpu['seconds']} s on {os.cpu_count()} cores: {cpu['capacity_s']} CPU "
            f"seconds; idle {cpu['idle_s']}):",
            "",
            "| processes | CPU s | share of the cores |",
            "|---|---:|---:|",
        ]
        for name, used in sorted(cpu["groups"].items(), key=lambda kv: -kv[1]):
            lines.append(f"| {name} | {used:,.1f} | {used / cpu['capacity_s']:.0%} |")
        other = cpu["capacity_s"] - cpu["idle_s"] - sum(cpu["groups"].values())
        lines.append(f"| the rest (kernel, I/O wait, this script, other processes) | {other:,.1f} | "
                     f"{other / cpu['capacity_s']:.0%} |")  # fmt: skip
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--duration", type=int, default=300, help="seconds of load after everyone has started")
    parser.add_argument("--spawn-rate", type=float, default=20)
    parser.add_argument("--reviewers", type=int, default=5)
    parser.add_argument("--items", type=int, default=0, help="default: enough for everyone")
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--json", type=Path, help="also write the report here")
    args = parser.parse_args()
    items = args.items or max(200, args.users * args.duration // 8)
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/13")
    procs: list[subprocess.Popen[bytes]] = []
    with bench_environment() as folder:
        try:
            s3_port, web_port = free_port(), free_port()
            procs.append(
                subprocess.Popen(
                    [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(s3_port)],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            s3 = f"http://127.0.0.1:{s3_port}"
            wait_for(s3)
            import boto3

            bucket = f"load-{uuid.uuid4().hex[:8]}"
            boto3.client(
                "s3", endpoint_url=s3, aws_access_key_id="testing", aws_secret_access_key="testing",
                region_name="us-east-1",
            ).create_bucket(Bucket=bucket)  # fmt: skip
            import redis

            redis.Redis.from_url(redis_url).flushdb()
            env = {
                **os.environ,
                "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}",
                "DEBUG": "false",
                "SECRET_KEY": uuid.uuid4().hex * 2,
                "SECURE_SSL_REDIRECT": "false",
                "SESSION_COOKIE_SECURE": "false",
                "CSRF_COOKIE_SECURE": "false",
                "SECURE_HSTS_SECONDS": "0",
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "REDIS_URL": redis_url,
                "S3_BUCKET": bucket,
                "S3_ENDPOINT_URL": s3,
                "S3_ACCESS_KEY_ID": "testing",
                "S3_SECRET_ACCESS_KEY": "testing",
                "API_ANON_RATE_LIMIT": "1000000/minute",  # every simulated person shares this one address
                "ACCOUNT_RATE_LIMIT_LOGIN": "1000000/m/ip",  # and logs in from it
            }
            os.environ.update({k: env[k] for k in ("REDIS_URL", "S3_BUCKET", "S3_ENDPOINT_URL", "SECRET_KEY")})
            os.environ.update(S3_ACCESS_KEY_ID="testing", S3_SECRET_ACCESS_KEY="testing")
            accounts = seed(args.users, args.reviewers, items, folder)
            project_id = json.loads(accounts.read_text())["project"]
            web = [sys.executable, "-m", "gunicorn", "atelier.wsgi", "--workers", str(args.web_workers),
                   "--bind", f"127.0.0.1:{web_port}", "--log-level", "warning", "--timeout", "60"]  # fmt: skip
            worker = [sys.executable, "-m", "celery", "-A", "atelier", "worker", "--loglevel", "WARNING",
                      "--concurrency", "2", "--without-gossip", "--without-mingle"]  # fmt: skip
            procs.append(subprocess.Popen(web, cwd=ROOT, env=env))
            procs.append(subprocess.Popen(worker, cwd=ROOT, env=env))
            base = f"http://127.0.0.1:{web_port}"
            wait_for(f"{base}/healthz")
            prefix = folder / "locust"
            counts_path = folder / "counts.json"
            ramp = int(args.users / args.spawn_rate) + 1
            started = time.monotonic()
            locust = [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "load" / "locustfile.py"),
                      "--headless", "--host", base, "-u", str(args.users + args.reviewers + 1),
                      "-r", str(args.spawn_rate), "-t", f"{args.duration + ramp}s", "--csv", str(prefix),
                      "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "10"]  # fmt: skip
            people = {
                "LOAD_USERS_FILE": str(accounts),
                "LOAD_REPORT": str(counts_path),
                "LOAD_REVIEWERS": str(args.reviewers),
            }
            # Each group is a process tree: PostgreSQL's backends are the postmaster's children, counted live or,
            # once their connection closed, through the postmaster's reaped children. Locust is this process's child.
            groups = {"web (gunicorn)": [procs[1].pid], "worker (Celery)": [procs[2].pid], "S3 server": [procs[0].pid]}
            cpu_before = {**cpu_seconds(groups), **cpu_seconds(service_pids())}
            machine_before = psutil.cpu_times()
            children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run(locust, cwd=ROOT, env={**env, **people}, check=False)
            elapsed = time.monotonic() - started
            children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
            machine_after = psutil.cpu_times()
            cpu_after = {**cpu_seconds(groups), **cpu_seconds(service_pids())}
            cpu_after["load generator (Locust)"] = (children_after.ru_utime + children_after.ru_stime) - (
                children_before.ru_utime + children_before.ru_stime
            )
            cpu = cpu_share(cpu_before, cpu_after, elapsed)
            cpu["idle_s"] = round(machine_after.idle - machine_before.idle, 1)
            counts = json.loads(counts_path.read_text()) if counts_path.exists() else {"lost_autosaves": -1}
            import django

            django.setup()
            counts.update(database_check(project_id))
            result = report(read_stats(prefix), counts, args)
            result["wall_s"] = round(elapsed)
            result["cpu"] = cpu
        finally:
            for p in reversed(procs):
                p.send_signal(signal.SIGTERM)
            for p in procs:
                try:
                    p.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    p.kill()
    print(markdown(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    if result["errors"] or result["lost_autosaves"] or not result["autosaves"]:
        sys.exit(EXIT_FAILED)


if __name__ == "__main__":
    main()
