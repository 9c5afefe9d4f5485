"""Claim throughput over HTTP: 32 concurrent freelancers press "Start next task" against gunicorn and PostgreSQL.

Each client logs in with a session, then loops: claim (timed) and give the task back (not timed), so the pool
never runs dry and every claim is a real one (a freelancer never gets an item twice, so each has a fresh task to
take every time). Baseline: the same clients on `GET /healthz` (database, broker and storage checks) in the same
run. The figures are claims per second, p50/p99 latency, and the ratio claim/healthz throughput.

Needs PostgreSQL: DATABASE_URL, or a local server at postgres://postgres@127.0.0.1:5432 where it makes (and
drops) a database of its own.
"""

from __future__ import annotations

import argparse
import os
import platform as stdlib_platform
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]

from bench._support import bench_environment, image_items  # noqa: E402

PASSWORD = "bench-password-1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(clients: int, tasks: int) -> tuple[int, list[str]]:
    """A published project of `tasks` tasks with two replicas each, and one freelancer per client."""
    import django
    from django.core.management import call_command

    django.setup()
    from allauth.account.models import EmailAddress
    from django.utils import timezone

    from annotations.domain.output_spec import default_spec
    from annotations.models import FreelancerProfile, Organization, Project, User

    call_command("migrate", verbosity=0)
    org = Organization.objects.create(name="Bench", slug=f"bench-{uuid.uuid4().hex[:6]}")
    admin = User.objects.create_user(username=f"admin-{org.slug}", role="admin", organization=org)
    project = Project.objects.create(
        organization=org,
        created_by=admin,
        title="Claim benchmark",
        status="published",
        modalities=["image"],
        output_spec=default_spec().to_data(),
        pay_amount_minor=600,
        pay_currency="USD",
        estimated_minutes=15,
        replicas_per_item=2,
    )
    image_items(project, tasks)
    names = []
    for n in range(clients):
        user = User(username=f"fl-{org.slug}-{n}", email=f"fl-{org.slug}-{n}@bench.test", role="freelancer")
        user.set_password(PASSWORD)
        user.save()
        # allauth asks for a verified address before a login.
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        # The marketplace opens once onboarding is done.
        FreelancerProfile.objects.create(user=user, onboarded_at=timezone.now())
        names.append(user.username)
    return project.pk, names


def session_for(base: str, username: str) -> requests.Session:
    s = requests.Session()
    s.get(f"{base}/api/v1/auth/csrf", timeout=30)
    token = str(s.cookies.get("csrftoken") or "")
    resp = s.post(
        f"{base}/_allauth/browser/v1/auth/login",  # allauth's headless login, as the browser app signs in
        json={"username": username, "password": PASSWORD},
        headers={"X-CSRFToken": token},
        timeout=30,
    )
    resp.raise_for_status()
    s.headers["X-CSRFToken"] = str(s.cookies.get("csrftoken") or token)
    return s


def run(
    sessions: list[requests.Session], step: Callable[[requests.Session], float | None], per_client: int
) -> tuple[float, list[float], int]:
    """Every client does `per_client` steps at once; returns (seconds, latencies, errors)."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    barrier = threading.Barrier(len(sessions) + 1)

    def client(s: requests.Session) -> None:
        mine: list[float] = []
        barrier.wait()
        for _ in range(per_client):
            took = step(s)
            if took is None:
                with lock:
                    errors[0] += 1
            else:
                mine.append(took)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(s,)) for s in sessions]
    for t in threads:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    return time.perf_counter() - start, latencies, errors[0]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--claims", type=int, default=40, help="claims per client")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers")
    args = parser.parse_args()

    env = {
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + uuid.uuid4().hex * 2,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "REDIS_URL": "",
        "ACCOUNT_RATE_LIMIT_LOGIN": "1000000/m/ip",  # every client logs in from this one address
        "LOG_LEVEL": "WARNING",
        # Plain HTTP on loopback: no TLS redirect, cookies over http.
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "DJANGO_SETTINGS_MODULE": "atelier.settings",
    }
    with bench_environment():
        os.environ.update(env)
        run_benchmark(args)


def run_benchmark(args: argparse.Namespace) -> None:
    server = None
    try:
        project_id, usernames = prepare(args.clients, tasks=args.claims * 2)
        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "atelier.wsgi",
                "--workers",
                str(args.workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}"},
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        sessions = [session_for(base, u) for u in usernames]

        def healthz(s: requests.Session) -> float | None:
            t = time.perf_counter()
            ok = s.get(f"{base}/healthz", timeout=60).status_code == 200
            return time.perf_counter() - t if ok else None

        def claim(s: requests.Session) -> float | None:
            t = time.perf_counter()
            resp = s.post(f"{base}/api/v1/projects/{project_id}/claim", timeout=60)
            took = time.perf_counter() - t
            if resp.status_code != 201:
                print("claim failed:", resp.status_code, resp.text[:200], file=sys.stderr)
                return None
            s.post(f"{base}/api/v1/contributions/{resp.json()['id']}/return", timeout=60).raise_for_status()
            return took

        run(sessions, healthz, 5)  # warm up every worker
        h_time, h_lat, h_err = run(sessions, healthz, args.claims)
        c_time, c_lat, c_err = run(sessions, claim, args.claims)
        h_rate, c_rate = len(h_lat) / h_time, len(c_lat) / c_time
        print(f"machine: {stdlib_platform.node()} {os.cpu_count()} cores, Python {stdlib_platform.python_version()}")
        print(f"server: gunicorn {args.workers} sync workers, PostgreSQL; {args.clients} concurrent clients")
        print(
            f"healthz: {h_rate:7.1f} req/s   p50 {pct(h_lat, 50):6.1f} ms   p99 {pct(h_lat, 99):6.1f} ms   "
            f"errors {h_err}"
        )
        print(
            f"claim:   {c_rate:7.1f} claims/s p50 {pct(c_lat, 50):6.1f} ms   p99 {pct(c_lat, 99):6.1f} ms   "
            f"errors {c_err}  ({len(c_lat)} claims)"
        )
        print(f"ratio claim/healthz throughput: {c_rate / h_rate:.2f}")
        print(f"median healthz latency {statistics.median(h_lat) * 1000:.1f} ms, claims counted {len(c_lat)}")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
