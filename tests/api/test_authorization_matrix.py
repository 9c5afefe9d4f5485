"""The authorization matrix: every route of the API (and the console's shell) for every kind of caller, in one
table. Callers: anonymous; the freelancer who owns the objects (`owner`) and another freelancer (`stranger`); the
organization's reviewer and admin; an admin of another organization (`other_admin`); an API token of the admin with
every scope (`token`) and one lacking exactly the scope the route needs (`token_without`).

Cells: `ok` means the caller passed authorization (any answer but 401, 403 and 404: 2xx, or 400/409 because the
empty or stale body is refused after the check); a number is the exact refusal. Where an id would otherwise tell a
caller that something exists, the refusal is 404 (other tenants, other people's contributions). Each call runs in a
savepoint that is rolled back, so every cell meets the same world; a refused call must also change nothing.

A test walks the URL configuration, so a new route fails here until it has its row."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from annotations.models import AuditEvent, Contribution, Dataset, Draft, Payout, User, WebhookDelivery
from tests.api.conftest import CALLERS

pytestmark = pytest.mark.django_db

OK = "ok"


def row(
    method: str,
    path: str,
    body: dict[str, Any] | None = None,
    /,
    *,
    scope: str | None = None,
    **cells: Any,
) -> tuple[str, str, dict[str, Any] | None, str | None, dict[str, Any]]:
    """One route. Unnamed callers: anonymous 401, tokens 403 (a route without `scope` refuses tokens), the
    platform operator as an admin of another organization."""
    expected: dict[str, Any] = {"anonymous": 401, "token": 403, "token_without": 403}
    expected.update(cells)
    expected.setdefault("operator", expected.get("other_admin"))
    missing = set(CALLERS) - set(expected)
    assert not missing, f"{method} {path}: no cell for {missing}"
    return method, path, body, scope, expected


STAFF_READ: dict[str, Any] = {"owner": 403, "stranger": 403, "reviewer": OK, "admin": OK, "other_admin": 404}
ADMIN_ONLY: dict[str, Any] = {"owner": 403, "stranger": 403, "reviewer": 403, "admin": OK, "other_admin": 404}
OWNER_ONLY: dict[str, Any] = {"owner": OK, "stranger": 404, "reviewer": 404, "admin": 404, "other_admin": 404}
FREELANCERS: dict[str, Any] = {"owner": OK, "stranger": OK, "reviewer": 403, "admin": 403, "other_admin": 403}
ANYONE_SIGNED_IN: dict[str, Any] = {"owner": OK, "stranger": OK, "reviewer": OK, "admin": OK, "other_admin": OK}
PUBLIC: dict[str, Any] = {"anonymous": OK, **ANYONE_SIGNED_IN}
EVERYONE_404: dict[str, Any] = dict.fromkeys(CALLERS, 404)
MY_METHOD: dict[str, Any] = {"owner": OK, "stranger": 404, "reviewer": 403, "admin": 403, "other_admin": 403}
OPERATOR_ONLY: dict[str, Any] = {
    "owner": 403,
    "stranger": 403,
    "reviewer": 403,
    "admin": 403,
    "other_admin": 403,
    "operator": OK,
}

MATRIX = [
    # Accounts
    row("get", "/api/v1/auth/csrf", **PUBLIC, token=OK, token_without=OK),
    row("get", "/api/v1/auth/session", **PUBLIC, token=OK, token_without=OK),  # who is signed in, never 401
    row("get", "/api/v1/me", **ANYONE_SIGNED_IN, token=OK, token_without=OK),
    row("patch", "/api/v1/me", {"language": "es"}, **ANYONE_SIGNED_IN),  # one's own language: a session only
    row("get", "/api/v1/me/profile", **FREELANCERS),
    row("patch", "/api/v1/me/profile", {}, **FREELANCERS),
    row("post", "/api/v1/me/onboarding", {}, **FREELANCERS),  # {} is refused (400) after the check: every field
    # Public: the sign-up page reads the contributor terms version from it before anyone is signed in.
    row("get", "/api/v1/platform", **PUBLIC, token=OK, token_without=OK),
    # 400 for every signed-in person: the query carries no otpauth URI of their own account.
    row("get", "/api/v1/me/totp-qr", **ANYONE_SIGNED_IN),
    row("get", "/api/v1/me/consent", **ANYONE_SIGNED_IN),
    row("post", "/api/v1/me/consent", {}, **FREELANCERS),
    row("get", "/api/v1/me/portfolio", **ANYONE_SIGNED_IN),
    row("post", "/api/v1/me/portfolio/public", {}, **FREELANCERS),
    row("put", "/api/v1/me/credits/{dataset}", {}, **FREELANCERS),
    row("get", "/api/v1/portfolios/{portfolio}", **PUBLIC, token=OK, token_without=OK),
    # Only an image draft of the portfolio's accepted work is shown; the world's drafts are text: 404 to all.
    row("get", "/api/v1/portfolios/{portfolio}/drafts/{draft}/image", **EVERYONE_404),
    # Tokens: one's own
    # Notifications: each person's own; someone else's notification is 404
    row("get", "/api/v1/notifications", **ANYONE_SIGNED_IN),
    row("get", "/api/v1/notifications/unread-count", **ANYONE_SIGNED_IN),
    row("post", "/api/v1/notifications/read-all", {}, **ANYONE_SIGNED_IN),
    row("post", "/api/v1/notifications/{notification}/read", {}, **OWNER_ONLY),
    row("get", "/api/v1/me/notification-preferences", **ANYONE_SIGNED_IN),
    row("put", "/api/v1/me/notification-preferences", {}, **ANYONE_SIGNED_IN),
    row("get", "/api/v1/tokens", **ANYONE_SIGNED_IN),
    row("post", "/api/v1/tokens", {}, **ANYONE_SIGNED_IN),
    row("delete", "/api/v1/tokens/{token}", owner=404, stranger=404, reviewer=404, admin=OK, other_admin=404),
    # The organization's audit log: its admins
    row("get", "/api/v1/audit", **ADMIN_ONLY | {"other_admin": OK}),
    # Webhooks: the organization's admins
    row("get", "/api/v1/webhooks", **ADMIN_ONLY | {"other_admin": OK}),
    row("post", "/api/v1/webhooks", {}, **ADMIN_ONLY | {"other_admin": OK}),
    row("delete", "/api/v1/webhooks/{endpoint}", **ADMIN_ONLY),
    row("post", "/api/v1/webhooks/{endpoint}/test", **ADMIN_ONLY),
    row("get", "/api/v1/webhooks/{endpoint}/deliveries", **ADMIN_ONLY),
    row("post", "/api/v1/webhook-deliveries/{delivery}/redeliver", **ADMIN_ONLY),
    # Datasets and the export API
    row("get", "/api/v1/datasets", scope="export:read", **STAFF_READ | {"other_admin": OK}, token=OK),
    row("post", "/api/v1/datasets", {}, **ADMIN_ONLY | {"other_admin": OK}),
    row("get", "/api/v1/datasets/{dataset}", scope="export:read", **STAFF_READ, token=OK),
    row("patch", "/api/v1/datasets/{dataset}", {}, **ADMIN_ONLY),
    row("get", "/api/v1/datasets/{dataset}/versions", scope="export:read", **STAFF_READ, token=OK),
    row("post", "/api/v1/datasets/{dataset}/versions", **ADMIN_ONLY),
    row("get", "/api/v1/datasets/{dataset}/versions/1", scope="export:read", **STAFF_READ, token=OK),
    row("post", "/api/v1/datasets/{dataset}/versions/1/cancel", **ADMIN_ONLY),
    row("get", "/api/v1/datasets/{dataset}/versions/1/card", scope="export:read", **STAFF_READ, token=OK),
    row("get", "/api/v1/datasets/{dataset}/versions/1/files", scope="export:read", **STAFF_READ, token=OK),
    row("get", "/api/v1/datasets/{dataset}/versions/1/records", scope="export:read", **STAFF_READ, token=OK),
    row("get", "/api/v1/datasets/{dataset}/versions/1/tombstones", scope="export:read", **STAFF_READ, token=OK),
    # Projects
    row("get", "/api/v1/projects", scope="projects:read", **ANYONE_SIGNED_IN, token=OK),
    row("post", "/api/v1/projects", {}, scope="projects:write", **ADMIN_ONLY | {"other_admin": OK}, token=OK),
    row(
        "get",
        "/api/v1/projects/{project}",
        scope="projects:read",
        **STAFF_READ | {"owner": OK, "stranger": OK},
        token=OK,
    ),
    row("patch", "/api/v1/projects/{project}", {}, scope="projects:write", **ADMIN_ONLY, token=OK),
    row("post", "/api/v1/projects/{project}/transitions", {}, scope="projects:write", **ADMIN_ONLY, token=OK),
    row("get", "/api/v1/projects/{project}/progress", scope="projects:read", **STAFF_READ, token=OK),
    row("get", "/api/v1/projects/{project}/agreement", scope="projects:read", **STAFF_READ, token=OK),
    row("get", "/api/v1/projects/{project}/gold", scope="projects:read", **STAFF_READ, token=OK),
    row("post", "/api/v1/projects/{project}/gold", {}, scope="projects:write", **ADMIN_ONLY, token=OK),
    row("delete", "/api/v1/projects/{project}/gold/{gold_item}", scope="projects:write", **ADMIN_ONLY, token=OK),
    row("get", "/api/v1/projects/{project}/activity", scope="projects:read", **STAFF_READ, token=OK),
    row(
        "get",
        "/api/v1/projects/{project}/items",
        scope="projects:read",
        **STAFF_READ | {"owner": 404, "stranger": 404},
        token=OK,
    ),
    row("patch", "/api/v1/projects/{project}/files/{file}", {}, scope="projects:write", **ADMIN_ONLY, token=OK),
    row("post", "/api/v1/projects/{project}/uploads", {}, scope="projects:write", **ADMIN_ONLY, token=OK),
    row("post", "/api/v1/projects/{project}/uploads/complete", {}, scope="projects:write", **ADMIN_ONLY, token=OK),
    row("get", "/api/v1/projects/{project}/imports", scope="projects:read", **STAFF_READ, token=OK),
    row("post", "/api/v1/projects/{project}/imports", {}, scope="projects:write", **ADMIN_ONLY, token=OK),
    # Signed links: the signature is the credential, whoever sends it
    row("post", "/api/v1/uploads/local", {}, **PUBLIC, token=OK, token_without=OK),
    row("get", "/api/v1/media/local/{media}", **EVERYONE_404),
    # The freelancer's work
    row("get", "/api/v1/marketplace", **FREELANCERS),
    row("post", "/api/v1/projects/{project}/claim", **FREELANCERS),
    row("get", "/api/v1/contributions", **FREELANCERS),
    row("get", "/api/v1/contributions/{contribution}", **OWNER_ONLY | {"reviewer": OK, "admin": OK}),
    # Accepted work stays readable by its author (with its task media), and by nobody else outside the project.
    row("get", "/api/v1/contributions/{approved}", **OWNER_ONLY | {"reviewer": OK, "admin": OK}),
    row("put", "/api/v1/contributions/{contribution}/work", {}, **OWNER_ONLY),
    row("post", "/api/v1/contributions/{contribution}/activity", **OWNER_ONLY),
    row("post", "/api/v1/contributions/{contribution}/return", **OWNER_ONLY),
    row("post", "/api/v1/contributions/{contribution}/draft-uploads", {}, **OWNER_ONLY),
    row("post", "/api/v1/contributions/{contribution}/drafts", {}, **OWNER_ONLY),
    row("post", "/api/v1/contributions/{contribution}/submit", {}, **OWNER_ONLY),
    # Review and pay
    row("get", "/api/v1/review/queue", **STAFF_READ | {"other_admin": OK}),
    row("post", "/api/v1/contributions/{approved}/review", {}, **STAFF_READ, operator=404),
    row("post", "/api/v1/contributions/{approved}/dispute", {}, **OWNER_ONLY),
    row("post", "/api/v1/contributions/{approved}/settle", {}, **ADMIN_ONLY),
    row("post", "/api/v1/contributions/{approved}/bonus", {}, **ADMIN_ONLY),
    row("get", "/api/v1/me/earnings", **FREELANCERS),
    row("get", "/api/v1/me/earnings/history", **FREELANCERS),
    row("get", "/api/v1/me/earnings/statement.csv", **FREELANCERS),
    # Payouts pool a freelancer's work across organizations: the platform's operators only
    row("get", "/api/v1/payouts", **OPERATOR_ONLY),
    row("get", "/api/v1/payouts/overview", **ADMIN_ONLY | {"other_admin": OK, "operator": OK}),
    row("post", "/api/v1/payouts/{payout}/retry", **OPERATOR_ONLY),
    row("post", "/api/v1/payouts/gather", **OPERATOR_ONLY),
    # The provider's webhook: its signature is the credential; unsigned, the endpoint does not exist for anyone
    row("post", "/api/v1/payouts/webhook", {}, **EVERYONE_404),
    # The rails' webhooks: verified as each rail documents; unverified, 400 for everyone (tokens are not read)
    row("post", "/api/v1/payouts/webhooks/paypal", {}, **PUBLIC, token=OK, token_without=OK),
    row("post", "/api/v1/payouts/webhooks/stripe", {}, **PUBLIC, token=OK, token_without=OK),
    # Payout methods: each freelancer's own, from a browser session (tokens are refused). Changing where money goes
    # needs a recent login, which force_login does not record: the owner is asked to confirm (403).
    row("get", "/api/v1/me/payouts", **FREELANCERS),
    row("get", "/api/v1/me/payout-methods", **FREELANCERS),
    row("post", "/api/v1/me/payout-methods", {}, **FREELANCERS),
    row("get", "/api/v1/me/payout-methods/rails", **FREELANCERS),
    row("get", "/api/v1/me/payout-methods/{payout_method}", **MY_METHOD),
    row("delete", "/api/v1/me/payout-methods/{payout_method}", **MY_METHOD | {"owner": 403}),
    row("post", "/api/v1/me/payout-methods/{payout_method}/verify", {}, **MY_METHOD),
    row("post", "/api/v1/me/payout-methods/{payout_method}/resend-code", **MY_METHOD),
    row("post", "/api/v1/me/payout-methods/{payout_method}/default", **MY_METHOD | {"owner": 403}),
    row("post", "/api/v1/me/payout-methods/{payout_method}/onboarding-link", **MY_METHOD),
    row("get", "/api/v1/payout-methods/held", **OPERATOR_ONLY),
    row("post", "/api/v1/payout-methods/{payout_method}/release", **OPERATOR_ONLY),
    # Organisation, members and invitations: its admins; reviewers read the members
    row("get", "/api/v1/organization", **ADMIN_ONLY | {"other_admin": OK}),
    row("patch", "/api/v1/organization", {}, **ADMIN_ONLY | {"other_admin": OK}),
    row("get", "/api/v1/organization/members", **STAFF_READ | {"other_admin": OK}),
    row("patch", "/api/v1/organization/members/{member}", {}, **ADMIN_ONLY),
    row("post", "/api/v1/organization/members/{member}/deactivate", **ADMIN_ONLY),
    row("post", "/api/v1/organization/members/{member}/reactivate", **ADMIN_ONLY),
    row("get", "/api/v1/organization/invitations", **ADMIN_ONLY | {"other_admin": OK}),
    row("post", "/api/v1/organization/invitations", {}, **ADMIN_ONLY | {"other_admin": OK}),
    row("post", "/api/v1/organization/invitations/{invitation}/resend", **ADMIN_ONLY),
    row("post", "/api/v1/organization/invitations/{invitation}/revoke", **ADMIN_ONLY),
    # The invitation link: its signed token is the credential (a bearer token is not read)
    row("get", "/api/v1/invitations/{invite}", **PUBLIC, token=OK, token_without=OK),
    row("post", "/api/v1/invitations/{invite}/accept", {}, **PUBLIC, token=OK, token_without=OK),
    # Qualification exams: staff build them; freelancers take the ones published projects require
    row("get", "/api/v1/exams", **STAFF_READ | {"other_admin": OK}),
    row("post", "/api/v1/exams", {}, **ADMIN_ONLY | {"other_admin": OK}),
    row("get", "/api/v1/exams/{exam}", **STAFF_READ | {"owner": OK, "stranger": OK}),
    row("patch", "/api/v1/exams/{exam}", {}, **ADMIN_ONLY),
    row("get", "/api/v1/exams/{exam}/results", **STAFF_READ),
    row("post", "/api/v1/exams/{exam}/attempts", **FREELANCERS),
    row("post", "/api/v1/exam-attempts/{attempt}/submit", {}, **OWNER_ONLY),
    row("get", "/api/v1/me/qualifications", **FREELANCERS),
]


def _fingerprint() -> tuple[int, ...]:
    """What a refused call must not change."""
    return (
        Contribution.objects.count(),
        sum(Contribution.objects.values_list("version", flat=True)),
        Draft.objects.count(),
        Dataset.objects.count(),
        Payout.objects.count(),
        WebhookDelivery.objects.count(),
        AuditEvent.objects.count(),
        User.objects.count(),
    )


@pytest.mark.parametrize(
    ("method", "path", "body", "scope", "expected"), MATRIX, ids=[f"{m.upper()} {p}" for m, p, *_ in MATRIX]
)
def test_every_route_for_every_caller(world, method, path, body, scope, expected) -> None:
    url = path.format(**world["ids"])
    got: dict[str, int] = {}
    wrong: dict[str, str] = {}
    for who in CALLERS:
        client = world["clients"][who]
        if who == "token_without":
            client = APIClient()
            if scope is not None:
                client.credentials(HTTP_AUTHORIZATION=f"Bearer {world['lacking'][scope]}")
            else:
                client.credentials(HTTP_AUTHORIZATION=f"Bearer {world['lacking']['projects:read']}")
        before = _fingerprint()
        with transaction.atomic():
            response = (
                getattr(client, method)(url, body, format="json") if body is not None else getattr(client, method)(url)
            )
            after = _fingerprint()
            transaction.set_rollback(True)
        got[who] = response.status_code
        want = expected[who]
        passed = response.status_code not in (401, 403, 404) if want == OK else response.status_code == want
        if not passed:
            wrong[who] = f"{response.status_code} (want {want})"
        elif response.status_code in (401, 403, 404):
            if after != before:
                wrong[who] = f"refused with {response.status_code} but changed something"
            if response["Content-Type"].startswith("application/json") and set(response.json()) != {"error"}:
                wrong[who] = "refusal not in the error shape"
    assert not wrong, wrong


def _routes(patterns: list[Any], prefix: str = "") -> list[str]:
    found: list[str] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            found += _routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            found.append(prefix + str(p.pattern))
    return found


def test_the_matrix_covers_every_route() -> None:
    import re

    def shape(path: str) -> str:
        return re.sub(r"<[^>]+>|\{[^}]+\}|(?<=/)1(?=/|$)", "{}", path.removeprefix("/"))

    routes = {shape(r) for r in _routes(get_resolver().url_patterns) if r.startswith("api/v1/")}
    routes -= {"api/v1/^.*$"}  # the JSON 404 for unknown API paths
    covered = {shape(p) for _m, p, *_ in MATRIX}
    assert routes - covered == set(), f"routes without a row in the matrix: {sorted(routes - covered)}"


CONSOLE_PARAMS = {":id": "{project}", ":token": "{portfolio}", ":number": "1"}


def _console_routes() -> list[str]:
    import re
    from pathlib import Path

    app = (Path(__file__).resolve().parents[2] / "frontend" / "src" / "App.tsx").read_text()
    return [p for p in re.findall(r'<Route path="([^"]+)"', app) if p != "*"]


def test_every_console_route_serves_the_same_shell_to_everyone(world, built_frontend) -> None:
    """The console's routes carry no data of their own (every page reads the API, which the matrix above covers):
    each answers the same HTML shell to every caller, under the same security headers."""
    routes = _console_routes()
    assert len(routes) >= 20 and "/settings/webhooks" in routes
    for route in routes:
        url = route
        for param, value in CONSOLE_PARAMS.items():
            url = url.replace(param, value.format(**world["ids"]))
        shells = set()
        for who in ("anonymous", "owner", "admin", "other_admin"):
            response = world["clients"][who].get(url)
            assert response.status_code == 200 and response["Content-Type"].startswith("text/html"), (route, who)
            assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"
            policy = response["Content-Security-Policy"]
            assert "script-src 'self'" in policy and "unsafe-inline" not in policy
            # The style nonce is new on every request, for everyone alike (tests/test_app_shell.py).
            shells.add(re.sub(rb'name="csp-nonce" content="[^"]+"', b'name="csp-nonce" content=""', response.content))
        assert len(shells) == 1, f"{route} differs by caller"


SIGNED_NOT_SESSION = {  # their signature is the credential
    "/api/v1/uploads/local",
    "/api/v1/payouts/webhook",
    "/api/v1/payouts/webhooks/paypal",
    "/api/v1/payouts/webhooks/stripe",
}


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [(m, p, b) for m, p, b, *_ in MATRIX if m != "get" and p not in SIGNED_NOT_SESSION],
    ids=[f"{m.upper()} {p}" for m, p, *_ in MATRIX if m != "get" and p not in SIGNED_NOT_SESSION],
)
def test_every_session_write_needs_the_csrf_token(world, method, path, body) -> None:
    """A signed-in browser's write without the CSRF token is refused before anything else, in the error shape."""
    from django.contrib.auth import get_user_model

    url = path.format(**world["ids"])
    for username_of in ("owner", "admin"):
        browser = APIClient(enforce_csrf_checks=True)
        user = get_user_model().objects.get(pk=world["users"][username_of])
        browser.force_login(user)
        before = _fingerprint()
        response = getattr(browser, method)(url, body or {}, format="json")
        assert response.status_code == 403, (username_of, response.status_code, response.content[:200])
        assert response.json()["error"]["code"] in ("permission_denied", "csrf_failed")
        assert "CSRF" in response.json()["error"]["message"]
        assert _fingerprint() == before
