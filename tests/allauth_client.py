"""A browser as the React app is one, for allauth's headless API: CSRF token from /api/v1/auth/csrf, sent back as
X-CSRFToken on every write (read afresh from the cookie, since a login rotates it), and the TOTP code an
authenticator app would show."""

from __future__ import annotations

import time
from typing import Any

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from rest_framework.test import APIClient

BROWSER = "/_allauth/browser/v1"
APP = "/_allauth/app/v1"


class Browser:
    def __init__(self, **extra: Any) -> None:
        self.client = APIClient(enforce_csrf_checks=True, **extra)
        assert self.client.get("/api/v1/auth/csrf").status_code == 200

    def _csrf(self) -> dict[str, str]:
        return {"HTTP_X_CSRFTOKEN": self.client.cookies["csrftoken"].value}

    def _headers(self) -> dict[str, str]:
        return {"X-CSRFToken": self.client.cookies["csrftoken"].value}

    def get(self, path: str, **extra: Any) -> Any:
        return self.client.get(path, **extra)

    def post(self, path: str, data: dict[str, Any] | None = None) -> Any:
        return self.client.post(path, data or {}, format="json", headers=self._headers())

    def put(self, path: str, data: dict[str, Any] | None = None) -> Any:
        return self.client.put(path, data or {}, format="json", headers=self._headers())

    def delete(self, path: str, data: dict[str, Any] | None = None) -> Any:
        return self.client.delete(path, data or {}, format="json", headers=self._headers())

    def login(self, password: str, **who: str) -> Any:
        return self.post(f"{BROWSER}/auth/login", {**who, "password": password})


def totp_code(secret: str, *, step: int = 0) -> str:
    """What an authenticator app shows for `secret` now (`step` periods later)."""
    period = int(getattr(settings, "MFA_TOTP_PERIOD", 30))
    return format_hotp_value(hotp_value(secret, int(time.time()) // period + step))
