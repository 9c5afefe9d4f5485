"""The browser app's HTML shell: built assets, CSP without inline script, CSRF cookie, security headers."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("built_frontend")]


@pytest.mark.parametrize("path", ["/", "/login", "/projects", "/projects/12", "/settings/tokens"])
def test_every_app_route_serves_the_shell(path: str, built_frontend) -> None:
    resp = Client().get(path)
    assert resp.status_code == 200
    html = resp.content.decode()
    entry = json.loads(built_frontend.read_text())["src/main.tsx"]["file"]
    assert f'src="/static/{entry}"' in html
    assert '<div id="root"></div>' in html
    # No inline script at all: every <script> has a src.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "csrftoken" in resp.cookies


def test_security_headers() -> None:
    resp = Client().get("/login")
    csp = resp["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert resp["X-Frame-Options"] == "DENY"
    assert resp["X-Content-Type-Options"] == "nosniff"
    assert resp["Referrer-Policy"] == "same-origin"


def _directives(policy: str) -> dict[str, list[str]]:
    """The policy as directive -> sources; the header's directive order is not part of its meaning."""
    parsed: dict[str, list[str]] = {}
    for part in filter(str.strip, policy.split(";")):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


def test_the_style_nonce_is_the_pages_own_and_changes_per_request(built_frontend) -> None:
    """Libraries that style a shadow root (wavesurfer.js) read the nonce from the page; scripts get none."""
    nonces = []
    for _ in range(2):
        resp = Client().get("/login")
        nonce = re.search(r'<meta name="csp-nonce" content="([^"]+)">', resp.content.decode())
        assert nonce, "the shell carries no nonce"
        directives = _directives(resp["Content-Security-Policy"])
        assert directives["style-src"] == ["'self'", f"'nonce-{nonce.group(1)}'"]
        assert directives["script-src"] == ["'self'"]
        nonces.append(nonce.group(1))
    assert nonces[0] != nonces[1]


def test_built_assets_are_served(built_frontend) -> None:
    entry = json.loads(built_frontend.read_text())["src/main.tsx"]["file"]
    resp = Client().get(f"/static/{entry}")
    assert resp.status_code == 200
    assert b"".join(resp.streaming_content)  # type: ignore[attr-defined]
