"""The PayPal Payouts adapter through `requests` against a loopback server that answers as PayPal's reference
documents it, counting at the rail what it accepted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests

from annotations.providers.rails import PermanentRailError, TransientProviderError, WebhookRejected
from annotations.providers.rails.paypal import PayPalPayouts, amount_value, minor_of
from annotations.providers.rails.types import RailItem
from tests.conftest import ROOT, free_port, wait_for_port
from tests.rails.paypal_server import PayPalServer


@pytest.fixture
def rail_server() -> Iterator[PayPalServer]:
    server = PayPalServer().start()
    yield server
    server.stop()


def adapter(server: PayPalServer, **overrides: str) -> PayPalPayouts:
    options = {
        "api_base": server.url,
        "client_id": server.client_id,
        "client_secret": server.client_secret,
        "webhook_id": server.webhook_id,
        **overrides,
    }
    return PayPalPayouts(**options)


def items(n: int, prefix: str = "p", receiver: str = "fay@example.org", amount: int = 1234) -> list[RailItem]:
    return [RailItem(key=f"{prefix}{i}", receiver=receiver, amount_minor=amount, currency="USD") for i in range(n)]


def test_amounts_use_the_currencys_exponent() -> None:
    assert amount_value(1234, "USD") == "12.34"
    assert amount_value(500, "JPY") == "500"
    assert amount_value(5, "EUR") == "0.05"
    assert minor_of("12.34", "USD") == 1234 and minor_of("500", "JPY") == 500


def test_a_batch_is_sent_read_back_and_settled(rail_server: PayPalServer) -> None:
    rail = adapter(rail_server)
    batch = rail.send_batch(batch_key="batch-1", items=items(3))
    assert batch.status == "PENDING" and batch.ref
    read = rail.batch(batch.ref)
    assert [i.key for i in read.items] == ["p0", "p1", "p2"]
    assert {i.status for i in read.items} == {"pending"}
    assert read.items[0].amount_minor == 1234 and read.items[0].currency == "USD"
    rail_server.settle()
    settled = rail.batch(batch.ref)
    assert settled.status == "SUCCESS" and {i.status for i in settled.items} == {"confirmed"}
    assert rail.item(settled.items[0].ref).status == "confirmed"
    assert rail_server.items_by_key() == {"p0": 1, "p1": 1, "p2": 1}


def test_the_same_batch_key_pays_once_even_when_the_answer_was_lost(rail_server: PayPalServer) -> None:
    rail = adapter(rail_server)
    first = rail.send_batch(batch_key="batch-2", items=items(2))
    again = rail.send_batch(batch_key="batch-2", items=items(2))  # PayPal-Request-Id: the first answer again
    assert again.ref == first.ref
    rail_server.replies.clear()  # past the request id's memory: the sender_batch_id still holds
    third = rail.send_batch(batch_key="batch-2", items=items(2))
    assert third.ref == first.ref and [i.key for i in third.items] == ["p0", "p1"]

    rail_server.drop_after_next(1)  # PayPal takes the batch and the answer never arrives
    with pytest.raises(TransientProviderError):
        rail.send_batch(batch_key="batch-3", items=items(2, prefix="q"))
    retried = rail.send_batch(batch_key="batch-3", items=items(2, prefix="q"))
    assert retried.ref
    assert rail_server.items_by_key() == {"p0": 1, "p1": 1, "q0": 1, "q1": 1}


def test_5xx_is_transient_and_4xx_is_a_refusal_with_paypals_debug_id(rail_server: PayPalServer) -> None:
    rail = adapter(rail_server)
    rail_server.fail_next(1)
    with pytest.raises(TransientProviderError):
        rail.send_batch(batch_key="batch-4", items=items(1))
    assert rail_server.items_by_key() == {}
    rail_server.fail_next(1, status=429)
    with pytest.raises(TransientProviderError):
        rail.send_batch(batch_key="batch-4", items=items(1))
    with pytest.raises(PermanentRailError) as refused:
        rail.send_batch(batch_key="batch-5", items=[RailItem("z", "", 100, "USD")])
    assert refused.value.code == "VALIDATION_ERROR" and "receiver" in refused.value.message
    assert refused.value.request_id
    with pytest.raises(PermanentRailError) as missing:
        rail.batch("NOSUCHBATCH")
    assert missing.value.code == "INVALID_RESOURCE_ID"
    with pytest.raises(ValueError):
        rail.send_batch(batch_key="batch-6", items=[])


def test_bad_credentials_are_refused_and_an_expired_token_is_renewed(rail_server: PayPalServer) -> None:
    with pytest.raises(PermanentRailError) as refused:
        adapter(rail_server, client_secret="wrong").send_batch(batch_key="b", items=items(1))
    assert refused.value.code == "invalid_client"
    rail = adapter(rail_server)
    rail.send_batch(batch_key="batch-7", items=items(1))
    tokens_before = rail_server.requests_seen["POST /v1/oauth2/token"]
    rail.send_batch(batch_key="batch-8", items=items(1, prefix="r"))
    assert rail_server.requests_seen["POST /v1/oauth2/token"] == tokens_before  # the token is kept
    rail_server.expire_tokens()
    rail.send_batch(batch_key="batch-9", items=items(1, prefix="s"))
    assert rail_server.requests_seen["POST /v1/oauth2/token"] == tokens_before + 1


def test_a_batch_pages_through_its_items(rail_server: PayPalServer) -> None:
    rail = adapter(rail_server)
    batch = rail.send_batch(batch_key="batch-big", items=items(2500))
    assert len(rail.batch(batch.ref).items) == 2500
    assert rail_server.requests_seen["GET /v1/payments/payouts"] == 3  # pages of 1000


def test_unclaimed_items_are_returned_and_blocked_ones_fail(rail_server: PayPalServer) -> None:
    rail = adapter(rail_server)
    sent = [
        RailItem("u1", "nobody@unclaimed.example", 700, "EUR"),
        RailItem("b1", "locked@blocked.example", 800, "EUR"),
        RailItem("ok", "fay@example.org", 900, "EUR"),
    ]
    batch = rail.send_batch(batch_key="batch-10", items=sent)
    rail_server.settle()
    statuses = {i.key: i.status for i in rail.batch(batch.ref).items}
    assert statuses == {"u1": "pending", "b1": "failed", "ok": "confirmed"}
    reasons = {i.key: i.reason for i in rail.batch(batch.ref).items}
    assert reasons["b1"] == "Receiver account is locked"
    rail_server.return_unclaimed()
    assert {i.key: i.status for i in rail.batch(batch.ref).items}["u1"] == "returned"


class _Inbox:
    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        handler_inbox = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                handler_inbox.received.append((dict(self.headers.items()), body))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hooks/paypal"


def test_webhooks_are_verified_by_paypals_verification_call(rail_server: PayPalServer) -> None:
    inbox = _Inbox()
    rail_server.webhook_url = inbox.url
    rail = adapter(rail_server)
    rail.send_batch(batch_key="batch-11", items=[*items(1), RailItem("u2", "x@unclaimed.example", 300, "USD")])
    rail_server.settle()
    rail_server.return_unclaimed()
    events = [rail.parse_webhook(headers, body) for headers, body in inbox.received]
    assert [(e.type, e.item.key if e.item else "", e.item.status if e.item else "") for e in events] == [
        ("PAYMENT.PAYOUTS-ITEM.SUCCEEDED", "p0", "confirmed"),
        ("PAYMENT.PAYOUTS-ITEM.UNCLAIMED", "u2", "pending"),
        ("PAYMENT.PAYOUTS-ITEM.RETURNED", "u2", "returned"),
    ]
    assert len({e.id for e in events}) == 3 and all(e.id.startswith("WH-") for e in events)
    inbox.httpd.shutdown()

    headers, body = inbox.received[0]
    event = json.loads(body)
    event["resource"]["payout_item"]["amount"]["value"] = "999.00"
    with pytest.raises(WebhookRejected):  # tampered with on the way
        rail.parse_webhook(headers, json.dumps(event).encode())
    with pytest.raises(WebhookRejected):  # another webhook's id
        adapter(rail_server, webhook_id="WH-OTHER").parse_webhook(headers, body)
    lower = {k.lower(): v for k, v in headers.items()}
    forged = {**lower, "paypal-transmission-sig": lower["paypal-transmission-sig"][::-1]}
    with pytest.raises(WebhookRejected):
        rail.parse_webhook(forged, body)
    with pytest.raises(WebhookRejected):
        rail.parse_webhook({}, body)
    with pytest.raises(WebhookRejected):
        rail.parse_webhook(headers, b"not json")


def test_can_pay_names_what_paypal_cannot_reach() -> None:
    assert PayPalPayouts.can_pay(country="PT", currency="EUR") is None
    assert PayPalPayouts.can_pay(country="US", currency="USD") is None
    assert "country" in (PayPalPayouts.can_pay(country="IR", currency="USD") or "")
    assert "NGN" in (PayPalPayouts.can_pay(country="NG", currency="NGN") or "")


SEND_ONCE = """
import sys, time
from pathlib import Path
from annotations.providers.rails import TransientProviderError
from annotations.providers.rails.paypal import PayPalPayouts
from annotations.providers.rails.types import RailItem
base, start = sys.argv[1], Path(sys.argv[2])
while not start.exists():
    time.sleep(0.005)
