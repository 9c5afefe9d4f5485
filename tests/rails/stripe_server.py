"""A Stripe API server on loopback, for driving the real `stripe` SDK in tests.

It answers the few endpoints the Stripe Connect rail uses the way Stripe's API reference documents them:
form-encoded bodies with the nested `a[b]=c` syntax, `Authorization: Bearer sk_…`, a `Request-Id` on every answer,
Stripe's error shape, list objects with `has_more`, and idempotency as https://docs.stripe.com/api/idempotent_requests
describes it (the first answer to a key is saved once the endpoint starts executing and replayed with
`Idempotent-Replayed: true`; the same key with other parameters is an `idempotency_error`; a key whose first request
is still running answers 409 `idempotency_key_in_use`; keys are per API key). Parameter validation errors are not
saved, as Stripe does not save them.

Endpoints: POST /v1/accounts, GET /v1/accounts/{id}, POST /v1/account_links, POST /v1/transfers, GET /v1/transfers,
GET /v1/transfers/{id}, POST /v1/transfers/{id}/reversals, and the hosted onboarding page an account link points at
(GET /connect/onboarding/{token}: a form whose POST activates the account and 303-redirects to the return_url).
Webhooks (`account.updated`, `transfer.created`, `transfer.reversed`) go to `webhook_url` when one is set, signed
as Stripe signs them.

Counting and faults for tests, in process (`StripeServer` methods) or from another process over HTTP:
GET /_test/state and POST /_test/faults (JSON) give the same answers as `state()` and `set_faults()`.

Run on its own: `python -m tests.rails.stripe_server --port 0 --webhook-secret whsec_x` prints its URL on the first
line of stdout and serves until killed.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import hmac
import html
import json
import re
import secrets
import string
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

# The version the pinned SDK (stripe 16.1.0) sends in Stripe-Version; echoed back when a request names none.
API_VERSION = "2026-10-28.endive"
LINK_LIFETIME_SECONDS = 300  # account links expire after a few minutes
_ALNUM = string.ascii_letters + string.digits

# A connected account's currency, by country (the ones tests use; others default to EUR).
_COUNTRY_CURRENCY = {"US": "usd", "CA": "cad", "GB": "gbp", "CH": "chf", "BR": "brl", "IN": "inr", "PL": "pln"}

# What an individual's Express account has to provide before it can receive transfers.
_INITIAL_REQUIREMENTS = [
    "business_profile.mcc",
    "business_profile.url",
    "external_account",
    "individual.address.city",
    "individual.address.line1",
    "individual.address.postal_code",
    "individual.dob.day",
    "individual.dob.month",
    "individual.dob.year",
    "individual.email",
    "individual.first_name",
    "individual.last_name",
    "tos_acceptance.date",
    "tos_acceptance.ip",
]


def new_id(prefix: str, length: int = 24) -> str:
    return prefix + "_" + "".join(secrets.choice(_ALNUM) for _ in range(length))


def decode_form(text: str) -> dict[str, Any]:
    """Stripe's form encoding: `a[b][c]=v` nests, `a[0]=x&a[1]=y` is a list, `a=` is an empty string."""
    root: dict[str, Any] = {}
    for raw_key, value in parse_qsl(text, keep_blank_values=True):
        parts = [raw_key.split("[", 1)[0], *re.findall(r"\[([^\]]*)\]", raw_key)]
        node = root
        for part in parts[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        node[parts[-1]] = value
    return _lists(root)


def _lists(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    converted = {k: _lists(v) for k, v in node.items()}
    if converted and all(k.isdigit() for k in converted):
        return [converted[k] for k in sorted(converted, key=int)]
    return converted


class ApiError(Exception):
    """An answer in Stripe's error shape. `saved`: whether the idempotency layer keeps it (false for validation)."""

    def __init__(
        self,
        status: int,
        type_: str,
        message: str,
        *,
        code: str | None = None,
        param: str | None = None,
        saved: bool = True,
    ) -> None:
        super().__init__(message)
        self.status, self.type, self.message, self.code, self.param, self.saved = (
            status,
            type_,
            message,
            code,
            param,
            saved,
        )

    def body(self, request_id: str) -> dict[str, Any]:
        error: dict[str, Any] = {"type": self.type, "message": self.message}
        if self.code:
            error["code"] = self.code
            error["doc_url"] = f"https://docs.stripe.com/error-codes/{self.code.replace('_', '-')}"
        if self.param:
            error["param"] = self.param
        error["request_log_url"] = f"https://dashboard.stripe.com/test/logs/{request_id}"
        return {"error": error}


def _missing(param: str) -> ApiError:
    return ApiError(
        400, "invalid_request_error", f"Missing required param: {param}.", code="parameter_missing", param=param,
        saved=False,
    )  # fmt: skip


def _unknown_params(params: dict[str, Any], allowed: set[str]) -> None:
    for name in params:
        if name not in allowed:
            raise ApiError(
                400, "invalid_request_error", f"Received unknown parameter: {name}", code="parameter_unknown",
                param=name, saved=False,
            )  # fmt: skip


def _integer(params: dict[str, Any], name: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    raw = params[name]
    if not isinstance(raw, str) or not re.fullmatch(r"-?\d+", raw):
        raise ApiError(
            400, "invalid_request_error", f"Invalid integer: {raw}", code="parameter_invalid_integer", param=name,
            saved=False,
        )  # fmt: skip
    value = int(raw)
    if minimum is not None and value < minimum:
        raise ApiError(
            400, "invalid_request_error", f"This value must be greater than or equal to {minimum}.",
            code="parameter_invalid_integer", param=name, saved=False,
        )  # fmt: skip
    if maximum is not None and value > maximum:
        raise ApiError(
            400, "invalid_request_error", f"This value must be less than or equal to {maximum}.",
            code="parameter_invalid_integer", param=name, saved=False,
        )  # fmt: skip
    return value


@dataclass
class _Saved:
    """The first answer to an idempotency key."""

    fingerprint: str
    status: int
    body: dict[str, Any]
    request_id: str


@dataclass
class _Answer:
    status: int
    body: dict[str, Any]
    headers: dict[str, str]


class StripeServer:
    """The loopback Stripe. State is behind one lock; each request runs on its own thread."""

    def __init__(
        self,
        *,
        webhook_secret: str = "whsec_loopback",
        host: str = "127.0.0.1",
        port: int = 0,
        webhook_url: str | None = None,
    ) -> None:
        self.webhook_secret = webhook_secret
        self.webhook_url = webhook_url
        self._lock = threading.Lock()
        self._accounts: dict[str, dict[str, Any]] = {}
        self._links: dict[str, dict[str, Any]] = {}
        self._transfers: list[dict[str, Any]] = []  # in creation order
        self._idempotency: dict[tuple[str, str], _Saved] = {}
        self._in_flight: set[tuple[str, str]] = set()
        self._requests_seen: Counter[str] = Counter()
        self._fail_remaining = 0
        self._fail_status = 500
        self._drop_remaining = 0
        self._delay = 0.0
        self._deliveries: list[dict[str, Any]] = []
        self._httpd = ThreadingHTTPServer((host, port), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    # --- life ---------------------------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> StripeServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(0.05,), name="stripe-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def serve_forever(self) -> None:
        self._httpd.serve_forever()

    # --- counting and faults (the same answers as GET /_test/state and POST /_test/faults) -----------------------
    def transfers_by_key(self) -> dict[str, int]:
        """How many distinct transfers the rail made per `payout_key` metadata (1 each for exactly-once)."""
        with self._lock:
            counts: Counter[str] = Counter(t["metadata"].get("payout_key", "") for t in self._transfers)
        return dict(counts)

    @property
    def requests_seen(self) -> dict[str, int]:
        """API requests received, per path (faulted and replayed ones included)."""
        with self._lock:
            return dict(self._requests_seen)

    def state(self) -> dict[str, Any]:
        with self._lock:
            accounts = {
                acct_id: {
                    "payouts_enabled": acct["payouts_enabled"],
                    "transfers": acct["capabilities"].get("transfers", "unrequested"),
                    "currently_due": list(acct["requirements"]["currently_due"]),
                    "country": acct["country"],
                }
                for acct_id, acct in self._accounts.items()
            }
            deliveries = list(self._deliveries)
            seen = dict(self._requests_seen)
            transfers = len(self._transfers)
        return {
            "transfers_by_key": self.transfers_by_key(),
            "transfers": transfers,
            "accounts": accounts,
            "requests_seen": seen,
            "webhook_deliveries": deliveries,
            "faults": self.faults(),
        }

    def faults(self) -> dict[str, Any]:
        with self._lock:
            return {
                "fail_next": self._fail_remaining,
                "status": self._fail_status,
                "drop_after_next": self._drop_remaining,
                "delay": self._delay,
            }

    def set_faults(
        self,
        *,
        fail_next: int | None = None,
        status: int | None = None,
        drop_after_next: int | None = None,
        delay: float | None = None,
    ) -> dict[str, Any]:
        with self._lock:
            if fail_next is not None:
                self._fail_remaining = fail_next
            if status is not None:
                self._fail_status = status
            if drop_after_next is not None:
                self._drop_remaining = drop_after_next
            if delay is not None:
                self._delay = delay
        return self.faults()

    def fail_next(self, n: int, status: int = 500) -> None:
        """Answer the next `n` API requests with a Stripe-shaped `api_error` without acting on them. Nothing is saved
        under their idempotency keys: the endpoint never started executing."""
        self.set_faults(fail_next=n, status=status)

    def drop_after_next(self, n: int) -> None:
        """Act on the next `n` API requests (and save their answers), then close the connection without answering."""
        self.set_faults(drop_after_next=n)

    @property
    def delay(self) -> float:
        return float(self.faults()["delay"])

    @delay.setter
    def delay(self, seconds: float) -> None:
        """Seconds each API request spends executing (its idempotency key held) before the answer."""
        self.set_faults(delay=seconds)

    # --- webhooks -----------------------------------------------------------------------------------------------
    def signed_event(
        self,
        event_type: str,
        obj: dict[str, Any],
        *,
        previous_attributes: dict[str, Any] | None = None,
        timestamp: int | None = None,
        secret: str | None = None,
    ) -> tuple[bytes, str]:
        """An event as Stripe delivers it: the JSON payload and its `Stripe-Signature` header (`t=…,v1=…`, the v1
        being the hex HMAC-SHA256 of f"{t}.{payload}" with the endpoint's secret)."""
        now = int(time.time())
        data: dict[str, Any] = {"object": obj}
        if previous_attributes is not None:
            data["previous_attributes"] = previous_attributes
        event = {
            "id": new_id("evt"),
            "object": "event",
            "api_version": API_VERSION,
            "created": now,
            "data": data,
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": event_type,
        }
        payload = json.dumps(event, indent=2).encode()
        return payload, sign(payload, secret or self.webhook_secret, timestamp if timestamp is not None else now)

    def _deliver(self, event_type: str, obj: dict[str, Any], previous: dict[str, Any] | None = None) -> None:
        url = self.webhook_url
        if not url:
            return
        payload, header = self.signed_event(event_type, obj, previous_attributes=previous)
        request = urllib.request.Request(
            url,
            data=payload,
            method="POST",
            headers={"Content-Type": "application/json; charset=utf-8", "Stripe-Signature": header},
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                status = int(response.status)
        except urllib.error.HTTPError as exc:
            status = exc.code
        except OSError:
            status = 0
        with self._lock:
            self._deliveries.append({"id": json.loads(payload)["id"], "type": event_type, "status": status})

    # --- requests -----------------------------------------------------------------------------------------------
    def _handle_api(self, method: str, path: str, query: str, headers: Any, body: str) -> _Answer | None:
        """One API request; None means: close the connection without answering."""
        request_id = new_id("req", 14)
        with self._lock:
            self._requests_seen[path] += 1
        base_headers = {"Request-Id": request_id, "Stripe-Version": headers.get("Stripe-Version") or API_VERSION}

        auth = headers.get("Authorization") or ""
        api_key = auth[len("Bearer ") :] if auth.startswith("Bearer ") else ""
        if not api_key:
            error = ApiError(
                401, "invalid_request_error",
                "You did not provide an API key. You need to provide your API key in the Authorization header, "
                "using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
            )  # fmt: skip
            return _Answer(401, error.body(request_id), base_headers)
        if not re.fullmatch(r"sk_(test|live)_[A-Za-z0-9]+", api_key):
            shown = api_key[:8] + "*" * max(len(api_key) - 12, 0) + api_key[-4:]
            error = ApiError(401, "invalid_request_error", f"Invalid API Key provided: {shown}")
            return _Answer(401, error.body(request_id), base_headers)

        with self._lock:
            failing = self._fail_remaining > 0
            if failing:
                self._fail_remaining -= 1
            fail_status = self._fail_status
        if failing:
            error = ApiError(
                fail_status, "api_error",
                "An unknown error occurred. Please retry the request (with the same idempotency key).",
            )  # fmt: skip
            return _Answer(fail_status, error.body(request_id), {**base_headers, "Stripe-Should-Retry": "true"})

        params = decode_form(body if method == "POST" else query)
        idem = headers.get("Idempotency-Key") if method == "POST" else None
        slot = (api_key, idem) if idem else None
        fingerprint = json.dumps([method, path, params], sort_keys=True)
        answer_headers = dict(base_headers)
        if idem:
            answer_headers["Idempotency-Key"] = idem

        if slot is not None:
            with self._lock:
                saved = self._idempotency.get(slot)
                busy = saved is None and slot in self._in_flight
                if saved is None and not busy:
                    self._in_flight.add(slot)
            if saved is not None:
                if saved.fingerprint != fingerprint:
                    error = ApiError(
                        400, "idempotency_error",
                        "Keys for idempotent requests can only be used with the same parameters they were first "
                        f"used with. Try using a key other than '{idem}' if you meant to execute a different request.",
                    )  # fmt: skip
                    return self._maybe_drop(_Answer(400, error.body(request_id), answer_headers))
                replay = {**answer_headers, "Idempotent-Replayed": "true", "Original-Request": saved.request_id}
                return self._maybe_drop(_Answer(saved.status, saved.body, replay))
            if busy:
                error = ApiError(
                    409, "invalid_request_error",
                    "There is currently another in-progress request using this Stripe idempotency key (that "
                    "probably means you submitted twice, and the other request is still going through): "
                    f"{idem}. Please try again later.",
                    code="idempotency_key_in_use",
                )  # fmt: skip
                return self._maybe_drop(_Answer(409, error.body(request_id), answer_headers))

        try:
            delay = self.delay
            if delay:
                time.sleep(delay)
            after: list[tuple[str, dict[str, Any], dict[str, Any] | None]] = []
            try:
                with self._lock:
                    status, payload = self._route(method, path, params, request_id, idem, after)
                saved_answer = True
            except ApiError as exc:
                status, payload, saved_answer = exc.status, exc.body(request_id), exc.saved
            if slot is not None and saved_answer:
                with self._lock:
                    self._idempotency[slot] = _Saved(fingerprint, status, payload, request_id)
        finally:
            if slot is not None:
                with self._lock:
                    self._in_flight.discard(slot)
        for event_type, obj, previous in after:
            self._deliver(event_type, obj, previous)
        return self._maybe_drop(_Answer(status, payload, answer_headers))

    def _maybe_drop(self, answer: _Answer) -> _Answer | None:
        with self._lock:
            if self._drop_remaining > 0:
                self._drop_remaining -= 1
                return None
        return answer

    def _route(
        self,
        method: str,
        path: str,
        params: dict[str, Any],
        request_id: str,
        idem: str | None,
        after: list[tuple[str, dict[str, Any], dict[str, Any] | None]],
    ) -> tuple[int, dict[str, Any]]:
        """Runs under the lock."""
        if method == "POST" and path == "/v1/accounts":
            return 200, self._create_account(params)
        if method == "GET" and (m := re.fullmatch(r"/v1/accounts/([^/]+)", path)):
            return 200, self._account(m.group(1))
        if method == "POST" and path == "/v1/account_links":
            return 200, self._create_link(params)
        if method == "POST" and path == "/v1/transfers":
            transfer = self._create_transfer(params, request_id, idem)
            after.append(("transfer.created", transfer, None))
            return 200, transfer
        if method == "GET" and path == "/v1/transfers":
            return 200, self._list_transfers(params)
        if method == "GET" and (m := re.fullmatch(r"/v1/transfers/([^/]+)", path)):
            return 200, self._transfer(m.group(1), "id")
        if method == "POST" and (m := re.fullmatch(r"/v1/transfers/([^/]+)/reversals", path)):
            reversal, transfer = self._reverse(m.group(1), params)
            if transfer["reversed"]:
                after.append(("transfer.reversed", transfer, None))
            return 200, reversal
        raise ApiError(
            404, "invalid_request_error",
            f"Unrecognized request URL ({method}: {path}). Please see https://stripe.com/docs or we can help at "
            "https://support.stripe.com/.",
            saved=False,
        )  # fmt: skip

    # --- accounts -----------------------------------------------------------------------------------------------
    def _create_account(self, params: dict[str, Any]) -> dict[str, Any]:
        _unknown_params(
            params, {"type", "country", "email", "business_type", "capabilities", "metadata", "expand", "controller"}
        )
        account_type = params.get("type", "custom")
        if account_type not in {"custom", "express", "standard"}:
            raise ApiError(
                400, "invalid_request_error", "Invalid type: must be one of custom, express, or standard",
                code="parameter_invalid_string", param="type", saved=False,
            )  # fmt: skip
        country = str(params.get("country", "US")).upper()
        if not re.fullmatch(r"[A-Z]{2}", country):
            raise ApiError(
                400, "invalid_request_error", f"Country '{country}' is unknown. Try using a 2-character alphanumeric "
                "country code instead, such as 'US', 'EG', or 'GB'.", code="country_unsupported", param="country",
                saved=False,
            )  # fmt: skip
        capabilities_requested = params.get("capabilities") or {}
        capabilities = {
            name: "inactive"
            for name, wanted in capabilities_requested.items()
            if isinstance(wanted, dict) and wanted.get("requested") == "true"
        }
        account = {
            "id": new_id("acct", 16),
            "object": "account",
            "business_profile": {"mcc": None, "name": None, "url": None},
            "business_type": params.get("business_type"),
            "capabilities": capabilities,
            "charges_enabled": False,
            "controller": {"type": "application", "is_controller": True},
            "country": country,
            "created": int(time.time()),
            "default_currency": _COUNTRY_CURRENCY.get(country, "eur"),
            "details_submitted": False,
            "email": params.get("email"),
            "external_accounts": {"object": "list", "data": [], "has_more": False, "url": ""},
            "metadata": params.get("metadata") or {},
            "payouts_enabled": False,
            "requirements": {
                "alternatives": [],
                "current_deadline": None,
                "currently_due": list(_INITIAL_REQUIREMENTS),
                "disabled_reason": "requirements.past_due",
                "errors": [],
                "eventually_due": list(_INITIAL_REQUIREMENTS),
                "past_due": list(_INITIAL_REQUIREMENTS),
                "pending_verification": [],
            },
            "settings": {"payouts": {"schedule": {"interval": "daily", "delay_days": 2}}},
            "tos_acceptance": {"date": None},
            "type": account_type,
        }
        account["external_accounts"]["url"] = f"/v1/accounts/{account['id']}/external_accounts"
        self._accounts[account["id"]] = account
        return account

    def _account(self, account_id: str) -> dict[str, Any]:
        account = self._accounts.get(account_id)
        if account is None:
            # What Stripe answers for an account that does not exist or is not the platform's.
            raise ApiError(
                403, "invalid_request_error",
                f"The provided key does not have access to account '{account_id}' (or that account does not "
                "exist). Application access may have been revoked.",
                code="account_invalid",
            )  # fmt: skip
        return account

    def _create_link(self, params: dict[str, Any]) -> dict[str, Any]:
        _unknown_params(params, {"account", "refresh_url", "return_url", "type", "collect", "collection_options"})
        for name in ("account", "type"):
            if not params.get(name):
                raise _missing(name)
        if params["type"] not in {"account_onboarding", "account_update"}:
            raise ApiError(
                400, "invalid_request_error", "Invalid type: must be one of account_onboarding or account_update",
                code="parameter_invalid_string", param="type", saved=False,
            )  # fmt: skip
        if params["account"] not in self._accounts:
            raise ApiError(
                400, "invalid_request_error", f"No such account: '{params['account']}'", code="resource_missing",
                param="account",
            )  # fmt: skip
        for name in ("refresh_url", "return_url"):
            if not re.match(r"https?://", str(params.get(name, ""))):
                raise ApiError(
                    400, "invalid_request_error", "Not a valid URL", code="url_invalid", param=name, saved=False
                )
        token = new_id("link", 20)[5:]
        now = int(time.time())
        self._links[token] = {
            "account": params["account"],
            "refresh_url": params["refresh_url"],
            "return_url": params["return_url"],
            "expires_at": now + LINK_LIFETIME_SECONDS,
            "used": False,
        }
        return {
            "object": "account_link",
            "created": now,
            "expires_at": now + LINK_LIFETIME_SECONDS,
            "url": f"{self.url}/connect/onboarding/{token}",
        }

    def _onboarding(self, method: str, token: str) -> tuple[int, dict[str, str], bytes]:
        """Stripe's hosted onboarding, reduced to one button. A used or expired link sends the person to
        refresh_url, as Stripe does, so the platform can make a new one."""
        after: list[tuple[str, dict[str, Any], dict[str, Any] | None]] = []
        with self._lock:
            link = self._links.get(token)
            if link is None:
                return 404, {"Content-Type": "text/html; charset=utf-8"}, b"<h1>This link is not valid.</h1>"
            if link["used"] or link["expires_at"] < time.time():
                return 303, {"Location": link["refresh_url"]}, b""
            account = self._accounts[link["account"]]
            if method == "GET":
                page = _ONBOARDING_PAGE.format(
                    account=html.escape(account["id"]),
                    email=html.escape(str(account.get("email") or "")),
                    action=html.escape(f"/connect/onboarding/{token}"),
                )
                return 200, {"Content-Type": "text/html; charset=utf-8"}, page.encode()
            link["used"] = True
            previous = {
                "capabilities": dict(account["capabilities"]),
                "payouts_enabled": account["payouts_enabled"],
                "requirements": {
                    "currently_due": list(account["requirements"]["currently_due"]),
                    "disabled_reason": account["requirements"]["disabled_reason"],
                },
            }
            account["capabilities"] = {name: "active" for name in account["capabilities"]}
            account["payouts_enabled"] = True
            account["charges_enabled"] = "card_payments" in account["capabilities"]
            account["details_submitted"] = True
            account["requirements"].update(currently_due=[], eventually_due=[], past_due=[], disabled_reason=None)
            account["tos_acceptance"] = {"date": int(time.time())}
            after.append(("account.updated", json.loads(json.dumps(account)), previous))
            return_url = link["return_url"]
        for event_type, obj, prev in after:
            self._deliver(event_type, obj, prev)
        return 303, {"Location": return_url}, b""

    # --- transfers ----------------------------------------------------------------------------------------------
    def _create_transfer(self, params: dict[str, Any], request_id: str, idem: str | None) -> dict[str, Any]:
        _unknown_params(
            params,
            {"amount", "currency", "destination", "description", "metadata", "transfer_group", "source_transaction",
             "source_type", "expand"},
        )  # fmt: skip
        for name in ("amount", "currency", "destination"):
            if name not in params or params[name] == "":
                raise _missing(name)
        amount = _integer(params, "amount", minimum=1)
        currency = str(params["currency"]).lower()
        if not re.fullmatch(r"[a-z]{3}", currency):
            raise ApiError(
                400, "invalid_request_error", f"Invalid currency: {currency}.", code="parameter_invalid_string",
                param="currency", saved=False,
            )  # fmt: skip
        metadata = params.get("metadata") or {}
        if not isinstance(metadata, dict):
            raise ApiError(
                400, "invalid_request_error", "Invalid object", code="parameter_invalid_string", param="metadata",
                saved=False,
            )  # fmt: skip
        destination = str(params["destination"])
        account = self._accounts.get(destination)
        if account is None:
            raise ApiError(
                400, "invalid_request_error", f"No such destination: '{destination}'", code="resource_missing",
                param="destination",
            )  # fmt: skip
        if account["capabilities"].get("transfers") != "active":
            raise ApiError(
                400, "invalid_request_error",
                "Your destination account needs to have at least one of the following capabilities enabled: "
                "transfers, crypto_transfers, legacy_payments",
                code="insufficient_capabilities_for_transfer",
            )  # fmt: skip
        transfer_id = new_id("tr", 24)
        transfer = {
            "id": transfer_id,
            "object": "transfer",
            "amount": amount,
            "amount_reversed": 0,
            "balance_transaction": new_id("txn", 24),
            "created": int(time.time()),
            "currency": currency,
            "description": params.get("description") or None,
            "destination": destination,
            "destination_payment": new_id("py", 24),
            "livemode": False,
            "metadata": metadata,
            "reversals": {
                "object": "list",
                "data": [],
                "has_more": False,
                "total_count": 0,
                "url": f"/v1/transfers/{transfer_id}/reversals",
            },
            "reversed": False,
            "source_transaction": params.get("source_transaction"),
            "source_type": params.get("source_type", "card"),
            "transfer_group": params.get("transfer_group"),
        }
        self._transfers.append(transfer)
        return transfer

    def _transfer(self, transfer_id: str, param: str) -> dict[str, Any]:
        for transfer in self._transfers:
            if transfer["id"] == transfer_id:
                return transfer
        raise ApiError(
            404, "invalid_request_error", f"No such transfer: '{transfer_id}'", code="resource_missing", param=param
        )

    def _reverse(self, transfer_id: str, params: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        _unknown_params(params, {"amount", "description", "metadata", "refund_application_fee", "expand"})
        transfer = self._transfer(transfer_id, "id")
        left = transfer["amount"] - transfer["amount_reversed"]
        if left <= 0:
            raise ApiError(400, "invalid_request_error", f"Transfer {transfer_id} has already been fully reversed.")
        amount = _integer(params, "amount", minimum=1, maximum=left) if "amount" in params else left
        reversal = {
            "id": new_id("trr", 24),
            "object": "transfer_reversal",
            "amount": amount,
            "balance_transaction": new_id("txn", 24),
            "created": int(time.time()),
            "currency": transfer["currency"],
            "destination_payment_refund": new_id("pyr", 24),
            "metadata": params.get("metadata") or {},
            "source_refund": None,
            "transfer": transfer_id,
        }
        transfer["amount_reversed"] += amount
        transfer["reversed"] = transfer["amount_reversed"] >= transfer["amount"]
        transfer["reversals"]["data"].insert(0, reversal)
        transfer["reversals"]["total_count"] += 1
        return reversal, json.loads(json.dumps(transfer))

    def _list_transfers(self, params: dict[str, Any]) -> dict[str, Any]:
        _unknown_params(params, {"limit", "starting_after", "ending_before", "created", "destination",
                                 "transfer_group", "expand"})  # fmt: skip
        limit = _integer(params, "limit", minimum=1, maximum=100) if "limit" in params else 10
        items = sorted(
            enumerate(self._transfers), key=lambda pair: (pair[1]["created"], pair[0]), reverse=True
        )  # newest first
        rows = [t for _, t in items]
        created = params.get("created")
        if isinstance(created, dict):
            bounds = {op: _integer(created, op) for op in ("gt", "gte", "lt", "lte") if op in created}
            rows = [
                t
                for t in rows
                if ("gt" not in bounds or t["created"] > bounds["gt"])
                and ("gte" not in bounds or t["created"] >= bounds["gte"])
                and ("lt" not in bounds or t["created"] < bounds["lt"])
                and ("lte" not in bounds or t["created"] <= bounds["lte"])
            ]
        elif created is not None:
            exact = _integer(params, "created")
            rows = [t for t in rows if t["created"] == exact]
        if params.get("destination"):
            rows = [t for t in rows if t["destination"] == params["destination"]]
        if params.get("starting_after"):
            position = self._position(rows, str(params["starting_after"]), "starting_after")
            rows = rows[position + 1 :]
            page, has_more = rows[:limit], len(rows) > limit
        elif params.get("ending_before"):
            position = self._position(rows, str(params["ending_before"]), "ending_before")
            rows = rows[:position]
            page, has_more = rows[-limit:], len(rows) > limit
        else:
            page, has_more = rows[:limit], len(rows) > limit
        return {"object": "list", "data": page, "has_more": has_more, "url": "/v1/transfers"}

    def _position(self, rows: list[dict[str, Any]], cursor: str, param: str) -> int:
        for index, row in enumerate(rows):
            if row["id"] == cursor:
                return index
        self._transfer(cursor, param)  # raises resource_missing when the transfer does not exist at all
        raise ApiError(400, "invalid_request_error", f"No such transfer: '{cursor}'", code="resource_missing",
                       param=param)  # fmt: skip


def sign(payload: bytes, secret: str, timestamp: int) -> str:
    """Stripe's `Stripe-Signature` header for `payload`."""
    signed = f"{timestamp}.{payload.decode()}".encode()
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


_ONBOARDING_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Set up payouts (Stripe Express, loopback)</title></head>
<body>
<h1>Set up payouts</h1>
<p>Account <code>{account}</code> ({email}). Stripe would now collect identity, tax and bank details.</p>
<form method="post" action="{action}">
<button type="submit">Complete onboarding</button>
</form>
</body>
</html>
"""


def _handler_for(server: StripeServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "stripe-loopback"
        sys_version = ""

        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def do_DELETE(self) -> None:
            self._serve("DELETE")

        def _serve(self, method: str) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            path = parts.path
            if path.startswith("/_test/"):
                self._test_endpoint(method, path, body)
                return
            if path.startswith("/connect/onboarding/") and method in {"GET", "POST"}:
                status, headers, content = server._onboarding(method, path.rsplit("/", 1)[1])
                self._send(status, headers, content)
                return
            answer = server._handle_api(method, path, parts.query, self.headers, body)
            if answer is None:  # a lost answer: the request was acted on, the connection closes unanswered
                self.close_connection = True
                return
            content = json.dumps(answer.body, indent=2).encode()
            self._send(answer.status, {"Content-Type": "application/json", **answer.headers}, content)

        def _test_endpoint(self, method: str, path: str, body: str) -> None:
            if method == "GET" and path == "/_test/state":
                result: dict[str, Any] = server.state()
            elif method == "POST" and path == "/_test/faults":
                wanted = json.loads(body or "{}")
                result = server.set_faults(
                    fail_next=wanted.get("fail_next"),
                    status=wanted.get("status"),
                    drop_after_next=wanted.get("drop_after_next"),
                    delay=wanted.get("delay"),
                )
            else:
                self._send(404, {"Content-Type": "application/json"}, b'{"error": "unknown test endpoint"}')
                return
            self._send(200, {"Content-Type": "application/json"}, json.dumps(result).encode())

        def _send(self, status: int, headers: dict[str, str], content: bytes) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

    return Handler


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="A Stripe API server on loopback, for tests.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--webhook-secret", default="whsec_loopback")
    parser.add_argument("--webhook-url", default=None)
    args = parser.parse_args(argv)
    server = StripeServer(
        host=args.host, port=args.port, webhook_secret=args.webhook_secret, webhook_url=args.webhook_url
    )
    sys.stdout.write(server.url + "\n")
    sys.stdout.flush()
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


if __name__ == "__main__":
    main()
