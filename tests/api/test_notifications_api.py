"""The notifications API: each person's own notifications, the unread count, marking read, preferences."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.models import Notification, NotificationPreference
from annotations.services.notifications import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _tell(person: Any, n: int) -> None:
    notify(recipient=person, kind="approved", event_key=f"e{n}", title=f"Approved {n}", link="/earnings")


def test_list_count_read_and_read_all(client_for: Any) -> None:
    person, other = UserFactory.create(role="freelancer"), UserFactory.create(role="freelancer")
    for n in range(3):
        _tell(person, n)
    _tell(other, 9)
    api = client_for(person)
    body = api.get("/api/v1/notifications").json()
    assert body["count"] == 3 and [r["title"] for r in body["results"]] == ["Approved 2", "Approved 1", "Approved 0"]
    assert set(body["results"][0]) == {"id", "kind", "title", "body", "link", "created_at", "read_at"}
    with CaptureQueriesContext(connection) as queries:
        assert api.get("/api/v1/notifications/unread-count").json() == {"unread": 3}
    ours = [q["sql"] for q in queries.captured_queries if "annotations_notification" in q["sql"]]
    assert len(ours) == 1 and "COUNT(" in ours[0]  # one cheap query (the rest is the session's)
    first = body["results"][0]["id"]
    read = api.post(f"/api/v1/notifications/{first}/read")
    assert read.status_code == 200 and read.json()["read_at"] is not None
    assert api.get("/api/v1/notifications?unread=true").json()["count"] == 2
    assert api.get("/api/v1/notifications?unread=maybe").status_code == 400
    theirs = Notification.objects.get(recipient=other).pk
    assert api.post(f"/api/v1/notifications/{theirs}/read").status_code == 404
    assert Notification.objects.get(pk=theirs).read_at is None
    assert api.post("/api/v1/notifications/read-all").json() == {"marked": 2}
    assert api.get("/api/v1/notifications/unread-count").json() == {"unread": 0}


def test_preferences_by_role(client_for: Any, org: Any) -> None:
    person = UserFactory.create(role="freelancer")
    api = client_for(person)
    items = api.get("/api/v1/me/notification-preferences").json()["items"]
    assert len(items) == 16 and all(i["enabled"] for i in items)
    assert {i["kind"] for i in items} >= {"approved", "project_digest"} and items[0]["label"]
    changed = api.put(
        "/api/v1/me/notification-preferences", {"items": [{"kind": "approved", "channel": "email", "enabled": False}]}
    )
    assert changed.status_code == 200
    assert [i for i in changed.json()["items"] if not i["enabled"]] == [
        {"kind": "approved", "label": "Your work is approved", "channel": "email", "enabled": False}
    ]
    # bad input changes nothing
    bad: dict[str, Any]
    for bad in (
        {"items": [{"kind": "dataset_version_built", "channel": "email", "enabled": False}]},  # not theirs
        {"items": [{"kind": "approved", "channel": "sms", "enabled": False}]},
        {"items": [{"kind": "rejected", "channel": "email", "enabled": False}, {"kind": "x"}]},
        {"items": []},
        {"other": 1},
    ):
        assert api.put("/api/v1/me/notification-preferences", bad, format="json").status_code == 400, bad
    assert NotificationPreference.objects.filter(user=person).count() == 1
    admin = UserFactory.create(role="admin", organization=org)
    kinds = {i["kind"] for i in client_for(admin).get("/api/v1/me/notification-preferences").json()["items"]}
    assert kinds == {"dataset_version_built", "dataset_version_failed"}
