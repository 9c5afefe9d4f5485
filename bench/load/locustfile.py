"""The load scenario's simulated people, for Locust (run by bench/bench_load.py, which sets everything up).

- Freelancers (the crowd): log in, claim a task, autosave the workspace every few seconds (intent, notes), save a
  text draft and a file draft (presigned POST straight to the S3 server, then the draft), submit; again.
  Each autosave answered 200 is remembered; before submitting, the contribution is read back and every remembered
  save must be there: a missing one is a lost autosave.
- Reviewers: take the review queue and approve what is in it.
- One exporter: starts a dataset version build and follows its progress until it is built.

Configuration comes from the environment: LOAD_USERS_FILE (the accounts bench_load.py made), LOAD_REPORT (where the
counts of lost autosaves and finished work are written at the end).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import threading
import uuid
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task

ACCOUNTS = json.loads(Path(os.environ["LOAD_USERS_FILE"]).read_text())
_freelancers = itertools.cycle(ACCOUNTS["freelancers"])
_reviewers = itertools.cycle(ACCOUNTS["reviewers"])
_lock = threading.Lock()
COUNTS = {"autosaves": 0, "lost_autosaves": 0, "submitted": 0, "approved": 0, "file_drafts": 0, "builds": 0}
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201"
    "5c2ca1e60000000049454e44ae426082"
)


# Response times after everyone has started (the steady state), per endpoint; the ramp's logins are left out.
STEADY: dict[str, list[float]] = {}
_steady = threading.Event()


@events.spawning_complete.add_listener
def steady_from_now(user_count: int, **_: Any) -> None:
    _steady.set()


@events.request.add_listener
def remember(
    request_type: str, name: str, response_time: float, exception: Any, context: dict[str, Any], **_: Any
) -> None:
    if _steady.is_set() and exception is None:
        first = " (first after login)" if context.get("first") else ""
        with _lock:
            STEADY.setdefault(f"{request_type} {name}{first}", []).append(response_time)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def count(name: str, n: int = 1) -> None:
    with _lock:
        COUNTS[name] += n


class Session(HttpUser):
    abstract = True
    account: dict[str, str]

    def on_start(self) -> None:
        self.client.get("/api/v1/auth/csrf", name="/auth/csrf")
        self.csrf: str = self.client.cookies.get("csrftoken") or ""
        self.client.post(  # allauth's headless login, as the browser app signs in
            "/_allauth/browser/v1/auth/login",
            json={"username": self.account["username"], "password": self.account["password"]},
            headers=self.headers(),
            name="/_allauth/auth/login",
        )
        self.csrf = self.client.cookies.get("csrftoken") or self.csrf

    def headers(self) -> dict[str, str]:
        return {"X-CSRFToken": self.csrf, "Referer": self.host or ""}


class Freelancer(Session):
    weight = 40
    wait_time = between(2, 4)  # the workspace autosaves every few seconds while someone types

    def on_start(self) -> None:
        with _lock:
            self.account = next(_freelancers)
        super().on_start()
        self.contribution: dict[str, Any] | None = None
        self.saved: str | None = None
        self.saves_left = 0

    @task
    def work(self) -> None:
        if self.contribution is None:
            self.claim()
        elif self.saves_left > 0:
            self.autosave()
        else:
            self.finish()

    def claim(self) -> None:
        with self.client.post(
            f"/api/v1/projects/{ACCOUNTS['project']}/claim",
            headers=self.headers(),
            name="/projects/{id}/claim",
            catch_response=True,
            context={"first": not getattr(self, "claimed_before", False)},
        ) as r:
            self.claimed_before = True
            if r.status_code == 409:  # nothing left for this person: not an error, just done
                r.success()
                self.contribution = None
                return
            if r.status_code != 201:
                r.failure(f"claim: {r.status_code} {r.text[:200]}")
                return
            self.contribution = r.json()
        self.saves_left = random.randint(3, 6)
        self.notes: list[dict[str, Any]] = []

    def autosave(self) -> None:
        assert self.contribution is not None
        cid = self.contribution["id"]
        intent = f"Save {uuid.uuid4().hex}: a harbour at dusk, told in three greys, the horizon kept low."
        self.notes.append({"id": uuid.uuid4().hex[:12], "body": f"Note {len(self.notes) + 1}", "anchor": None})
        with self.client.put(
            f"/api/v1/contributions/{cid}/work",
            json={"version": self.contribution["version"], "intent": intent, "notes": self.notes, "answers": {}},
            headers=self.headers(),
            name="/contributions/{id}/work",
            catch_response=True,
        ) as r:
            if r.status_code != 200:
                r.failure(f"autosave: {r.status_code} {r.text[:200]}")
                return
            self.contribution["version"] = r.json()["version"]
        self.saved = intent
        self.saves_left -= 1
        count("autosaves")

    def finish(self) -> None:
        assert self.contribution is not None
        cid = self.contribution["id"]
        key = uuid.uuid4().hex
        self.client.post(
            f"/api/v1/contributions/{cid}/drafts",
            json={"client_key": f"t{key[:20]}", "change_note": "First pass", "text": "Grey, greyer, almost black."},
            headers=self.headers(),
            name="/contributions/{id}/drafts (text)",
        )
        ticket = self.client.post(
            f"/api/v1/contributions/{cid}/draft-uploads",
            json={"name": "sketch.png", "size_bytes": len(PNG), "content_type": "image/png"},
            headers=self.headers(),
            name="/contributions/{id}/draft-uploads",
        )
        if ticket.status_code == 201:
            t = ticket.json()
            posted = self.client.post(
                t["url"], data=t["form_fields"], files={"file": ("sketch.png", PNG, "image/png")}, name="S3 POST"
            )
            if posted.status_code in (200, 201, 204):
                saved = self.client.post(
                    f"/api/v1/contributions/{cid}/drafts",
                    json={"client_key": f"f{key[:20]}", "change_note": "Sketch", "upload_token": t["upload_token"]},
                    headers=self.headers(),
                    name="/contributions/{id}/drafts (file)",
                )
                if saved.status_code == 201:
                    count("file_drafts")
        # Every autosave answered 200 must be in the contribution now.
        with self.client.get(f"/api/v1/contributions/{cid}", name="/contributions/{id}", catch_response=True) as r:
            if r.status_code == 200:
                body = r.json()
                if self.saved is not None and body["intent"] != self.saved:
                    count("lost_autosaves")
                    r.failure("an acknowledged autosave is missing")
                version = body["version"]
            else:
                r.failure(f"read back: {r.status_code}")
                return
        with self.client.post(
            f"/api/v1/contributions/{cid}/submit",
            json={"version": version, "tools": ["pencil"], "generative_tools_used": False, "attested": True},
            headers=self.headers(),
            name="/contributions/{id}/submit",
            catch_response=True,
        ) as r:
            if r.status_code == 200:
                count("submitted")
            else:
                r.failure(f"submit: {r.status_code} {r.text[:200]}")
        self.contribution = None
        self.saved = None


class Reviewer(Session):
    fixed_count = int(os.environ.get("LOAD_REVIEWERS", "5"))
    wait_time = between(1, 2)

    def on_start(self) -> None:
        with _lock:
            self.account = next(_reviewers)
        super().on_start()

    @task
    def review(self) -> None:
        queue = self.client.get("/api/v1/review/queue?page_size=10", name="/review/queue")
        if queue.status_code != 200:
            return
        waiting = queue.json()["results"]
        for item in random.sample(waiting, min(3, len(waiting))):  # reviewers spread over the queue
            with self.client.post(
                f"/api/v1/contributions/{item['id']}/review",
                json={"decision": "approve", "scores": {}},
                headers=self.headers(),
                name="/contributions/{id}/review",
                catch_response=True,
            ) as r:
                if r.status_code == 200:
                    count("approved")
                elif r.status_code in (404, 409):  # another reviewer took it first
                    r.success()
                else:
                    r.failure(f"review: {r.status_code} {r.text[:200]}")


class Exporter(Session):
    fixed_count = 1
    wait_time = between(2, 3)

    def on_start(self) -> None:
        self.account = ACCOUNTS["admin"]
        super().on_start()
        self.building: int | None = None

    @task
    def export(self) -> None:
        dataset = ACCOUNTS["dataset"]
        if self.building is None:
            with self.client.post(
                f"/api/v1/datasets/{dataset}/versions",
                headers=self.headers(),
                name="/datasets/{id}/versions",
                catch_response=True,
            ) as r:
                if r.status_code == 202:
                    self.building = r.json()["number"]
                elif r.status_code == 409:  # nothing approved yet, or a build already running: try again later
                    r.success()
            return
        r = self.client.get(f"/api/v1/datasets/{dataset}/versions/{self.building}", name="/datasets/{id}/versions/{n}")
        if r.status_code == 200 and r.json()["state"] in ("built", "failed", "cancelled"):
            if r.json()["state"] == "built":
                count("builds")
            self.building = None


@events.quitting.add_listener
def write_report(environment: Any, **_: Any) -> None:
    path = os.environ.get("LOAD_REPORT")
    if path:
        steady = {
            name: {
                "requests": len(times),
                "p50_ms": _percentile(times, 0.50),
                "p95_ms": _percentile(times, 0.95),
                "p99_ms": _percentile(times, 0.99),
            }
            for name, times in STEADY.items()
        }
        Path(path).write_text(json.dumps({**COUNTS, "steady": steady}))
