"""The QR code for setting up an authenticator app, drawn on the server (the console ships no QR library).

Only for the signed-in person and only for an `otpauth://totp/` URI of their own account with Atelier's issuer:
the endpoint draws no other picture, so it cannot be used to render arbitrary content under our origin."""

from __future__ import annotations

import io
import re
from urllib.parse import parse_qs, unquote, urlsplit

import qrcode  # type: ignore[import-untyped]
import qrcode.image.svg  # type: ignore[import-untyped]
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from django.http import HttpResponse
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from annotations.api.permissions import actor
from annotations.domain.errors import ValidationFailed
from annotations.models import User

BASE32 = re.compile(r"^[A-Z2-7]{16,128}=*$")


def totp_uri_is_for(uri: str, user: User) -> bool:
    """An otpauth://totp/ URI with this person's label, Atelier's issuer and a base32 secret, and nothing else."""
    if len(uri) > 1000:
        return False
    parts = urlsplit(uri)
    if parts.scheme != "otpauth" or parts.netloc != "totp" or parts.fragment:
        return False
    adapter = get_mfa_adapter()
    if unquote(parts.path.removeprefix("/")) != adapter.get_totp_label(user):
        return False
    query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=False)
    if not set(query) <= {"secret", "issuer", "digits", "period", "algorithm"}:
        return False
    if any(len(values) != 1 for values in query.values()):
        return False
    secret = query.get("secret", [""])[0]
    issuer = query.get("issuer", [""])[0]
    return bool(BASE32.match(secret)) and issuer == adapter.get_totp_issuer()


def totp_qr_svg(uri: str) -> bytes:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, border=2, box_size=10)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue()


class TotpQrView(APIView):
    @extend_schema(
        summary="The QR code (SVG) of your own authenticator setup URI",
        parameters=[
            OpenApiParameter(
                "uri", OpenApiTypes.STR, OpenApiParameter.QUERY, required=True, description="otpauth://totp/..."
            )
        ],
        responses={(200, "image/svg+xml"): OpenApiTypes.BINARY},
    )
    def get(self, request: Request) -> HttpResponse:
        user = actor(request)
        uri = str(request.query_params.get("uri", ""))
        if not totp_uri_is_for(uri, user):
            raise ValidationFailed(
                gettext("Not an authenticator setup address for your account."),
                fields={"uri": [gettext("Not yours or not TOTP.")]},
            )
        response = HttpResponse(totp_qr_svg(uri), content_type="image/svg+xml")
        response["Cache-Control"] = "no-store"
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
        response["X-Content-Type-Options"] = "nosniff"
        return response
