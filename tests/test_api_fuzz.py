"""Schemathesis over the whole OpenAPI schema, in-process through the WSGI app, as every kind of caller: anonymous,
a freelancer, a reviewer and an admin (browser sessions, with CSRF), and an API token with every scope its admin may
grant. For every operation and every generated request: no 5xx, and the response (status, content type, body)
is the one the schema documents. The demo world gives the generated ids something real to hit.

Every operation is run and every failure collected, so one run reports them all. `FUZZ_EXAMPLES` sets the
examples per operation and caller (CI runs the default; raise it for a longer hunt)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from annotations.models import User
from annotations.services.tokens import api_token_create

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
CSRF = "fuzzcsrf" * 4  # a 32-character CSRF secret, sent as cookie and header (the double submit Django checks)
ROLES = ["anonymous", "freelancer", "reviewer", "admin", "token"]
REACHED_AT_LEAST = {"anonymous": 3, "freelancer": 16, "reviewer": 22, "admin": 28, "token": 20}


def _caller(role: str) -> dict[str, Any]:
    if role == "anonymous":
        return {"cookies": {}, "headers": {}}
    if role == "token":
        made = api_token_create(
            user=User.objects.get(username="admin"),
            name="fuzz",
            scopes=["projects:read", "projects:write", "export:read"],
            expires_in_days=1,
        )
        return {"cookies": {}, "headers": {"Authorization": f"Bearer {made.raw}"}}
    client = Client()
    client.force_login(User.objects.get(username=role))
    return {
        "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF},
        "headers": {"X-CSRFToken": CSRF},
    }


def _real_ids(settings: Any) -> dict[str, list[Any]]:
    """Ids of real objects of the demo world (plus a built version, a webhook endpoint with a delivery, a payout and
    a public portfolio), so generated paths reach the code behind the 404s."""
    from annotations.models import (
        Contribution,
        Dataset,
        FreelancerProfile,
        Item,
        Payout,
        Project,
        WebhookDelivery,
        WebhookEndpoint,
    )
    from annotations.services.datasets import version_build
    from annotations.services.payouts import payout_request
    from annotations.services.portfolio import portfolio_publish
    from annotations.services.webhooks import endpoint_create, webhook_test
    from tests.datasets_support import build_here

    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    admin = User.objects.get(username="admin")
    build_here(version_build(actor=admin, dataset=Dataset.objects.get()))
    endpoint = endpoint_create(actor=admin, url="http://127.0.0.1:9/hook", events=["contribution.approved"])
    webhook_test(actor=admin, endpoint_id=endpoint.pk)
    portfolio_publish(actor=User.objects.get(username="maya"), public=True)
    payout_request(freelancer_id=User.objects.get(username="maya").pk, currency="USD", minimum_minor=1)
    return {
        "project_id": list(Project.objects.values_list("pk", flat=True)),
        "contribution_id": list(Contribution.objects.values_list("pk", flat=True)),
        "dataset_id": list(Dataset.objects.values_list("pk", flat=True)),
        "number": [1],
        "item_id": list(Item.objects.values_list("pk", flat=True)),
        "endpoint_id": list(WebhookEndpoint.objects.values_list("pk", flat=True)),
        "delivery_id": list(WebhookDelivery.objects.values_list("pk", flat=True)),
        "payout_id": list(Payout.objects.values_list("pk", flat=True)),
        "token": list(FreelancerProfile.objects.exclude(portfolio_token="").values_list("portfolio_token", flat=True)),
    }


def _with_real_ids(strategy: Any, real: dict[str, list[Any]]) -> Any:
    """Half the generated cases get path ids of real objects (the other half keep what was generated)."""
    picks = st.fixed_dictionaries({k: st.sampled_from(v) for k, v in real.items() if v})

    def swap(drawn: tuple[Any, bool, dict[str, Any]]) -> Any:
        case, use_real, ids = drawn
        if use_real and case.path_parameters:
            for name in case.path_parameters:
                if name in ids:
                    case.path_parameters[name] = ids[name]
        return case

    return st.tuples(strategy, st.booleans(), picks).map(swap)


def _fuzz(
    operation: Any,
    caller: dict[str, Any],
    mode: GenerationMode,
    real: dict[str, list[Any]] | None = None,
    seen: set[int] | None = None,
) -> None:
    strategy = operation.as_strategy(generation_mode=mode)
    if real and mode is GenerationMode.POSITIVE:
        strategy = _with_real_ids(strategy, real)

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        # The caller's own credentials only: generated Authorization headers would turn every call into a 401.
        headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
        response = case.call_and_validate(
            headers={**headers, **caller["headers"]}, cookies=caller["cookies"], checks=CHECKS
        )
        if seen is not None:
            seen.add(response.status_code)

    run()


@pytest.fixture
def keep_test_connection() -> Iterator[None]:
    """The WSGI app closes the database connection after each request; within a test's transaction it must not
    (Django's test client does the same)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_answers_as_documented(
    role: str, demo_data: dict[str, int], keep_test_connection: None, settings: Any
) -> None:
    from atelier.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    settings.API_RATE_LIMIT = settings.API_ANON_RATE_LIMIT = "1000000/minute"  # the fuzzing is one caller's burst
    failures: dict[str, str] = {}
    ran = 0
    token = _caller("token") if role == "token" else None
    real = _real_ids(settings)
    answered: dict[str, set[int]] = {}
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result  # an operation the schema describes badly is a failure too
        operation = result.ok()
        ran += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _fuzz(
                    operation, token or _caller(role), mode, real, answered.setdefault(operation.label, set())
                )  # a fresh session each time: fuzzing logout must not end it
            except Unsatisfiable:
                assert mode is GenerationMode.NEGATIVE  # nothing in this operation can be made invalid
            except (Exception, FailureGroup) as exc:  # collected: every operation runs, all failures are reported
                failures[f"{operation.label} ({mode.value})"] = str(exc)[:1500]
    assert ran >= 75  # the whole schema was walked
    reached = sorted(label for label, codes in answered.items() if any(200 <= c < 300 for c in codes))
    # The real ids make the generated calls reach the code behind the 404s (floors a little under what is seen).
    assert len(reached) >= REACHED_AT_LEAST[role], reached
    assert not failures, f"{len(failures)} failing:\n" + "\n\n".join(f"{k}\n{v}" for k, v in failures.items())


def test_the_harness_catches_a_server_error_and_an_undocumented_body(
    monkeypatch: Any, demo_data: dict[str, int], keep_test_connection: None
) -> None:
    """The fuzzing above can fail: a view that raises, or answers off-schema, is caught."""
    from rest_framework.response import Response

    from annotations.api.platform import PlatformView
    from atelier.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    operation = schema["/api/v1/platform"]["GET"]
    caller = _caller("admin")

    def boom(self: Any, request: Any) -> Any:
        raise RuntimeError("planted")

    monkeypatch.setattr(PlatformView, "get", boom)
    with pytest.raises(FailureGroup) as caught:
        _fuzz(operation, caller, GenerationMode.POSITIVE)
    assert "Server error" in str(caught.value)
    monkeypatch.setattr(PlatformView, "get", lambda self, request: Response({"unexpected": True}))
    with pytest.raises(FailureGroup) as caught:
        _fuzz(operation, caller, GenerationMode.POSITIVE)
    assert "Response violates schema" in str(caught.value)
