"""PayPal Payouts (REST, v1), through `requests`: PayPal publishes no maintained Python SDK for Payouts, and its
REST reference is the contract (https://developer.paypal.com/docs/api/payments.payouts-batch/v1/).

- OAuth 2.0 client credentials: one access token per client id, kept until shortly before it expires, fetched again
  when PayPal answers 401 `invalid_token` (then the call is made once more).
- A batch is sent with `sender_batch_header.sender_batch_id` = our batch key and the same key in `PayPal-Request-Id`:
  PayPal completes a payment only once for a sender_batch_id used within 30 days, and a repeated request id answers
  the first answer again. A send whose answer was lost is sent again with the same key; if PayPal has the batch, it
  answers `USER_BUSINESS_ERROR` with a link to it, which is read instead.
- Each item carries `sender_item_id` = the payout's idempotency key, so an item is found by our key in any batch.
- Webhooks are verified by PayPal's own verification call (`/v1/notifications/verify-webhook-signature`) with the
  transmission headers PayPal sent and our webhook id; anything else is refused.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

import requests

from annotations.domain.money import exponent_of
from annotations.providers.rails import PermanentRailError, TransientProviderError, WebhookRejected
from annotations.providers.rails.types import RailBatch, RailEvent, RailItem, RailItemStatus, RailStatus

MAX_ITEMS_PER_BATCH = 15_000  # "Exceeding 15,000 payouts in one call returns the HTTP 400 (Bad Request)"
PAGE_SIZE = 1000  # the most items GET /v1/payments/payouts/{id} answers per page

# PayPal's transaction_status of an item, in our words. UNCLAIMED: the money left us but the receiver has no
# PayPal account yet; PayPal returns it after 30 days (RETURNED) unless they sign up.
ITEM_STATUS: dict[str, RailStatus] = {
    "SUCCESS": "confirmed",
    "PENDING": "pending",
    "NEW": "pending",
    "UNCLAIMED": "pending",
    "ONHOLD": "held",
    "FAILED": "failed",
    "DENIED": "failed",
    "BLOCKED": "failed",
    "CANCELED": "failed",
    "RETURNED": "returned",
    "REFUNDED": "reversed",
    "REVERSED": "reversed",
}

# Payouts' webhook event types and the item status each one reports.
EVENT_STATUS: dict[str, RailStatus] = {
    "PAYMENT.PAYOUTS-ITEM.SUCCEEDED": "confirmed",
    "PAYMENT.PAYOUTS-ITEM.UNCLAIMED": "pending",
    "PAYMENT.PAYOUTS-ITEM.HELD": "held",
    "PAYMENT.PAYOUTS-ITEM.FAILED": "failed",
    "PAYMENT.PAYOUTS-ITEM.DENIED": "failed",
    "PAYMENT.PAYOUTS-ITEM.BLOCKED": "failed",
    "PAYMENT.PAYOUTS-ITEM.CANCELED": "failed",
    "PAYMENT.PAYOUTS-ITEM.RETURNED": "returned",
    "PAYMENT.PAYOUTS-ITEM.REFUNDED": "reversed",
}

# Currencies PayPal Payouts pays in (https://developer.paypal.com/docs/reports/reference/paypal-supported-currencies/)
CURRENCIES = frozenset(
    [
        "AUD",
        "BRL",
        "CAD",
        "CNY",
        "CZK",
        "DKK",
        "EUR",
        "HKD",
        "HUF",
        "ILS",
        "JPY",
        "MYR",
        "MXN",
        "TWD",
        "NZD",
        "NOK",
        "PHP",
        "PLN",
        "GBP",
        "SGD",
        "SEK",
        "CHF",
        "THB",
        "USD",
    ]
)
# Countries whose residents cannot receive PayPal payouts (PayPal is not offered there, or sanctions apply).
UNSERVED_COUNTRIES = frozenset(
    ["AF", "BY", "CF", "CU", "IR", "IQ", "KP", "LB", "LY", "MM", "RU", "SD", "SO", "SS", "SY", "YE", "ZW"]
)

_TOKENS: dict[tuple[str, str], tuple[str, float]] = {}
_TOKENS_LOCK = threading.Lock()


def amount_value(amount_minor: int, currency: str) -> str:
    """Minor units as PayPal's decimal string: 1234 USD is "12.34", 500 JPY is "500"."""
    exp = exponent_of(currency)
    return f"{Decimal(amount_minor).scaleb(-exp):.{exp}f}"


def minor_of(value: str, currency: str) -> int:
    return int(Decimal(value).scaleb(exponent_of(currency)))


