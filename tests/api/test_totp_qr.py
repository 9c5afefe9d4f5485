"""The authenticator QR code: drawn for the signed-in person's own otpauth URI only, and the platform answer that
the sign-up page reads before anyone is signed in."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.totp.internal.auth import generate_totp_secret
from django.conf import settings
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def own_uri(user: Any) -> str:
    return str(get_mfa_adapter().build_totp_url(user, generate_totp_secret()))


def qr(client: APIClient, uri: str) -> Any:
    return client.get("/api/v1/me/totp-qr?uri=" + quote(uri, safe=""))


def test_draws_the_own_setup_uri_as_svg(freelancer: Any, client_for: Any) -> None:
    response = qr(client_for(freelancer), own_uri(freelancer))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    body = response.content.decode()
    assert body.lstrip().startswith("<?xml") and "<svg" in body and "<path" in body
    assert "<script" not in body


@pytest.mark.parametrize(
    "make_uri",
    [
        lambda me, other: own_uri(other),  # someone else's account
        lambda me, other: own_uri(me).replace("issuer=Atelier", "issuer=Evil"),
        lambda me, other: own_uri(me).replace("otpauth://totp/", "otpauth://hotp/"),
        lambda me, other: own_uri(me).replace("otpauth://", "https://"),
        lambda me, other: own_uri(me) + "&secret=AAAAAAAAAAAAAAAA",  # a second secret
        lambda me, other: own_uri(me) + "&image=https://evil.example/x.png",
        lambda me, other: own_uri(me).split("secret=")[0] + "secret=not-base32!&issuer=Atelier",
        lambda me, other: own_uri(me) + "#frag",
        lambda me, other: "<svg onload=alert(1)>",
        lambda me, other: "",
        lambda me, other: own_uri(me) + "&digits=6" * 200,  # too long
    ],
)
def test_refuses_any_other_uri(freelancer: Any, client_for: Any, make_uri: Any) -> None:
    other = UserFactory(role="freelancer", organization=None)
    response = qr(client_for(freelancer), make_uri(freelancer, other))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert "uri" in response.json()["error"]["fields"]


def test_needs_a_session(freelancer: Any) -> None:
    response = qr(APIClient(), own_uri(freelancer))
    assert response.status_code == 401
    assert set(response.json()) == {"error"}


def test_platform_names_the_terms_version_to_anyone() -> None:
    response = APIClient().get("/api/v1/platform")
    assert response.status_code == 200
    assert response.json()["contributor_terms_version"] == settings.CONTRIBUTOR_TERMS_VERSION
