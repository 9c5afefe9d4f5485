"""Invitations, as the API's contract: invite, resend, revoke, the public preview and acceptance of a link; exact
status and body, bad input changes nothing, every change audited. The link is signed, single-use and expiring."""

from __future__ import annotations

import re
import threading
from datetime import timedelta
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import signing
from django.db import connection
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from annotations.models import AuditEvent, Invitation, User
from annotations.services.invitations import SALT, invitation_accept, invitation_create, invitation_token
from annotations.services.members import member_deactivate
from tests.conftest import need
from tests.factories import OrganizationFactory, UserFactory
from tests.smtp import html_of, text_of

pytestmark = pytest.mark.django_db

PASSWORD = "a long new passphrase 42"


def _state() -> tuple[Any, ...]:
    return (
        tuple(
            Invitation.objects.order_by("pk").values_list("pk", "nonce_hash", "sent_count", "accepted_at", "revoked_at")
        ),
        User.objects.count(),
        AuditEvent.objects.count(),
        EmailAddress.objects.count(),
    )


def _invite(admin: Any, email: str = "new.person@example.test", role: str = "reviewer") -> tuple[Invitation, str]:
    sent = invitation_create(actor=admin, email=email, role=role)
    return sent.invitation, sent.token


def _error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body: dict[str, Any] = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code and body["error"]["status"] == status, body
    return body["error"]


# --- Invite ------------------------------------------------------------------------------------------------------


def test_an_admin_invites_and_the_mail_arrives_with_a_working_link(
    admin: Any, client_for: Any, mailbox: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.SITE_URL = "http://testserver"
    admin.display_name = "Ada Admin"
    admin.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin).post(
            "/api/v1/organization/invitations", {"email": "New.Person@Example.TEST", "role": "reviewer"}
        )
    assert response.status_code == 201, response.content
    invitation = Invitation.objects.get()
    body = response.json()
    assert body == {
        "id": invitation.pk,
        "email": "New.Person@example.test",
        "role": "reviewer",
        "invited_by": {"id": admin.pk, "display_name": "Ada Admin"},
        "created_at": body["created_at"],
        "last_sent_at": body["last_sent_at"],
        "sent_count": 1,
        "expires_at": body["expires_at"],
        "expired": False,
        "resend_available_at": body["resend_available_at"],
    }
    assert "token" not in body  # the link goes to the mailbox only
    assert invitation.expires_at - invitation.last_sent_at == timedelta(days=7)
    event = AuditEvent.objects.get(action="invitation.created")
    assert (event.actor_id, event.organization_id, event.target_id) == (
        admin.pk,
        admin.organization_id,
        str(invitation.pk),
    )
    assert event.data == {"email": "New.Person@example.test", "role": "reviewer"}

    (mail,) = mailbox.wait_for("New.Person@example.test")
    text, html = text_of(mail), html_of(mail)
    assert mail["Subject"] == f"Ada Admin invited you to {admin.organization.name} on Atelier"
    assert "as Reviewer" in text and admin.organization.name in text and "expires on" in text
    link = re.search(r"http://testserver/invite/(\S+)", text)
    assert link is not None and link.group(0) in html
    preview = APIClient().get(f"/api/v1/invitations/{link.group(1)}")
    assert preview.status_code == 200
    assert preview.json() == {
        "organization": admin.organization.name,
        "role": "reviewer",
        "email": "New.Person@example.test",
        "inviter": "Ada Admin",
        "expires_at": body["expires_at"],
        "account_exists": False,
        "mode": "sign_up",
    }


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"email": "not an address", "role": "reviewer"}, "email"),
        ({"email": "a@example.test", "role": "freelancer"}, "role"),
        ({"email": "a@example.test"}, "role"),
        ({"email": "a@example.test", "role": "admin", "organization": 1}, "organization"),
    ],
)
def test_bad_invitations_change_nothing(admin: Any, client_for: Any, payload: dict[str, Any], field: str) -> None:
    before = _state()
    error = _error(client_for(admin).post("/api/v1/organization/invitations", payload), 400, error_code(payload))
    assert field in error["fields"]
    assert _state() == before


def error_code(payload: dict[str, Any]) -> str:
    return "unknown_fields" if "organization" in payload else "invalid"


