"""A session's "last seen" (allauth usersessions) is recorded at most every USERSESSIONS_ACTIVITY_SECONDS, not on
every request: the requests in between cost no query for it."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.usersessions.models import UserSession
from django.test import Client

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _signed_in() -> tuple[Client, Any]:
    user = UserFactory()
    client = Client()
    token = client.get("/api/v1/auth/csrf").json()["csrf_token"]
    resp = client.post(
        "/_allauth/browser/v1/auth/login",
        {"username": user.username, "password": PASSWORD},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert resp.status_code == 200, resp.content
    return client, user


def test_login_makes_the_row_and_later_requests_do_not_touch_it(django_assert_max_num_queries: Any) -> None:
    client, user = _signed_in()
    row = UserSession.objects.get(user=user)
    client.get("/api/v1/me")  # the first request after login notes the time in the session
    with django_assert_max_num_queries(4):  # session, user, their profile (onboarding), nothing for the activity
        assert client.get("/api/v1/me").status_code == 200
    assert UserSession.objects.get(pk=row.pk).last_seen_at == row.last_seen_at


def test_activity_is_recorded_once_the_interval_has_passed(settings: Any) -> None:
    client, user = _signed_in()
    client.get("/api/v1/me")
    UserSession.objects.filter(user=user).update(last_seen_at="2020-01-01T00:00:00Z")
    settings.USERSESSIONS_ACTIVITY_SECONDS = 0
    client.get("/api/v1/me")
    assert UserSession.objects.get(user=user).last_seen_at.year > 2020