class PayPalPayouts:
    name = "paypal"

    def __init__(self, *, api_base: str, client_id: str, client_secret: str, webhook_id: str = "") -> None:
        self.api_base = api_base.rstrip("/")
        self.client_id, self.client_secret, self.webhook_id = client_id, client_secret, webhook_id
        self.session = requests.Session()

    # --- Transport ---------------------------------------------------------------------------------------------
    def _token(self, *, fresh: bool = False) -> str:
        cache_key = (self.api_base, self.client_id)
        with _TOKENS_LOCK:
            cached = _TOKENS.get(cache_key)
            if cached and not fresh and cached[1] > time.monotonic():
                return cached[0]
        try:
            resp = self.session.post(
                f"{self.api_base}/v1/oauth2/token",
                data={"grant_type": "client_credentials"},
                auth=(self.client_id, self.client_secret),
                headers={"Accept": "application/json"},
                timeout=20,
            )
        except requests.RequestException as exc:
            raise TransientProviderError(f"PayPal did not answer: {exc}") from exc
        if resp.status_code == 429 or resp.status_code >= 500:
            raise TransientProviderError(f"{resp.status_code} from PayPal's token endpoint")
        body = _json(resp)
        if resp.status_code != 200:
            raise PermanentRailError(
                str(body.get("error", resp.status_code)), str(body.get("error_description", "")), _debug_id(resp)
            )
        token, lifetime = str(body["access_token"]), int(body.get("expires_in", 0))
        with _TOKENS_LOCK:
            _TOKENS[cache_key] = (token, time.monotonic() + max(0, lifetime - 60))
        return token

    def _call(
        self,
        method: str,
        path: str,
        *,
        body: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
        request_id: str = "",
    ) -> requests.Response:
        for attempt in (0, 1):
            headers = {"Authorization": f"Bearer {self._token(fresh=attempt > 0)}", "Accept": "application/json"}
            if request_id:
                headers["PayPal-Request-Id"] = request_id
            try:
                resp = self.session.request(
                    method, f"{self.api_base}{path}", json=body, params=params, headers=headers, timeout=30
                )
            except requests.RequestException as exc:
                raise TransientProviderError(f"PayPal did not answer: {exc}") from exc
            if resp.status_code == 401 and attempt == 0:
                continue  # the token expired or was revoked: fetch another and try once more
            if resp.status_code == 429 or resp.status_code >= 500:
                raise TransientProviderError(f"{resp.status_code} from PayPal ({_debug_id(resp)})")
            return resp
        return resp

    # --- Payouts -------------------------------------------------------------------------------------------------
    def send_batch(
        self, *, batch_key: str, items: list[RailItem], email_subject: str = "You have a payout from Atelier"
    ) -> RailBatch:
        """Send up to 15,000 payouts in one call. Safe to repeat with the same key: PayPal pays a batch once."""
        if not 1 <= len(items) <= MAX_ITEMS_PER_BATCH:
            raise ValueError(f"a PayPal batch holds 1 to {MAX_ITEMS_PER_BATCH} items, not {len(items)}")
        payload = {
            "sender_batch_header": {"sender_batch_id": batch_key, "email_subject": email_subject},
            "items": [
                {
                    "recipient_type": "EMAIL" if "@" in item.receiver else "PAYPAL_ID",
                    "receiver": item.receiver,
                    "amount": {"value": amount_value(item.amount_minor, item.currency), "currency": item.currency},
                    "sender_item_id": item.key,
                    **({"note": item.note[:1000]} if item.note else {}),
                }
                for item in items
            ],
        }
        resp = self._call("POST", "/v1/payments/payouts", body=payload, request_id=batch_key)
        body = _json(resp)
        if resp.status_code in (200, 201):
            header = body["batch_header"]
            return RailBatch(ref=str(header["payout_batch_id"]), status=str(header["batch_status"]))
        existing = _existing_batch_link(body)
        if existing:  # sent before (our answer was lost): PayPal has it and says where
            return self.batch(existing.rsplit("/", 1)[-1])
        raise _refusal(resp, body)

    def batch(self, batch_ref: str) -> RailBatch:
        """The batch and every item in it, page by page."""
        items: list[RailItemStatus] = []
        status = ""
        page = 1
        while True:
            resp = self._call(
                "GET",
                f"/v1/payments/payouts/{batch_ref}",
                params={"page": str(page), "page_size": str(PAGE_SIZE), "total_required": "true"},
            )
            body = _json(resp)
            if resp.status_code != 200:
                raise _refusal(resp, body)
            status = str(body["batch_header"]["batch_status"])
            items += [_item_status(i) for i in body.get("items", [])]
            if page >= int(body.get("total_pages", 1)):
                return RailBatch(ref=batch_ref, status=status, items=items)
            page += 1

    def items(self, batch_ref: str) -> Iterator[RailItemStatus]:
        yield from self.batch(batch_ref).items

    def item(self, item_ref: str) -> RailItemStatus:
        resp = self._call("GET", f"/v1/payments/payouts-item/{item_ref}")
        body = _json(resp)
        if resp.status_code != 200:
            raise _refusal(resp, body)
        return _item_status(body)

    # --- Webhooks ------------------------------------------------------------------------------------------------
    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> RailEvent:
        """Verify a webhook through PayPal's verification call and read it. Raises WebhookRejected."""
        lower = {k.lower(): v for k, v in headers.items()}
        try:
            event = json.loads(body)
        except ValueError:
            raise WebhookRejected("The body is not JSON.") from None
        needed = ("paypal-auth-algo", "paypal-cert-url", "paypal-transmission-id", "paypal-transmission-sig")
        if not self.webhook_id or not isinstance(event, dict) or any(not lower.get(h) for h in needed):
            raise WebhookRejected("PayPal's transmission headers are missing.")
        resp = self._call(
            "POST",
            "/v1/notifications/verify-webhook-signature",
            body={
                "auth_algo": lower["paypal-auth-algo"],
                "cert_url": lower["paypal-cert-url"],
                "transmission_id": lower["paypal-transmission-id"],
                "transmission_sig": lower["paypal-transmission-sig"],
                "transmission_time": lower.get("paypal-transmission-time", ""),
                "webhook_id": self.webhook_id,
                "webhook_event": event,
            },
        )
        if resp.status_code != 200 or _json(resp).get("verification_status") != "SUCCESS":
            raise WebhookRejected("PayPal did not verify the signature.")
        kind = str(event.get("event_type", ""))
        resource = event.get("resource") or {}
        item = None
        if kind in EVENT_STATUS and isinstance(resource, dict) and resource.get("payout_item"):
            item = _item_status(resource, status=EVENT_STATUS[kind])
        return RailEvent(id=str(event.get("id", "")), type=kind, item=item, raw=event)

    # --- Reach ---------------------------------------------------------------------------------------------------
    @staticmethod
    def can_pay(*, country: str, currency: str) -> str | None:
        """None when PayPal can pay someone in `country` in `currency`; otherwise what to tell them."""
        if country.upper() in UNSERVED_COUNTRIES:
            return "PayPal cannot pay out to accounts in your country; choose another payout method."
        if currency.upper() not in CURRENCIES:
            return f"PayPal does not pay out in {currency.upper()}; choose one of {', '.join(sorted(CURRENCIES))}."
        return None