def test_one_pending_invitation_per_address_whatever_its_case(admin: Any, client_for: Any) -> None:
    _invite(admin, "twice@example.test")
    before = _state()
    error = _error(
        client_for(admin).post("/api/v1/organization/invitations", {"email": "TWICE@example.test", "role": "admin"}),
        409,
        "already_invited",
    )
    assert error["message"] == "TWICE@example.test already has a pending invitation: resend it or revoke it first."
    assert _state() == before


def test_a_member_cannot_be_invited_again(admin: Any, reviewer: Any, client_for: Any) -> None:
    before = _state()
    _error(
        client_for(admin).post("/api/v1/organization/invitations", {"email": reviewer.email.upper(), "role": "admin"}),
        409,
        "already_member",
    )
    assert _state() == before


def test_the_pending_list_is_the_organisations_own(admin: Any, client_for: Any) -> None:
    mine, _ = _invite(admin, "mine@example.test")
    other_admin = UserFactory.create(role="admin", organization=OrganizationFactory.create())
    _invite(other_admin, "theirs@example.test")
    revoked, _ = _invite(admin, "gone@example.test")
    client_for(admin).post(f"/api/v1/organization/invitations/{revoked.pk}/revoke")
    body = client_for(admin).get("/api/v1/organization/invitations").json()
    assert body["count"] == 1 and [i["id"] for i in body["results"]] == [mine.pk]
    # Another organisation's invitation does not exist for this admin.
    theirs = Invitation.objects.get(email="theirs@example.test")
    before = _state()
    for action in ("resend", "revoke"):
        _error(client_for(admin).post(f"/api/v1/organization/invitations/{theirs.pk}/{action}"), 404, "not_found")
    assert _state() == before


# --- Resend and revoke -------------------------------------------------------------------------------------------


