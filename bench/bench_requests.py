"""The cost of each frequent request, against `GET /healthz` in the same run.

A freelancer's day is a few requests repeated thousands of times: the workspace autosaves every few seconds, pings
activity, reads its contribution back on focus; the marketplace and the bell are polled; reviewers page the queue
and decide; ML teams page the records of a version. Each of those endpoints is timed here, with its query count,
two ways:

- in-process: Django's test client through the whole middleware stack (session, authentication, CSRF, throttle,
  the view, the serializer), no network; `GET /healthz` (a database, broker and storage check) timed the same way
  is the baseline;
- over HTTP: one request after another against gunicorn, the same endpoints and the same baseline.

The figure for each endpoint is its median time divided by healthz's median in the same run. Endpoints that use
up work (claim, give back, submit, review decision) run on work prepared for them, untimed; only the named request
is timed. The endpoints take turns a few calls at a time, so a slow moment of the machine falls on all of them alike.

Needs PostgreSQL (DATABASE_URL, or a local server where it makes and drops a database of its own) and Redis
(REDIS_URL, default database 10 on the local server, flushed first): sessions and throttle counts live in the
cache as in production. `--iterations 10 --http-iterations 5` is the short form CI runs
(tests/test_benchmarks_small.py); `--json PATH` writes the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform as stdlib_platform
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]

from bench._support import bench_environment, image_items  # noqa: E402

CSRF = "b" * 32  # a CSRF secret the HTTP clients send as cookie and header alike


@dataclass
class Endpoint:
    name: str
    method: str
    # Before each timed request, untimed: (who, path, JSON body or None[, request headers]).
    prepare: Callable[[], tuple[Any, ...]]
    # With the response's JSON after each request (to carry a version forward, say).
    after: Callable[[Any], None] = lambda body: None
    expect: int = 200
    times: list[float] = field(default_factory=list)
    http_times: list[float] = field(default_factory=list)
    queries: int = 0


def setup_world(iterations: int) -> list[Endpoint]:
    """The work the endpoints act on, made through the services; returns the endpoints, healthz first."""
    from annotations.domain.output_spec import default_spec
    from annotations.services.datasets import DatasetFields, dataset_create, version_build
    from annotations.services.work import (
        DraftInput,
        WorkState,
        contribution_claim_next,
        contribution_return,
        contribution_save,
        contribution_submit,
        draft_create,
    )
    from tests.datasets_support import RUBRIC, SPEC, approved_work, build_here, with_media_bytes
    from tests.factories import OrganizationFactory, UserFactory, published_project

    def fresh_freelancer() -> Any:
        return UserFactory(role="freelancer")

    org: Any = OrganizationFactory()
    admin: Any = UserFactory(role="admin", organization=org)
    reviewer: Any = UserFactory(role="reviewer", organization=org)
    fl: Any = UserFactory(role="freelancer")
    spec = default_spec().to_data()
    # Every timed claim, submit and decision uses up a task: enough for the in-process and the HTTP runs, warm-up
    # included, and some to spare.
    need = 2 * (iterations + 10)
    project = with_media_bytes(published_project(items=6, organization=org, output_spec=spec))
    work = published_project(items=0, organization=org, output_spec=spec)
    image_items(work, 2 * need)
    approved = with_media_bytes(
        published_project(items=12, organization=org, output_spec=SPEC, rubric=RUBRIC, generative_tools_allowed=True)
    )
    for k in range(12):
        approved_work(approved, reviewer, k, freelancer=fresh_freelancer())
    dataset = dataset_create(
        actor=admin, fields=DatasetFields(name="Bench", project_ids=[approved.pk], formats=["jsonl"])
    )
    version = build_here(version_build(actor=admin, dataset=dataset))

    # The workspace's contribution, with two drafts and a note anchored to its image: autosaved, pinged, read.
    own = contribution_claim_next(actor=fl, project=project)
    image = own.task.item.files.filter(kind="image").first()
    assert image is not None
    for k in (1, 2):
        draft_create(
            actor=fl,
            contribution_id=own.pk,
            draft=DraftInput(client_key=f"bench-own-{k}", change_note=f"Pass {k}", text=f"Draft {k} of the piece."),
        )
    own.refresh_from_db()
    state: dict[str, Any] = {"version": own.version, "n": 0, "open": None, "k": 0}
    anchor = {"type": "region", "file": image.pk, "shape": "rectangle", "points": [[0.1, 0.1], [0.4, 0.5]]}

    def autosave() -> tuple[Any, str, Any]:
        state["n"] += 1
        body = {
            "version": state["version"],
            "intent": f"Soft light from the left, take {state['n']}.",
            "notes": [{"id": "n1", "body": f"Kept the horizon low ({state['n']}).", "anchor": anchor}],
            "answers": {},
        }
        return fl, f"/api/v1/contributions/{own.pk}/work", body

    def carry(body: Any) -> None:
        state["version"] = body["version"]

    def unchanged() -> tuple[Any, str, Any, dict[str, str]]:
        # What the workspace's focus check asks: the same contribution again, with the ETag of the last answer.
        from django.test import Client

        reader = Client()
        reader.force_login(fl)
        etag = reader.get(f"/api/v1/contributions/{own.pk}")["ETag"]
        return fl, f"/api/v1/contributions/{own.pk}", None, {"If-None-Match": etag}

    # Claims and give-backs on a project of their own. A claim answers the task in progress if there is one, so each
    # timed claim starts with the last one given back (untimed), and each timed give-back with a task claimed
    # (untimed): every timed call is a real claim or a real give-back.
    claimer: Any = UserFactory(role="freelancer")

    def claim() -> tuple[Any, str, Any]:
        if state["open"] is not None:
            contribution_return(actor=claimer, contribution_id=state["open"])
            state["open"] = None
        return claimer, f"/api/v1/projects/{work.pk}/claim", None

    def claimed(body: Any) -> None:
        state["open"] = body["id"]

    def give_back() -> tuple[Any, str, Any]:
        if state["open"] is None:
            state["open"] = contribution_claim_next(actor=claimer, project=work).pk
        cid, state["open"] = state["open"], None
        return claimer, f"/api/v1/contributions/{cid}/return", None

    drafting: dict[str, Any] = {}

    def draft() -> tuple[Any, str, Any]:
        # A contribution holds at most MAX_DRAFTS drafts: a new drafter takes over well before that.
        if state["k"] % 50 == 0:
            drafting["who"] = UserFactory(role="freelancer")
            drafting["c"] = contribution_claim_next(actor=drafting["who"], project=work)
        state["k"] += 1
        body = {"client_key": f"bench-{uuid.uuid4().hex[:16]}", "change_note": "Pushed the contrast.", "text": "x"}
        return drafting["who"], f"/api/v1/contributions/{drafting['c'].pk}/drafts", body

    def written() -> tuple[Any, Any]:
        who: Any = UserFactory(role="freelancer")
        c = contribution_claim_next(actor=who, project=work)
        c = contribution_save(
            actor=who,
            contribution_id=c.pk,
            base_version=c.version,
            state=WorkState(
                "The harbour at dusk, in three tones of grey.",
                [{"id": "n1", "body": "Kept the horizon low.", "anchor": None}],
                {},
            ),
        )
        draft_create(
            actor=who,
            contribution_id=c.pk,
            draft=DraftInput(client_key=uuid.uuid4().hex[:16], change_note="First pass", text="A text."),
        )
        c.refresh_from_db()
        return who, c

    def submit() -> tuple[Any, str, Any]:
        who, c = written()
        body = {"version": c.version, "tools": ["pencil"], "generative_tools_used": False, "attested": True}
        return who, f"/api/v1/contributions/{c.pk}/submit", body

    def decision() -> tuple[Any, str, Any]:
        who, c = written()
        contribution_submit(
            actor=who,
            contribution_id=c.pk,
            base_version=c.version,
            tools=[],
            generative_tools_used=False,
            attested=True,
        )
        return reviewer, f"/api/v1/contributions/{c.pk}/review", {"decision": "approve", "scores": {}, "reason": ""}

    records = f"/api/v1/datasets/{version.dataset_id}/versions/{version.number}/records"
    return [
        Endpoint("healthz", "GET", lambda: (None, "/healthz", None)),
        Endpoint("autosave", "PUT", autosave, after=carry),
        Endpoint("activity ping", "POST", lambda: (fl, f"/api/v1/contributions/{own.pk}/activity", None)),
        Endpoint("contribution read", "GET", lambda: (fl, f"/api/v1/contributions/{own.pk}", None), after=carry),
        Endpoint("contribution read, unchanged", "GET", unchanged, expect=304),
        Endpoint("claim", "POST", claim, after=claimed, expect=201),
        Endpoint("give back", "POST", give_back),
        Endpoint("draft create", "POST", draft, expect=201),
        Endpoint("submit", "POST", submit),
        Endpoint("marketplace", "GET", lambda: (fl, "/api/v1/marketplace", None)),
        Endpoint("unread count", "GET", lambda: (fl, "/api/v1/notifications/unread-count", None)),
        Endpoint("earnings", "GET", lambda: (fl, "/api/v1/me/earnings", None)),
        Endpoint("review queue", "GET", lambda: (reviewer, "/api/v1/review/queue", None)),
        Endpoint("review decision", "POST", decision),
        Endpoint("records page", "GET", lambda: (admin, records, None)),
    ]


def session_of(user: Any, cache: dict[int, str]) -> str:
    """A session for `user` in the session store, as a login makes one; returns its key."""
    from django.test import Client

    if user.pk not in cache:
        c = Client()
        c.force_login(user)
        cache[user.pk] = c.cookies["sessionid"].value
    return cache[user.pk]


# Calls of one endpoint in a row within a round.
PER_ROUND = 4


def run_rounds(endpoints: list[Endpoint], iterations: int, one: Callable[[Endpoint, bool], float]) -> None:
    """After a warm-up, `iterations` timed calls of each endpoint, PER_ROUND at a time, the endpoints taking turns:
    every endpoint's median is over calls spread across the whole run, so a slow moment of a shared machine falls on
    all of them, the baseline included. (Until 2026-12-07 only the last of five rounds was timed: each median was
    of one block of consecutive calls, and two runs' ratios could differ by a third from healthz's block alone.)"""
    for ep in endpoints:  # warm up: imports, caches, connections, every worker process
        for _ in range(3):
            one(ep, False)
    per_round = min(PER_ROUND, iterations)
    for _ in range(max(1, iterations // per_round)):
        for ep in endpoints:
            for _ in range(per_round):
                one(ep, True)


def profile(endpoints: list[Endpoint], name: str, iterations: int) -> None:
    """cProfile of `iterations` in-process calls of one endpoint: where its time goes (PROFILE_SORT: cumulative;
    PROFILE_LINES: 40)."""
    import cProfile
    import pstats

    chosen = [ep for ep in endpoints if ep.name == name]
    if not chosen:
        raise SystemExit(f"no endpoint named {name!r}: {', '.join(ep.name for ep in endpoints)}")
    measure_in_process(chosen, 3)
    profiler = cProfile.Profile()
    profiler.enable()
    measure_in_process(chosen, iterations)
    profiler.disable()
    lines = int(os.environ.get("PROFILE_LINES", "40"))
    pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(lines)


def measure_in_process(endpoints: list[Endpoint], iterations: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    sessions: dict[int, str] = {}
    clients: dict[str, Client] = {}  # one per caller, as a web process loads its middleware once

    def one(ep: Endpoint, count: bool) -> float:
        who, path, body, *more = ep.prepare()
        c = clients.setdefault(ep.name, Client())
        c.defaults = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in (more[0] if more else {}).items()}
        c.cookies.clear()
        if who is not None:
            c.cookies["sessionid"] = session_of(who, sessions)
        call = getattr(c, ep.method.lower())
        args = (path, json.dumps(body)) if body is not None else (path,)
        connection.queries_log.clear()  # the log holds 9,000 queries: a full one would capture nothing
        with CaptureQueriesContext(connection) as q:
            t = time.perf_counter()
            resp = call(*args, content_type="application/json")
            content = b"".join(resp.streaming_content) if resp.streaming else resp.content  # read to the end
            took = time.perf_counter() - t
        if resp.status_code != ep.expect:
            raise SystemExit(f"{ep.name}: {resp.status_code} {resp.content[:300]!r}")
        ep.after(json.loads(content) if content and not resp.streaming and resp.status_code != 304 else None)
        if count:
            ep.times.append(took)
            ep.queries = max(ep.queries, len(q))
        return took

    run_rounds(endpoints, iterations, one)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def measure_http(endpoints: list[Endpoint], iterations: int) -> None:
    import requests

    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "atelier.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        sessions: dict[int, str] = {}
        http = requests.Session()  # one keep-alive connection, as a browser holds one

        def one(ep: Endpoint, count: bool) -> float:
            who, path, body, *more = ep.prepare()
            http.cookies.clear()
            headers = {"X-CSRFToken": CSRF, **(more[0] if more else {})}
            if who is not None:
                http.cookies.set("sessionid", session_of(who, sessions))
                http.cookies.set("csrftoken", CSRF)
            t = time.perf_counter()
            resp = http.request(ep.method, base + path, json=body, headers=headers, timeout=60)
            took = time.perf_counter() - t
            if resp.status_code != ep.expect:
                raise SystemExit(f"{ep.name} over HTTP: {resp.status_code} {resp.text[:300]}")
            json_body = resp.headers.get("Content-Type", "").startswith("application/json") and resp.content
            ep.after(resp.json() if resp.content and json_body else None)
            if count:
                ep.http_times.append(took)
            return took

        run_rounds(endpoints, iterations, one)
    finally:
        server.terminate()
        server.wait(timeout=30)


def report(endpoints: list[Endpoint]) -> dict[str, Any]:
    base = endpoints[0]
    h, hh = statistics.median(base.times), statistics.median(base.http_times)
    rows = []
    for ep in endpoints:
        m, mh = statistics.median(ep.times), statistics.median(ep.http_times)
        rows.append(
            {
                "endpoint": f"{ep.method} {ep.name}",
                "queries": ep.queries,
                "in_process_ms": round(m * 1000, 2),
                "in_process_ratio": round(m / h, 2),
                "http_ms": round(mh * 1000, 2),
                "http_ratio": round(mh / hh, 2),
            }
        )
    return {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{os.cpu_count()} cores, Python {stdlib_platform.python_version()}",
        "load_average": os.getloadavg()[0],
        "rows": rows,
    }


def print_report(r: dict[str, Any]) -> None:
    print(f"machine: {r['machine']}, load average {r['load_average']:.1f}")
    print(f"{'endpoint':28} {'queries':>7} {'in-process':>11} {'÷ healthz':>9} {'HTTP':>9} {'÷ healthz':>9}")
    for row in r["rows"]:
        print(
            f"{row['endpoint']:28} {row['queries']:7d} {row['in_process_ms']:9.2f}ms {row['in_process_ratio']:9.2f}"
            f" {row['http_ms']:7.2f}ms {row['http_ratio']:9.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--iterations", type=int, default=200, help="timed requests per endpoint, in-process")
    parser.add_argument("--http-iterations", type=int, default=100, help="timed requests per endpoint, over HTTP")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--profile", metavar="ENDPOINT", help="profile one endpoint in-process instead")
    args = parser.parse_args()
    os.environ.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": "bench-" + uuid.uuid4().hex * 2,
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "REDIS_URL": os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/10",
            "API_RATE_LIMIT": "1000000/minute",
            "LOG_LEVEL": "WARNING",
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "SECURE_HSTS_SECONDS": "0",
        }
    )
    import redis

    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    with bench_environment():
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        endpoints = setup_world(args.iterations + args.http_iterations)
        if args.profile:
            profile(endpoints, args.profile, args.iterations)
            return
        measure_in_process(endpoints, args.iterations)
        measure_http(endpoints, args.http_iterations)
        r = report(endpoints)
        print_report(r)
        if args.json:
            args.json.write_text(json.dumps(r, indent=2))


if __name__ == "__main__":
    main()
