"""A loopback PayPal REST server for the Payouts API, answering as PayPal's reference documents it.

What it mirrors (https://developer.paypal.com/docs/api/payments.payouts-batch/v1/, .../webhooks/v1/):
- `POST /v1/oauth2/token` (HTTP Basic client credentials) -> a bearer token with `expires_in`; a call with an
  unknown or expired token answers 401 `invalid_token`.
- `POST /v1/payments/payouts` -> 201 with the batch header (PENDING). A `sender_batch_id` seen before answers 400
  `USER_BUSINESS_ERROR` whose detail links to the original batch; a `PayPal-Request-Id` seen before answers the first
  answer again. More than 15,000 items, a bad amount or a missing receiver answer 400 `VALIDATION_ERROR`.
- `GET /v1/payments/payouts/{id}` (paged: page, page_size, total_required) and `GET /v1/payments/payouts-item/{id}`.
- Items settle when told (`settle()`): SUCCESS, or UNCLAIMED for receivers at `unclaimed.example` (RETURNED after
  `return_unclaimed()`), FAILED for receivers at `blocked.example`. Each change is sent to `webhook_url` signed as
  PayPal signs: SHA256withRSA over `transmission_id|transmission_time|webhook_id|crc32(body)`, base64, with the
  certificate served at PAYPAL-CERT-URL; `POST /v1/notifications/verify-webhook-signature` checks exactly that.
- Errors in PayPal's shape (`name`, `message`, `debug_id`, `information_link`, `details`, `links`) with a
  `Paypal-Debug-Id` header.

For tests: it counts at the rail (`items_by_key`: how many items it accepted per sender_item_id, across batches),
injects faults (`fail_next`: answer 500 without acting; `drop_after_next`: act, then close the connection without
answering, as a lost response), and runs as its own process (`python -m tests.rails.paypal_server --port N`) with
`GET /_test/state`, `POST /_test/faults`, `POST /_test/settle` and `POST /_test/return-unclaimed`.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import contextlib
import datetime as dt
import json
import secrets
import threading
import time
import uuid
from collections import Counter
from decimal import Decimal, InvalidOperation
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

MAX_ITEMS = 15_000
TOKEN_LIFETIME = 32_400
ITEM_EVENTS = {
    "SUCCESS": "PAYMENT.PAYOUTS-ITEM.SUCCEEDED",
    "UNCLAIMED": "PAYMENT.PAYOUTS-ITEM.UNCLAIMED",
    "FAILED": "PAYMENT.PAYOUTS-ITEM.FAILED",
    "RETURNED": "PAYMENT.PAYOUTS-ITEM.RETURNED",
    "ONHOLD": "PAYMENT.PAYOUTS-ITEM.HELD",
}


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _id(n: int = 13) -> str:
    return "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(n))


def _self_signed() -> tuple[rsa.RSAPrivateKey, bytes]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "messageverificationcerts.paypal.test")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return key, cert.public_bytes(serialization.Encoding.PEM)


class PayPalServer:
    def __init__(
        self, *, client_id: str = "atelier-client", client_secret: str = "atelier-secret", webhook_id: str = "WH1"
    ) -> None:
        self.client_id, self.client_secret, self.webhook_id = client_id, client_secret, webhook_id
        self.webhook_url = ""
        self.lock = threading.RLock()
        self.tokens: set[str] = set()
        self.batches: dict[str, dict[str, Any]] = {}
        self.batch_by_sender_id: dict[str, str] = {}
        self.items: dict[str, dict[str, Any]] = {}
        self.replies: dict[str, tuple[int, dict[str, Any]]] = {}  # by PayPal-Request-Id
        self.accepted: Counter[str] = Counter()  # items accepted per sender_item_id
        self.requests_seen: Counter[str] = Counter()
        self.sent_events: dict[str, bytes] = {}  # transmission id -> the body PayPal signed
        self.failing, self.failing_status, self.dropping = 0, 500, 0
        self.delay = 0.0  # seconds between taking a batch and answering (a kill then lands mid-answer)
        self.key, self.cert_pem = _self_signed()
        self.cert_id = f"CERT-{_id(8)}"
        self.httpd: ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None

    # --- Life ------------------------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        assert self.httpd is not None
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def start(self, port: int = 0) -> PayPalServer:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()

    # --- Test controls ---------------------------------------------------------------------------------------
    def fail_next(self, n: int, status: int = 500) -> None:
        with self.lock:
            self.failing, self.failing_status = n, status

    def drop_after_next(self, n: int) -> None:
        with self.lock:
            self.dropping = n

    def expire_tokens(self) -> None:
        with self.lock:
            self.tokens.clear()

    def items_by_key(self) -> dict[str, int]:
        with self.lock:
            return dict(self.accepted)

    def state(self) -> dict[str, Any]:
        with self.lock:
            return {
                "items_by_key": dict(self.accepted),
                "batches": len(self.batches),
                "statuses": dict(Counter(i["transaction_status"] for i in self.items.values())),
                "requests": dict(self.requests_seen),
            }

    def settle(self) -> int:
        """PayPal's side finishes every pending item; answers how many changed."""
        changed = []
        with self.lock:
            for item in self.items.values():
                if item["transaction_status"] != "PENDING":
                    continue
                receiver = item["payout_item"]["receiver"].lower()
                if receiver.endswith("@unclaimed.example"):
                    item["transaction_status"] = "UNCLAIMED"
                    item["errors"] = {"name": "RECEIVER_UNREGISTERED", "message": "Receiver is unregistered"}
                elif receiver.endswith("@blocked.example"):
                    item["transaction_status"] = "FAILED"
                    item["errors"] = {"name": "RECEIVER_ACCOUNT_LOCKED", "message": "Receiver account is locked"}
                else:
                    item["transaction_status"] = "SUCCESS"
                    item["transaction_id"] = _id(17)
                item["time_processed"] = _now()
                changed.append(dict(item))
            for batch in self.batches.values():
                statuses = {self.items[i]["transaction_status"] for i in batch["item_ids"]}
                if "PENDING" not in statuses:
                    batch["header"]["batch_status"] = "SUCCESS"
                    batch["header"]["time_completed"] = _now()
        for item in changed:
            self.send_event(ITEM_EVENTS[item["transaction_status"]], item)
        return len(changed)

    def return_unclaimed(self) -> int:
        """Thirty days on: PayPal returns what nobody claimed."""
        changed = []
        with self.lock:
            for item in self.items.values():
                if item["transaction_status"] == "UNCLAIMED":
                    item["transaction_status"] = "RETURNED"
                    changed.append(dict(item))
        for item in changed:
            self.send_event("PAYMENT.PAYOUTS-ITEM.RETURNED", item)
        return len(changed)

    # --- Webhooks, signed as PayPal signs them -----------------------------------------------------------------
    def signed_event(self, event_type: str, resource: dict[str, Any]) -> tuple[dict[str, str], bytes]:
        event = {
            "id": f"WH-{_id(17)}",
            "event_version": "1.0",
            "create_time": _now(),
            "resource_type": "payouts_item",
            "event_type": event_type,
            "summary": f"A payout item is {event_type.rsplit('.', 1)[-1].lower()}",
            "resource": resource,
            "links": [],
        }
        body = json.dumps(event).encode()
        transmission_id, when = str(uuid.uuid4()), _now()
        message = f"{transmission_id}|{when}|{self.webhook_id}|{binascii.crc32(body)}".encode()
        signature = base64.b64encode(self.key.sign(message, padding.PKCS1v15(), hashes.SHA256())).decode()
        with self.lock:
            self.sent_events[transmission_id] = body
        headers = {
            "PAYPAL-AUTH-ALGO": "SHA256withRSA",
            "PAYPAL-CERT-URL": f"{self.url}/v1/notifications/certs/{self.cert_id}",
            "PAYPAL-TRANSMISSION-ID": transmission_id,
            "PAYPAL-TRANSMISSION-SIG": signature,
            "PAYPAL-TRANSMISSION-TIME": when,
            "Content-Type": "application/json",
        }
        return headers, body

    def send_event(self, event_type: str, resource: dict[str, Any]) -> None:
        if not self.webhook_url:
            return
        headers, body = self.signed_event(event_type, resource)
        # PayPal retries later; the reconciliation and the status poll find it meanwhile.
        with contextlib.suppress(requests.RequestException):
            requests.post(self.webhook_url, data=body, headers=headers, timeout=10)

    def verify(self, body: dict[str, Any]) -> bool:
        with self.lock:
            raw = self.sent_events.get(str(body.get("transmission_id", "")))
        if raw is None or body.get("webhook_id") != self.webhook_id or body.get("auth_algo") != "SHA256withRSA":
            return False
        if json.loads(raw) != body.get("webhook_event"):
            return False
        message = (
            f"{body['transmission_id']}|{body.get('transmission_time', '')}|{self.webhook_id}|{binascii.crc32(raw)}"
        )
        try:
            cert = x509.load_pem_x509_certificate(self.cert_pem)
            public_key = cert.public_key()
            assert isinstance(public_key, rsa.RSAPublicKey)
            public_key.verify(
                base64.b64decode(str(body.get("transmission_sig", ""))),
                message.encode(),
                padding.PKCS1v15(),
                hashes.SHA256(),
            )
        except (InvalidSignature, ValueError, binascii.Error):
            return False
        return True

    # --- The API -------------------------------------------------------------------------------------------------
    def create_batch(self, payload: Any) -> tuple[int, dict[str, Any]]:
        if not isinstance(payload, dict):
            return 400, _error("MALFORMED_REQUEST", "Incoming JSON request does not map to API request")
        header = payload.get("sender_batch_header") or {}
        items = payload.get("items")
        sender_batch_id = str(header.get("sender_batch_id", ""))
        problems = []
        if not isinstance(items, list) or not items:
            problems.append(("items", "Required field missing"))
        elif len(items) > MAX_ITEMS:
            problems.append(("items", f"Number of items exceeds the maximum of {MAX_ITEMS}"))
        else:
            for n, item in enumerate(items):
                amount = item.get("amount") or {}
                try:
                    ok = Decimal(str(amount.get("value"))) > 0 and len(str(amount.get("currency", ""))) == 3
                except InvalidOperation:
                    ok = False
                if not ok:
                    problems.append((f"items[{n}].amount", "Invalid amount"))
                if not item.get("receiver"):
                    problems.append((f"items[{n}].receiver", "Required field missing"))
        if problems:
            return 400, _error(
                "VALIDATION_ERROR",
                "Invalid request - see details",
                [{"field": f, "location": "body", "issue": i} for f, i in problems],
            )
        with self.lock:
            existing = self.batch_by_sender_id.get(sender_batch_id) if sender_batch_id else None
            if existing is not None:
                return 400, _error(
                    "USER_BUSINESS_ERROR",
                    "User business error.",
                    [
                        {
                            "field": "SENDER_BATCH_ID",
                            "location": "body",
                            "issue": "Batch with given sender_batch_id already exists",
                            "link": [
                                {
                                    "href": f"{self.url}/v1/payments/payouts/{existing}",
                                    "rel": "self",
                                    "method": "GET",
                                    "encType": "application/json",
                                }
                            ],
                        }
                    ],
                )
            batch_id = _id()
            batch_header = {
                "payout_batch_id": batch_id,
                "batch_status": "PENDING",
                "time_created": _now(),
                "sender_batch_header": {k: v for k, v in header.items() if k in ("sender_batch_id", "email_subject")},
            }
            item_ids = []
            for item in items or []:
                item_id = _id()
                self.items[item_id] = {
                    "payout_item_id": item_id,
                    "transaction_status": "PENDING",
                    "payout_batch_id": batch_id,
                    "payout_item_fee": {"currency": item["amount"]["currency"], "value": "0.00"},
                    "payout_item": {
                        "recipient_type": item.get("recipient_type", header.get("recipient_type", "EMAIL")),
                        "amount": {"currency": item["amount"]["currency"], "value": str(item["amount"]["value"])},
                        "note": item.get("note", ""),
                        "receiver": item["receiver"],
                        "sender_item_id": item.get("sender_item_id", ""),
                    },
                    "links": [
                        {
                            "href": f"{self.url}/v1/payments/payouts-item/{item_id}",
                            "rel": "item",
                            "method": "GET",
                        }
                    ],
                }
                item_ids.append(item_id)
                if item.get("sender_item_id"):
                    self.accepted[str(item["sender_item_id"])] += 1
            self.batches[batch_id] = {"header": batch_header, "item_ids": item_ids}
            if sender_batch_id:
                self.batch_by_sender_id[sender_batch_id] = batch_id
        link = {"href": f"{self.url}/v1/payments/payouts/{batch_id}", "rel": "self", "method": "GET"}
        return 201, {"batch_header": batch_header, "links": [link]}

    def get_batch(self, batch_id: str, query: dict[str, list[str]]) -> tuple[int, dict[str, Any]]:
        with self.lock:
            batch = self.batches.get(batch_id)
            if batch is None:
                return 404, _error("INVALID_RESOURCE_ID", "Requested resource ID was not found.")
            page = max(1, int(query.get("page", ["1"])[0]))
            size = min(1000, max(1, int(query.get("page_size", ["1000"])[0])))
            ids = batch["item_ids"]
            chosen = [dict(self.items[i]) for i in ids[(page - 1) * size : page * size]]
            body: dict[str, Any] = {"batch_header": dict(batch["header"]), "items": chosen, "links": []}
            if query.get("total_required", ["false"])[0] == "true":
                body["total_items"] = len(ids)
                body["total_pages"] = max(1, -(-len(ids) // size))
            return 200, body


def _error(name: str, message: str, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "name": name,
        "message": message,
        "debug_id": secrets.token_hex(7),
        "information_link": "https://developer.paypal.com/docs/api/payments.payouts-batch/#errors",
        "details": details or [],
        "links": [],
    }


def _handler(server: PayPalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _answer(self, status: int, body: dict[str, Any] | bytes, content_type: str = "application/json") -> None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            if isinstance(body, dict) and body.get("debug_id"):
                self.send_header("Paypal-Debug-Id", str(body["debug_id"]))
            self.end_headers()
            self.wfile.write(data)

        def _body(self) -> bytes:
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def _json(self, raw: bytes) -> Any:
            try:
                return json.loads(raw or b"null")
            except ValueError:
                return None

        def _authorised(self) -> bool:
            auth = self.headers.get("Authorization", "")
            with server.lock:
                ok = auth.startswith("Bearer ") and auth[7:] in server.tokens
            if not ok:
                self._answer(
                    401, {"error": "invalid_token", "error_description": "Token signature verification failed"}
                )
            return ok

        def _fault(self) -> bool:
            with server.lock:
                if server.failing > 0:
                    server.failing -= 1
                    status = server.failing_status
                else:
                    return False
            self._answer(status, _error("INTERNAL_SERVICE_ERROR", "An internal service error has occurred."))
            return True

        def _drop(self) -> bool:
            with server.lock:
                if server.dropping > 0:
                    server.dropping -= 1
                    return True
            return False

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            path, query = parts.path, parse_qs(parts.query)
            if path == "/_test/state":
                return self._answer(200, server.state())
            if path.startswith("/v1/notifications/certs/"):
                return self._answer(200, server.cert_pem, "application/x-pem-file")
            with server.lock:
                server.requests_seen[f"GET {path.rsplit('/', 1)[0]}"] += 1
            if self._fault() or not self._authorised():
                return None
            if path.startswith("/v1/payments/payouts/"):
                return self._answer(*server.get_batch(path.rsplit("/", 1)[-1], query))
            if path.startswith("/v1/payments/payouts-item/"):
                with server.lock:
                    item = server.items.get(path.rsplit("/", 1)[-1])
                    found = dict(item) if item else None
                if found is None:
                    return self._answer(404, _error("INVALID_RESOURCE_ID", "Requested resource ID was not found."))
                return self._answer(200, found)
            return self._answer(404, _error("NOT_FOUND", "The specified resource does not exist."))

        def do_POST(self) -> None:
            path = urlsplit(self.path).path
            raw = self._body()
            if path.startswith("/_test/"):
                return self._test_control(path, self._json(raw) or {})
            with server.lock:
                server.requests_seen[f"POST {path}"] += 1
            if self._fault():
                return None
            if path == "/v1/oauth2/token":
                return self._token(raw)
            if not self._authorised():
                return None
            if path == "/v1/payments/payouts":
                request_id = self.headers.get("PayPal-Request-Id", "")
                with server.lock:
                    replay = server.replies.get(request_id) if request_id else None
                    if replay is None:
                        replay = server.create_batch(self._json(raw))
                        if request_id:
                            server.replies[request_id] = replay
                if server.delay:
                    time.sleep(server.delay)
                if self._drop():
                    self.close_connection = True
                    self.connection.close()
                    return None
                return self._answer(*replay)
            if path == "/v1/notifications/verify-webhook-signature":
                body = self._json(raw)
                ok = isinstance(body, dict) and server.verify(body)
                return self._answer(200, {"verification_status": "SUCCESS" if ok else "FAILURE"})
            return self._answer(404, _error("NOT_FOUND", "The specified resource does not exist."))

        def _token(self, raw: bytes) -> None:
            auth = self.headers.get("Authorization", "")
            try:
                user, _, password = base64.b64decode(auth.removeprefix("Basic ")).decode().partition(":")
            except (binascii.Error, UnicodeDecodeError):
                user = password = ""
            grant = parse_qs(raw.decode()).get("grant_type", [""])[0]
            if (user, password) != (server.client_id, server.client_secret) or grant != "client_credentials":
                return self._answer(
                    401, {"error": "invalid_client", "error_description": "Client Authentication failed"}
                )
            token = f"A21AA{secrets.token_urlsafe(24)}"
            with server.lock:
                server.tokens.add(token)
            return self._answer(
                200,
                {
                    "scope": "https://uri.paypal.com/services/payments/payouts https://uri.paypal.com/payments/payouts",
                    "access_token": token,
                    "token_type": "Bearer",
                    "app_id": "APP-80W284485P519543T",
                    "expires_in": TOKEN_LIFETIME,
                    "nonce": f"{_now()}{secrets.token_hex(8)}",
                },
            )

        def _test_control(self, path: str, body: dict[str, Any]) -> None:
            if path == "/_test/faults":
                if "fail_next" in body:
                    server.fail_next(int(body["fail_next"]), int(body.get("status", 500)))
                if "drop_after_next" in body:
                    server.drop_after_next(int(body["drop_after_next"]))
                if "delay" in body:
                    server.delay = float(body["delay"])
                if body.get("expire_tokens"):
                    server.expire_tokens()
                if "webhook_url" in body:
                    server.webhook_url = str(body["webhook_url"])
                return self._answer(200, {"ok": True})
            if path == "/_test/settle":
                return self._answer(200, {"changed": server.settle()})
            if path == "/_test/return-unclaimed":
                return self._answer(200, {"changed": server.return_unclaimed()})
            return self._answer(404, {"error": "no such control"})

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--client-id", default="atelier-client")
    parser.add_argument("--client-secret", default="atelier-secret")
    parser.add_argument("--webhook-id", default="WH1")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before answering a batch")
    args = parser.parse_args()
    server = PayPalServer(client_id=args.client_id, client_secret=args.client_secret, webhook_id=args.webhook_id)
    server.delay = args.delay
    server.start(args.port)
    assert server.thread is not None
    server.thread.join()


if __name__ == "__main__":
    main()
