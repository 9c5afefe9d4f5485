"""The API's rate limits: per token, per signed-in user and per client address, each counted on its own; a refusal is
a 429 in the error shape with Retry-After, and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from annotations.models import ApiToken
from annotations.services.tokens import api_token_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def low_limits(settings: Any) -> None:
    settings.API_RATE_LIMIT = "5/minute"
    settings.API_ANON_RATE_LIMIT = "3/minute"


def calls(client: APIClient, n: int, path: str = "/api/v1/me") -> list[int]:
    return [client.get(path).status_code for _ in range(n)]


def test_a_signed_in_user_is_limited_and_told_when_to_come_back(client_for, freelancer) -> None:
    c = client_for(freelancer)
    assert calls(c, 5) == [200] * 5
    refused = c.get("/api/v1/me")
    assert refused.status_code == 429
    body = refused.json()["error"]
    assert body["code"] == "throttled" and body["status"] == 429
    assert 0 < int(refused["Retry-After"]) <= 60


def test_each_user_and_each_token_has_its_own_count(client_for, admin) -> None:
    other = client_for(UserFactory(role="freelancer"))
    assert calls(client_for(admin), 6)[-1] == 429
    assert calls(other, 1) == [200]  # another user is not affected
    made = api_token_create(user=admin, name="script", scopes=["projects:read"], expires_in_days=None)
    token = APIClient()
    token.credentials(HTTP_AUTHORIZATION=f"Bearer {made.raw}")
    assert calls(token, 5, "/api/v1/projects") == [200] * 5  # the admin's token counts apart from their session
    assert token.get("/api/v1/projects").status_code == 429
    second = api_token_create(user=admin, name="other", scopes=["projects:read"], expires_in_days=None)
    token.credentials(HTTP_AUTHORIZATION=f"Bearer {second.raw}")
    assert calls(token, 1, "/api/v1/projects") == [200]
    assert ApiToken.objects.filter(user=admin).count() == 2


def test_anonymous_callers_are_limited_per_address() -> None:
    here, elsewhere = APIClient(REMOTE_ADDR="192.0.2.10"), APIClient(REMOTE_ADDR="192.0.2.11")
    assert calls(here, 3, "/api/v1/auth/csrf") == [200] * 3
    assert here.get("/api/v1/auth/csrf").status_code == 429
    assert calls(elsewhere, 1, "/api/v1/auth/csrf") == [200]


def test_a_refused_write_changes_nothing(client_for, admin) -> None:
    c = client_for(admin)
    calls(c, 5)
    refused = c.post("/api/v1/tokens", {"name": "late", "scopes": ["projects:read"]}, format="json")
    assert refused.status_code == 429
    assert not ApiToken.objects.filter(user=admin).exists()


def test_draft_upload_tickets_are_limited_per_freelancer(settings, client_for) -> None:
    from tests.factories import published_project

    settings.API_RATE_LIMIT = "1000/minute"
    settings.DRAFT_UPLOAD_RATE_LIMIT = "2/hour"
    fl = UserFactory(role="freelancer")
    c = client_for(fl)
    cid = c.post(f"/api/v1/projects/{published_project(items=1).pk}/claim").json()["id"]
    ask = {"name": "a.png", "size_bytes": 10, "content_type": "image/png"}
    answers = [c.post(f"/api/v1/contributions/{cid}/draft-uploads", ask, format="json").status_code for _ in range(3)]
    assert answers == [201, 201, 429]


def test_a_contribution_holds_a_bounded_number_of_drafts(settings, client_for) -> None:
    from annotations.domain.work import MAX_DRAFTS
    from annotations.models import Draft
    from tests.factories import published_project

    settings.API_RATE_LIMIT = "100000/minute"
    c = client_for(UserFactory(role="freelancer"))
    cid = c.post(f"/api/v1/projects/{published_project(items=1).pk}/claim").json()["id"]
    for n in range(MAX_DRAFTS):
        body = {"client_key": f"draft-key-{n:04d}", "change_note": "x", "text": f"Draft {n}"}
        assert c.post(f"/api/v1/contributions/{cid}/drafts", body, format="json").status_code == 201
    over = {"client_key": "draft-key-over", "change_note": "x", "text": "One more"}
    refused = c.post(f"/api/v1/contributions/{cid}/drafts", over, format="json")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "too_many_drafts"
    ticket = {"name": "a.png", "size_bytes": 10, "content_type": "image/png"}
    assert c.post(f"/api/v1/contributions/{cid}/draft-uploads", ticket, format="json").status_code == 409
    assert Draft.objects.filter(contribution_id=cid).count() == MAX_DRAFTS


def test_concurrent_calls_are_each_counted(redis_url, settings, freelancer) -> None:
    """Sixteen threads call at once against Redis: exactly the limit passes. A read-modify-write count (DRF's list of
    call times) lets concurrent calls overwrite each other's entries, and more than the limit through."""
    import threading

    from rest_framework.test import APIRequestFactory

    from annotations.api.throttling import ApiRateThrottle

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": f"race-{freelancer.pk}-{id(settings)}",
        }
    }
    settings.API_RATE_LIMIT = "40/minute"
    request = APIRequestFactory().get("/api/v1/me")
    request.user = freelancer
    request.auth = None
    allowed: list[bool] = []
    start = threading.Barrier(16)

    def caller() -> None:
        start.wait()
        for _ in range(10):
            allowed.append(ApiRateThrottle().allow_request(request, None))

    threads = [threading.Thread(target=caller) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(allowed) == 160 and allowed.count(True) == 40
