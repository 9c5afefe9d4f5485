"""Webhook rules without the database: the events, the signature, the retry schedule and which targets are refused.

Signature: the `Atelier-Signature` header is `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" under the
endpoint's secret>`. A receiver recomputes it over the raw body, compares in constant time, and refuses a timestamp
older than a few minutes (a replay). `verify_signature` does exactly that and needs only the standard library.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import random
import time
from urllib.parse import urlsplit

from django.utils.translation import gettext

EVENTS = (
    "contribution.submitted",
    "contribution.approved",
    "contribution.rejected",
    "payout.confirmed",
    "payout.failed",
    "payout.returned",
    "dataset_version.built",
)
PLATFORM_EVENTS = frozenset({"payout.confirmed", "payout.failed", "payout.returned"})
RETRIES = 3
FIRST_RETRY_SECONDS = 60
MAX_RETRY_SECONDS = 3600
SIGNATURE_TOLERANCE_SECONDS = 300
# Cloud metadata services answer on these whatever the network: never a webhook target.
METADATA = frozenset({ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")})


def signature_header(secret: str, body: bytes, timestamp: int | None = None) -> str:
    t = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


def verify_signature(
    secret: str, header: str, body: bytes, *, now: float | None = None, tolerance: int = SIGNATURE_TOLERANCE_SECONDS
) -> bool:
    """What a receiver runs on each request: the HMAC matches and the timestamp is recent."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        t = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - t) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts.get("v1", ""))


def retry_delay(retry: int, rnd: random.Random | None = None, first: int = FIRST_RETRY_SECONDS) -> float:
    """Seconds before retry number `retry` (1-based): from `first`, doubling, ±10 % jitter, at most an hour."""
    base = min(MAX_RETRY_SECONDS, first * 2 ** (retry - 1))
    jitter = (rnd or random.Random()).uniform(-0.1, 0.1) * base  # noqa: S311 (spreading retries, not a secret)
    return float(min(MAX_RETRY_SECONDS, max(1.0, base + jitter)))


class TargetRefused(ValueError):
    pass


def check_url(url: str) -> tuple[str, int]:
    """The host and port of an http(s) URL without credentials; TargetRefused says what is wrong."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise TargetRefused(gettext("Not a valid URL: %(exc)s.") % {"exc": exc}) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetRefused(gettext("The URL must be http:// or https:// with a host."))
    if parts.username or parts.password:
        raise TargetRefused(gettext("Put no credentials in the URL; the signature authenticates the sender."))
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


def refused_reason(address: str, allowed: list[str]) -> str | None:
    """Why a target address is refused (None: allowed). Loopback, private, link-local, metadata and other
    non-public addresses are refused unless an allow-list entry (an address or a network) covers them."""
    ip = ipaddress.ip_address(address)
    for entry in allowed:
        try:
            if ip in ipaddress.ip_network(entry, strict=False):
                return None
        except ValueError:
            continue
    if ip in METADATA:
        return f"{ip} is a cloud metadata address."
    if ip.is_loopback:
        return f"{ip} is a loopback address."
    if ip.is_link_local:
        return f"{ip} is a link-local address."
    if ip.is_private:
        return f"{ip} is a private address."
    if ip.is_multicast or ip.is_reserved or ip.is_unspecified:
        return f"{ip} is not a public unicast address."
    return None