def test_resend_is_rate_limited_then_makes_a_new_link_and_expiry(
    admin: Any, client_for: Any, mailbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    invitation, old_token = _invite(admin)
    url = f"/api/v1/organization/invitations/{invitation.pk}/resend"
    before = _state()
    response = client_for(admin).post(url)
    _error(response, 429, "throttled")
    assert 1 <= int(response["Retry-After"]) <= 60
    assert _state() == before

    Invitation.objects.filter(pk=invitation.pk).update(
        last_sent_at=timezone.now() - timedelta(minutes=2), expires_at=timezone.now() + timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin).post(url)
    assert response.status_code == 200, response.content
    assert response.json()["sent_count"] == 2
    invitation.refresh_from_db()
    assert invitation.expires_at > timezone.now() + timedelta(days=6)
    assert AuditEvent.objects.filter(action="invitation.resent", target_id=str(invitation.pk)).count() == 1
    (mail,) = mailbox.wait_for(invitation.email)
    new_token = re.search(r"/invite/(\S+)", text_of(mail)).group(1)  # type: ignore[union-attr]
    assert new_token != old_token
    _error(APIClient().get(f"/api/v1/invitations/{old_token}"), 410, "invitation_superseded")
    _error(
        APIClient().post(f"/api/v1/invitations/{old_token}/accept", {"display_name": "X", "password": PASSWORD}),
        410,
        "invitation_superseded",
    )
    assert APIClient().get(f"/api/v1/invitations/{new_token}").status_code == 200

    Invitation.objects.filter(pk=invitation.pk).update(sent_count=5, last_sent_at=timezone.now() - timedelta(hours=1))
    before = _state()
    _error(client_for(admin).post(url), 409, "resend_limit")
    assert _state() == before


def test_revoke_stops_the_link(admin: Any, client_for: Any) -> None:
    invitation, token = _invite(admin)
    response = client_for(admin).post(f"/api/v1/organization/invitations/{invitation.pk}/revoke")
    assert response.status_code == 204
    invitation.refresh_from_db()
    assert invitation.revoked_by == admin and invitation.revoked_at is not None
    assert AuditEvent.objects.filter(action="invitation.revoked").count() == 1
    error = _error(APIClient().get(f"/api/v1/invitations/{token}"), 410, "invitation_revoked")
    assert "withdrawn" in error["message"]
    before = _state()
    _error(
        APIClient().post(f"/api/v1/invitations/{token}/accept", {"display_name": "X", "password": PASSWORD}),
        410,
        "invitation_revoked",
    )
    _error(
        client_for(admin).post(f"/api/v1/organization/invitations/{invitation.pk}/revoke"), 409, "invitation_revoked"
    )
    _error(
        client_for(admin).post(f"/api/v1/organization/invitations/{invitation.pk}/resend"), 409, "invitation_revoked"
    )
    assert _state() == before


# --- The link: tampering -----------------------------------------------------------------------------------------


def test_tampered_and_unknown_tokens_are_404(admin: Any) -> None:
    mine, token = _invite(admin)
    other, _ = _invite(
        UserFactory.create(role="admin", organization=OrganizationFactory.create()), "other@example.test"
    )
    nonce = signing.loads(token, salt=SALT)["n"]
    forged = [
        token[:-2] + ("aa" if not token.endswith("aa") else "bb"),  # a changed signature
        signing.dumps({"i": other.pk, "n": nonce}, salt=SALT, key="not-the-secret-key"),  # ids swapped, re-signed
        signing.dumps({"i": other.pk, "n": nonce}, salt="another.salt"),  # signed for another purpose
        signing.dumps({"i": mine.pk, "n": nonce}),  # no salt at all
        invitation_token(mine.pk + other.pk + 1000, nonce),  # a real signature of an invitation that does not exist
        signing.dumps("just a string", salt=SALT),
        "nonsense",
    ]
    before = _state()
    for bad in forged:
        _error(APIClient().get(f"/api/v1/invitations/{bad}"), 404, "not_found")
        _error(
            APIClient().post(f"/api/v1/invitations/{bad}/accept", {"display_name": "M", "password": PASSWORD}),
            404,
            "not_found",
        )
    # A real signature with the other invitation's id and this link's nonce: the nonce does not match.
    swapped = invitation_token(other.pk, nonce)
    _error(
        APIClient().post(f"/api/v1/invitations/{swapped}/accept", {"display_name": "M", "password": PASSWORD}),
        410,
        "invitation_superseded",
    )
    assert _state() == before


def test_a_token_joins_only_its_own_organisation(admin: Any) -> None:
    _, token = _invite(admin, "joiner@example.test", role="admin")
    UserFactory.create(role="admin", organization=OrganizationFactory.create())
    response = APIClient().post(f"/api/v1/invitations/{token}/accept", {"display_name": "Jo", "password": PASSWORD})
    assert response.status_code == 200, response.content
    user = User.objects.get(email="joiner@example.test")
    assert (user.organization_id, user.role) == (admin.organization_id, "admin")


# --- Accept ------------------------------------------------------------------------------------------------------


def test_a_new_person_accepts_and_is_signed_in_with_a_verified_address(admin: Any) -> None:
    invitation, token = _invite(admin, "Newbie@Example.test")
    browser = Client(enforce_csrf_checks=True)
    browser.get("/api/v1/auth/csrf")
    csrf = browser.cookies["csrftoken"].value
    response = browser.post(
        f"/api/v1/invitations/{token}/accept",
        {"display_name": "  Nina   New ", "password": PASSWORD},
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )
    assert response.status_code == 200, response.content
    user = User.objects.get(email__iexact="newbie@example.test")
    assert response.json() == {
        "id": user.pk,
        "username": user.username,
        "email": "newbie@example.test",
        "role": "reviewer",
        "display_name": "Nina New",
        "organization": {"id": admin.organization_id, "name": admin.organization.name},
        "is_staff": False,
        "language": "en",
        "allowed_token_scopes": response.json()["allowed_token_scopes"],
        "two_factor_enabled": False,
        "two_factor_required": False,
        "onboarding_missing": [],
    }
    assert user.check_password(PASSWORD) and user.is_active
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == ("newbie@example.test", True, True)
    session = browser.get("/api/v1/auth/session").json()
    assert session["authenticated"] and session["user"]["id"] == user.pk
    assert browser.get("/_allauth/browser/v1/auth/session").json()["data"]["user"]["id"] == user.pk
    invitation.refresh_from_db()
    assert invitation.accepted_by == user and invitation.accepted_at is not None
    event = AuditEvent.objects.get(action="invitation.accepted")
    assert (event.actor_id, event.organization_id) == (user.pk, admin.organization_id)

    # The link is single-use.
    before = _state()
    replay = Client().post(
        f"/api/v1/invitations/{token}/accept",
        {"display_name": "Again", "password": PASSWORD},
        content_type="application/json",
    )
    _error(replay, 410, "invitation_used")
    _error(Client().get(f"/api/v1/invitations/{token}"), 410, "invitation_used")
    assert _state() == before


def test_accept_without_the_csrf_token_is_refused(admin: Any) -> None:
    _, token = _invite(admin)
    before = _state()
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(
        f"/api/v1/invitations/{token}/accept",
        {"display_name": "N", "password": PASSWORD},
        content_type="application/json",
    )
    _error(response, 403, "csrf_failed")
    assert _state() == before


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({"display_name": "Nina", "password": "short"}, ["password"]),
        ({"display_name": "Nina", "password": "1234567890123"}, ["password"]),
        ({"display_name": "Nina", "password": "new.person"}, ["password"]),
        ({"display_name": "   ", "password": PASSWORD}, ["display_name"]),
        ({}, ["display_name", "password"]),
        ({"display_name": "Nina", "password": PASSWORD, "role": "admin"}, ["role"]),
    ],
)
def test_bad_acceptance_changes_nothing(admin: Any, payload: dict[str, Any], fields: list[str]) -> None:
    _, token = _invite(admin)
    before = _state()
    response = APIClient().post(f"/api/v1/invitations/{token}/accept", payload)
    assert response.status_code == 400, response.content
    assert sorted(response.json()["error"]["fields"]) == fields
    assert _state() == before
    assert APIClient().get(f"/api/v1/invitations/{token}").status_code == 200  # still usable


