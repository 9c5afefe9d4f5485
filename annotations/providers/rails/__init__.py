"""Adapters for the payout rails Atelier pays people through (PayPal Payouts, Stripe Connect).

Each adapter speaks the rail's documented API through the rail's own client (the `stripe` SDK; `requests` for
PayPal's REST API, which has no maintained Python SDK for Payouts) and turns what the rail says into the small types
of `types.py`. Errors come in two kinds: `TransientProviderError` (no answer, 429 or 5xx: try again later with the
same idempotency key) and `PermanentRailError` (the rail refused the request: retrying it unchanged cannot help).
"""

from __future__ import annotations

from annotations.providers.payouts import TransientProviderError


class PermanentRailError(Exception):
    """The rail refused the request (4xx other than 429), with its own error code and request id."""

    def __init__(self, code: str, message: str, request_id: str = "") -> None:
        super().__init__(f"{code}: {message}")
        self.code, self.message, self.request_id = code, message, request_id


class WebhookRejected(Exception):
    """A webhook whose signature the rail's verification did not accept: answer 400 and change nothing."""


__all__ = ["PermanentRailError", "TransientProviderError", "WebhookRejected"]