def _json(resp: requests.Response) -> dict[str, Any]:
    try:
        body = resp.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _debug_id(resp: requests.Response) -> str:
    return resp.headers.get("Paypal-Debug-Id", "") or str(_json(resp).get("debug_id", ""))


def _refusal(resp: requests.Response, body: dict[str, Any]) -> PermanentRailError:
    details = "; ".join(
        ": ".join(str(d[k]) for k in ("field", "issue") if d.get(k))
        for d in body.get("details", [])
        if isinstance(d, dict)
    )
    message = str(body.get("message", resp.reason)) + (f" ({details})" if details else "")
    return PermanentRailError(str(body.get("name", resp.status_code)), message, str(body.get("debug_id", "")))


def _existing_batch_link(body: dict[str, Any]) -> str:
    """The link to the batch that already has our sender_batch_id, from PayPal's duplicate refusal."""
    if body.get("name") != "USER_BUSINESS_ERROR":
        return ""
    for detail in body.get("details", []):
        if isinstance(detail, dict) and str(detail.get("field", "")).upper() == "SENDER_BATCH_ID":
            for link in detail.get("link", []) or []:
                if isinstance(link, dict) and link.get("rel") == "self" and link.get("href"):
                    return str(link["href"])
    return ""


def _item_status(body: dict[str, Any], status: RailStatus | None = None) -> RailItemStatus:
    item = body.get("payout_item") or {}
    amount = item.get("amount") or {}
    currency = str(amount.get("currency", ""))
    errors = body.get("errors") or {}
    return RailItemStatus(
        key=str(item.get("sender_item_id", "")),
        ref=str(body.get("payout_item_id", "")),
        status=status or ITEM_STATUS.get(str(body.get("transaction_status", "")), "pending"),
        amount_minor=minor_of(str(amount["value"]), currency) if amount.get("value") and currency else None,
        currency=currency,
        reason=str(errors.get("message", "") if isinstance(errors, dict) else ""),
    )