def test_an_expired_link_is_gone(admin: Any) -> None:
    invitation, token = _invite(admin)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    before = _state()
    error = _error(APIClient().get(f"/api/v1/invitations/{token}"), 410, "invitation_expired")
    assert error["message"] == "This invitation has expired. Ask the person who invited you to send it again."
    _error(
        APIClient().post(f"/api/v1/invitations/{token}/accept", {"display_name": "N", "password": PASSWORD}),
        410,
        "invitation_expired",
    )
    assert _state() == before
    # The admin still sees it, marked expired, and may resend it.
    listed = APIClient()
    listed.force_login(admin)
    assert listed.get("/api/v1/organization/invitations").json()["results"][0]["expired"] is True


# --- Accounts that exist -----------------------------------------------------------------------------------------


def test_an_existing_account_must_be_signed_in_as_itself(admin: Any, client_for: Any) -> None:
    freelancer = UserFactory.create(role="freelancer", email="free@example.test")
    _, token = _invite(admin, "Free@example.test")
    preview = APIClient().get(f"/api/v1/invitations/{token}").json()
    assert (preview["account_exists"], preview["mode"]) == (True, "sign_in")
    stranger = client_for(UserFactory.create())
    before = _state()
    _error(
        APIClient().post(f"/api/v1/invitations/{token}/accept", {"display_name": "X", "password": PASSWORD}),
        403,
        "sign_in_required",
    )
    _error(stranger.post(f"/api/v1/invitations/{token}/accept"), 403, "wrong_account")
    # A freelancer account keeps its work and earnings, and never reviews: it is not turned into staff.
    error = _error(client_for(freelancer).post(f"/api/v1/invitations/{token}/accept"), 409, "freelancer_account")
    assert "another address" in error["message"]
    assert _state() == before


def test_staff_of_another_organisation_is_refused_clearly(admin: Any, client_for: Any) -> None:
    elsewhere = UserFactory.create(
        role="reviewer", organization=OrganizationFactory.create(), email="busy@example.test"
    )
    _, token = _invite(admin, "busy@example.test")
    before = _state()
    error = _error(
        client_for(elsewhere).post(f"/api/v1/invitations/{token}/accept"), 409, "member_of_another_organization"
    )
    assert "one organisation" in error["message"]
    assert _state() == before


def test_signed_in_as_another_person_a_new_address_is_refused(admin: Any, client_for: Any) -> None:
    _, token = _invite(admin, "fresh@example.test")
    stranger = client_for(UserFactory.create())
    before = _state()
    _error(
        stranger.post(f"/api/v1/invitations/{token}/accept", {"display_name": "F", "password": PASSWORD}),
        409,
        "wrong_account",
    )
    assert _state() == before