rail = PayPalPayouts(api_base=base, client_id="atelier-client", client_secret="atelier-secret")
items = [RailItem(f"race-{i}", "fay@example.org", 1000 + i, "USD") for i in range(50)]
for _ in range(20):
    try:
        print(rail.send_batch(batch_key="race-batch", items=items).ref)
        break
    except TransientProviderError:
        time.sleep(0.05)
"""


def test_processes_racing_one_batch_key_pay_each_item_once(tmp_path: Path) -> None:
    """Six processes send the same batch at once (a redelivered task, a sweep and a worker restart together) to a
    PayPal server running as a process of its own: PayPal holds one batch and each item once."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}"}
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.rails.paypal_server", "--port", str(port)], cwd=ROOT, env=env
    )
    try:
        assert wait_for_port(port)
        base = f"http://127.0.0.1:{port}"
        start = tmp_path / "go"
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", SEND_ONCE, base, str(start)],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(6)
        ]
        time.sleep(1.0)
        start.touch()
        refs = {p.communicate(timeout=60)[0].strip() for p in procs}
        assert len(refs) == 1 and "" not in refs
        state = requests.get(f"{base}/_test/state", timeout=5).json()
        assert state["batches"] == 1
        assert state["items_by_key"] == {f"race-{i}": 1 for i in range(50)}
    finally:
        server.terminate()
        server.wait(timeout=10)