def test_a_deactivated_member_comes_back_with_the_new_role(admin: Any, client_for: Any) -> None:
    gone = UserFactory.create(role="reviewer", organization=admin.organization, email="back@example.test")
    member_deactivate(actor=admin, user_id=gone.pk)
    _, token = _invite(admin, "back@example.test", role="admin")
    preview = APIClient().get(f"/api/v1/invitations/{token}").json()
    assert (preview["account_exists"], preview["mode"]) == (True, "sign_up")
    browser = APIClient()
    response = browser.post(f"/api/v1/invitations/{token}/accept", {"display_name": "Back Again", "password": PASSWORD})
    assert response.status_code == 200, response.content
    gone.refresh_from_db()
    assert (gone.is_active, gone.role, gone.display_name, gone.check_password(PASSWORD)) == (
        True,
        "admin",
        "Back Again",
        True,
    )
    assert User.objects.filter(email__iexact="back@example.test").count() == 1
    assert AuditEvent.objects.filter(action="member.reactivated", target_id=str(gone.pk)).exists()
    assert browser.get("/api/v1/me").json()["id"] == gone.pk


def test_a_signed_in_member_accepts_as_themself(admin: Any, reviewer: Any, client_for: Any) -> None:
    _, token = _invite(admin, "promote@example.test", role="admin")
    reviewer.email = "promote@example.test"
    reviewer.save()
    EmailAddress.objects.filter(user=reviewer).update(email="promote@example.test")
    assert APIClient().get(f"/api/v1/invitations/{token}").json()["mode"] == "sign_in"
    response = client_for(reviewer).post(f"/api/v1/invitations/{token}/accept")
    assert response.status_code == 200, response.content
    reviewer.refresh_from_db()
    assert reviewer.role == "admin"
    assert AuditEvent.objects.filter(action="member.role_changed", target_id=str(reviewer.pk)).exists()


# --- Races (PostgreSQL, real connections) --------------------------------------------------------------------------


def _together(n: int, work: Any) -> list[Any]:
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[i] = work(i)
        except Exception as exc:  # the outcome is what the test compares
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_accepts_of_one_invitation_make_one_account() -> None:
    if connection.vendor != "postgresql":
        need("PostgreSQL", "the race needs row locks across connections")
    org = OrganizationFactory.create()
    admin = UserFactory.create(role="admin", organization=org)
    _, token = _invite(admin, "racer@example.test")

    def accept(i: int) -> tuple[int, Any]:
        response = APIClient().post(
            f"/api/v1/invitations/{token}/accept", {"display_name": f"R{i}", "password": PASSWORD}
        )
        return int(response.status_code), response.json()

    results = _together(4, accept)
    statuses = sorted(r[0] for r in results)
    assert statuses == [200, 410, 410, 410], results
    assert {r[1]["error"]["code"] for r in results if r[0] == 410} == {"invitation_used"}
    assert User.objects.filter(email__iexact="racer@example.test").count() == 1
    assert AuditEvent.objects.filter(action="invitation.accepted").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_invites_of_one_address_at_once_make_one_pending_invitation() -> None:
    if connection.vendor != "postgresql":
        need("PostgreSQL", "the race needs the partial unique index across connections")
    org = OrganizationFactory.create()
    admins = [UserFactory.create(role="admin", organization=org) for _ in range(4)]

    def invite(i: int) -> int:
        client = APIClient()
        client.force_login(admins[i])
        email = "Same@example.test" if i % 2 else "same@example.test"
        return int(client.post("/api/v1/organization/invitations", {"email": email, "role": "reviewer"}).status_code)

    results = _together(4, invite)
    assert sorted(results) == [201, 409, 409, 409], results
    assert Invitation.objects.filter(organization=org).count() == 1
    assert AuditEvent.objects.filter(action="invitation.created").count() == 1


def test_accept_service_for_a_missing_invitation_is_404() -> None:
    from annotations.domain.errors import NotFound

    with pytest.raises(NotFound):
        invitation_accept(token=invitation_token(987654321, "x"), signed_in=None, display_name="N", password=PASSWORD)
