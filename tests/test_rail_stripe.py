"""The Stripe Connect rail, through the real `stripe` SDK, against a loopback Stripe API server.

No database: the rail is an adapter and these tests drive it over HTTP, counting at the rail what it did.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import requests

from annotations.providers.rails import PermanentRailError, TransientProviderError, WebhookRejected
from annotations.providers.rails.stripe_connect import CONNECT_PAYOUT_COUNTRIES, StripeConnectRail
from annotations.providers.rails.types import RailItem
from tests.rails.stripe_server import StripeServer, sign

ROOT = Path(__file__).resolve().parents[1]
API_KEY = "sk_test_atelier0loopback"
SECRET = "whsec_loopback_test_secret"


@pytest.fixture
def stripe_server() -> Iterator[StripeServer]:
    server = StripeServer(webhook_secret=SECRET).start()  # port 0: a free port on 127.0.0.1
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def rail(stripe_server: StripeServer) -> StripeConnectRail:
    return StripeConnectRail(API_KEY, SECRET, api_base=stripe_server.url, timeout_seconds=10)


class _ReturnPage(BaseHTTPRequestHandler):
    """Where Stripe sends the freelancer back: a stand-in for Atelier's own page."""

    def do_GET(self) -> None:
        body = b"<h1>Back at Atelier</h1>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def atelier_site() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _ReturnPage)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def key() -> str:
    return f"payout-{uuid.uuid4()}"


def onboard(rail: StripeConnectRail, account: str, site: str = "http://127.0.0.1:9") -> requests.Response:
    """Follow the onboarding link as a person would: open the page, press the button, land on return_url."""
    url = rail.onboarding_link(account=account, refresh_url=f"{site}/payouts/refresh", return_url=f"{site}/payouts")
    page = requests.get(url, timeout=10)
    assert page.status_code == 200
    assert "Complete onboarding" in page.text
    action = re.search(r'<form method="post" action="([^"]+)"', page.text)
    assert action is not None
    submit_url = urljoin(url, action.group(1))
    return requests.post(submit_url, allow_redirects=False, timeout=10)


def active_account(rail: StripeConnectRail, country: str = "US") -> str:
    account = rail.create_account(key=key(), email="ada@example.com", country=country)
    assert onboard(rail, account).status_code == 303
    return account


# --- accounts and onboarding --------------------------------------------------------------------------------------
def test_create_account_is_idempotent_on_replay(rail: StripeConnectRail, stripe_server: StripeServer) -> None:
    k = key()
    first = rail.create_account(key=k, email="ada@example.com", country="GB")
    again = rail.create_account(key=k, email="ada@example.com", country="GB")

    assert first.startswith("acct_")
    assert again == first
    assert list(stripe_server.state()["accounts"]) == [first]
    assert stripe_server.requests_seen["/v1/accounts"] == 2


def test_onboarding_activates_the_account_and_returns_to_atelier(
    rail: StripeConnectRail, stripe_server: StripeServer, atelier_site: str
) -> None:
    account = rail.create_account(key=key(), email="ada@example.com", country="GB")
    before = rail.account_state(account)
    assert before.payouts_enabled is False
    assert before.transfers_active is False
    assert before.requirements_due  # onboarding has something to collect
    assert before.disabled_reason == "requirements.past_due"
    assert (before.country, before.default_currency) == ("GB", "GBP")

    answer = onboard(rail, account, atelier_site)
    assert answer.status_code == 303
    assert answer.headers["Location"] == f"{atelier_site}/payouts"
    landed = requests.get(answer.headers["Location"], timeout=10)
    assert landed.status_code == 200
    assert "Back at Atelier" in landed.text

    after = rail.account_state(account)
    assert after.payouts_enabled is True
    assert after.transfers_active is True
    assert after.requirements_due == []
    assert after.disabled_reason is None


def test_a_used_onboarding_link_sends_the_person_to_refresh_url(rail: StripeConnectRail) -> None:
    account = rail.create_account(key=key(), email="ada@example.com", country="US")
    url = rail.onboarding_link(account=account, refresh_url="http://127.0.0.1:9/r", return_url="http://127.0.0.1:9/ok")
    assert requests.post(url, allow_redirects=False, timeout=10).headers["Location"] == "http://127.0.0.1:9/ok"

    again = requests.get(url, allow_redirects=False, timeout=10)

    assert again.status_code == 303
    assert again.headers["Location"] == "http://127.0.0.1:9/r"


def test_onboarding_sends_a_signed_account_updated_webhook(
    rail: StripeConnectRail, stripe_server: StripeServer
) -> None:
    received: list[tuple[bytes, str]] = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            received.append((self.rfile.read(int(self.headers["Content-Length"])), self.headers["Stripe-Signature"]))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    stripe_server.webhook_url = f"http://127.0.0.1:{httpd.server_address[1]}/webhooks/stripe"
    try:
        account = rail.create_account(key=key(), email="ada@example.com", country="US")
        onboard(rail, account)
    finally:
        httpd.shutdown()
        httpd.server_close()

    events = [rail.parse_webhook(payload, header) for payload, header in received]
    assert [e.type for e in events] == ["account.updated"]
    assert events[0].account == account
    assert events[0].id.startswith("evt_")
    assert events[0].raw["data"]["object"]["payouts_enabled"] is True
    assert stripe_server.state()["webhook_deliveries"] == [
        {"id": events[0].id, "type": "account.updated", "status": 200}
    ]


# --- transfers ----------------------------------------------------------------------------------------------------
def test_transfer_is_confirmed(rail: StripeConnectRail, stripe_server: StripeServer) -> None:
    account = active_account(rail)
    k = key()

    status = rail.transfer(RailItem(key=k, receiver=account, amount_minor=12_50, currency="USD", note="June work"))

    assert status.status == "confirmed"
    assert status.ref.startswith("tr_")
    assert (status.key, status.amount_minor, status.currency) == (k, 12_50, "USD")
    assert stripe_server.transfers_by_key() == {k: 1}


def test_same_key_twice_is_one_transfer_and_the_second_answer_is_a_replay(
    rail: StripeConnectRail, stripe_server: StripeServer
) -> None:
    account = active_account(rail)
    item = RailItem(key=key(), receiver=account, amount_minor=5_00, currency="USD")
    first = rail.transfer(item)

    # The SDK's own HTTP path, to see the header the replay carries.
    response = requests.post(
        f"{stripe_server.url}/v1/transfers",
        headers={"Authorization": f"Bearer {API_KEY}", "Idempotency-Key": item.key},
        data={
            "amount": "500",
            "currency": "usd",
            "destination": account,
            "description": "",
            "metadata[payout_key]": item.key,
        },
        timeout=10,
    )
    second = rail.transfer(item)

    assert response.status_code == 200
    assert response.headers["Idempotent-Replayed"] == "true"
    assert response.headers["Request-Id"].startswith("req_")
    assert response.json()["id"] == first.ref
    assert second == first
    assert stripe_server.transfers_by_key() == {item.key: 1}
    assert stripe_server.requests_seen["/v1/transfers"] == 3


def test_same_key_with_another_amount_is_an_idempotency_error(
    rail: StripeConnectRail, stripe_server: StripeServer
) -> None:
    account = active_account(rail)
    k = key()
    rail.transfer(RailItem(key=k, receiver=account, amount_minor=5_00, currency="USD"))

    with pytest.raises(PermanentRailError) as refused:
        rail.transfer(RailItem(key=k, receiver=account, amount_minor=6_00, currency="USD"))

    assert refused.value.code == "idempotency_error"
    assert refused.value.request_id.startswith("req_")
    assert stripe_server.transfers_by_key() == {k: 1}


def test_idempotency_keys_are_per_api_key(stripe_server: StripeServer, rail: StripeConnectRail) -> None:
    account = active_account(rail)
    other = StripeConnectRail("sk_test_another0platform", SECRET, api_base=stripe_server.url)
    k = key()

    mine = rail.transfer(RailItem(key=k, receiver=account, amount_minor=1_00, currency="USD"))
    theirs = other.transfer(RailItem(key=k, receiver=account, amount_minor=2_00, currency="USD"))

    assert mine.ref != theirs.ref
    assert stripe_server.transfers_by_key() == {k: 2}


def test_a_lost_answer_then_a_retry_with_the_same_key_is_one_transfer(
    rail: StripeConnectRail, stripe_server: StripeServer
) -> None:
    account = active_account(rail)
    item = RailItem(key=key(), receiver=account, amount_minor=20_00, currency="USD")
    stripe_server.drop_after_next(1)

    with pytest.raises(TransientProviderError):
        rail.transfer(item)
    assert stripe_server.transfers_by_key() == {item.key: 1}  # Stripe acted; we never heard

    retried = rail.transfer(item)

    assert retried.status == "confirmed"
    assert stripe_server.transfers_by_key() == {item.key: 1}
    found = rail.transfer_status(item.key)
    assert found is not None
    assert found.ref == retried.ref


def test_a_500_is_transient_and_a_retry_pays_once(rail: StripeConnectRail, stripe_server: StripeServer) -> None:
    account = active_account(rail)
    item = RailItem(key=key(), receiver=account, amount_minor=3_00, currency="USD")
    stripe_server.fail_next(1)

    with pytest.raises(TransientProviderError):
        rail.transfer(item)
    assert stripe_server.transfers_by_key() == {}  # the failure came before anything was done

    assert rail.transfer(item).status == "confirmed"
    assert stripe_server.transfers_by_key() == {item.key: 1}


@pytest.mark.parametrize("status", [429, 502, 503])
def test_rate_limits_and_other_5xx_are_transient(
    rail: StripeConnectRail, stripe_server: StripeServer, status: int
) -> None:
    stripe_server.fail_next(1, status=status)

    with pytest.raises(TransientProviderError):
        rail.account_state("acct_whatever")


def test_no_server_at_all_is_transient(stripe_server: StripeServer) -> None:
    url = stripe_server.url
    stripe_server.stop()
    rail = StripeConnectRail(API_KEY, SECRET, api_base=url, timeout_seconds=2)

    with pytest.raises(TransientProviderError):
        rail.transfer(RailItem(key=key(), receiver="acct_x", amount_minor=1_00, currency="USD"))


def test_unknown_destination_is_refused_with_code_and_request_id(
    rail: StripeConnectRail, stripe_server: StripeServer
) -> None:
    with pytest.raises(PermanentRailError) as refused:
        rail.transfer(RailItem(key=key(), receiver="acct_doesnotexist", amount_minor=1_00, currency="USD"))

    assert refused.value.code == "resource_missing"
    assert "acct_doesnotexist" in refused.value.message
    assert refused.value.request_id.startswith("req_")
    assert stripe_server.transfers_by_key() == {}


def test_a_transfer_to_an_account_not_onboarded_is_refused(
    rail: StripeConnectRail, stripe_server: StripeServer
) -> None:
    account = rail.create_account(key=key(), email="ada@example.com", country="US")

    with pytest.raises(PermanentRailError) as refused:
        rail.transfer(RailItem(key=key(), receiver=account, amount_minor=1_00, currency="USD"))

    assert refused.value.code == "insufficient_capabilities_for_transfer"
    assert stripe_server.transfers_by_key() == {}


@pytest.mark.parametrize("amount", [0, -5])
def test_a_non_positive_amount_is_refused(rail: StripeConnectRail, stripe_server: StripeServer, amount: int) -> None:
    account = active_account(rail)

    with pytest.raises(PermanentRailError) as refused:
        rail.transfer(RailItem(key=key(), receiver=account, amount_minor=amount, currency="USD"))

    assert refused.value.code == "parameter_invalid_integer"
    assert stripe_server.transfers_by_key() == {}


def test_a_wrong_api_key_is_refused(stripe_server: StripeServer) -> None:
    rail = StripeConnectRail("pk_test_not_a_secret_key", SECRET, api_base=stripe_server.url)

    with pytest.raises(PermanentRailError) as refused:
        rail.account_state("acct_x")

    assert refused.value.code == "invalid_request_error"
    assert "Invalid API Key" in refused.value.message


def test_an_unknown_account_is_refused(rail: StripeConnectRail) -> None:
    with pytest.raises(PermanentRailError) as refused:
        rail.account_state("acct_doesnotexist")

    assert refused.value.code == "account_invalid"


def test_transfers_since_pages_through_every_transfer(rail: StripeConnectRail, stripe_server: StripeServer) -> None:
    account = active_account(rail)
    since = int(time.time())
    keys = [key() for _ in range(25)]
    for k in keys:
        rail.transfer(RailItem(key=k, receiver=account, amount_minor=1_00, currency="USD"))

    seen = list(rail.transfers_since(since, page_size=10))

    assert sorted(s.key for s in seen) == sorted(keys)
    assert len({s.ref for s in seen}) == 25
    assert [s.key for s in seen] == list(reversed(keys))  # newest first
    assert stripe_server.requests_seen["/v1/transfers"] == 25 + 3  # 25 creations, then pages of 10, 10 and 5
    assert list(rail.transfers_since(int(time.time()) + 3600)) == []


def test_transfer_status_finds_the_transfer_by_key(rail: StripeConnectRail) -> None:
    account = active_account(rail)
    wanted = key()
    for k in [key(), wanted, key()]:
        rail.transfer(RailItem(key=k, receiver=account, amount_minor=7_00, currency="USD"))

    found = rail.transfer_status(wanted, created_gte=int(time.time()) - 60)

    assert found is not None
    assert (found.key, found.status, found.amount_minor) == (wanted, "confirmed", 7_00)
    assert rail.transfer_status("payout-never-sent") is None


def test_a_reversed_transfer_answers_reversed(rail: StripeConnectRail, stripe_server: StripeServer) -> None:
    account = active_account(rail)
    status = rail.transfer(RailItem(key=key(), receiver=account, amount_minor=9_00, currency="USD"))
    reversal = requests.post(
        f"{stripe_server.url}/v1/transfers/{status.ref}/reversals",
        headers={"Authorization": f"Bearer {API_KEY}"},
        timeout=10,
    )
    assert reversal.status_code == 200

    assert rail.transfer_status(status.key) == status.__class__(
        key=status.key,
        ref=status.ref,
        status="reversed",
        amount_minor=9_00,
        currency="USD",
        reason="reversed by the platform",
    )
    assert [s.status for s in rail.transfers_since(0)] == ["reversed"]


# --- webhooks -----------------------------------------------------------------------------------------------------
def _transfer_object(stripe_server: StripeServer, **extra: Any) -> dict[str, Any]:
    return {
        "id": "tr_1Example",
        "object": "transfer",
        "amount": 1250,
        "currency": "usd",
        "destination": "acct_1Example",
        "metadata": {"payout_key": "payout-42"},
        "reversed": False,
        **extra,
    }


def test_a_signed_transfer_event_parses(rail: StripeConnectRail, stripe_server: StripeServer) -> None:
    payload, header = stripe_server.signed_event("transfer.created", _transfer_object(stripe_server))

    event = rail.parse_webhook(payload, header)

    assert event.id.startswith("evt_")
    assert event.type == "transfer.created"
    assert event.item is not None
    assert (event.item.key, event.item.ref, event.item.status) == ("payout-42", "tr_1Example", "confirmed")
    assert (event.item.amount_minor, event.item.currency) == (1250, "USD")
    assert event.raw == json.loads(payload)


@pytest.mark.parametrize(
    ("event_type", "reversed_", "expected"),
    [
        ("transfer.updated", False, "confirmed"),
        ("transfer.updated", True, "reversed"),
        ("transfer.reversed", True, "reversed"),
    ],
)
def test_transfer_events_map_to_item_statuses(
    rail: StripeConnectRail, stripe_server: StripeServer, event_type: str, reversed_: bool, expected: str
) -> None:
    payload, header = stripe_server.signed_event(event_type, _transfer_object(stripe_server, reversed=reversed_))

    event = rail.parse_webhook(payload, header)

    assert event.item is not None
    assert event.item.status == expected


def test_account_updated_maps_to_the_account(rail: StripeConnectRail, stripe_server: StripeServer) -> None:
    payload, header = stripe_server.signed_event("account.updated", {"id": "acct_1Example", "object": "account"})

    event = rail.parse_webhook(payload, header)

    assert (event.type, event.account, event.item) == ("account.updated", "acct_1Example", None)


def test_other_events_carry_no_item(rail: StripeConnectRail, stripe_server: StripeServer) -> None:
    payload, header = stripe_server.signed_event("payout.paid", {"id": "po_1Example", "object": "payout"})

    event = rail.parse_webhook(payload, header)

    assert (event.type, event.item, event.account) == ("payout.paid", None, "")


def test_the_servers_signature_is_the_sdks(stripe_server: StripeServer) -> None:
    import stripe

    payload, header = stripe_server.signed_event("account.updated", {"id": "acct_1", "object": "account"})
    timestamp = int(header.split(",")[0].removeprefix("t="))

    assert header == stripe.WebhookSignature.generate_signature_header(payload.decode(), SECRET, timestamp)


def _tampered(stripe_server: StripeServer) -> tuple[bytes, str]:
    payload, header = stripe_server.signed_event("transfer.created", _transfer_object(stripe_server))
    return payload.replace(b"1250", b"9999"), header


def _wrong_secret(stripe_server: StripeServer) -> tuple[bytes, str]:
    return stripe_server.signed_event("transfer.created", _transfer_object(stripe_server), secret="whsec_other")


def _too_old(stripe_server: StripeServer) -> tuple[bytes, str]:
    return stripe_server.signed_event(
        "transfer.created", _transfer_object(stripe_server), timestamp=int(time.time()) - 301
    )


def _no_header(stripe_server: StripeServer) -> tuple[bytes, str]:
    payload, _ = stripe_server.signed_event("transfer.created", _transfer_object(stripe_server))
    return payload, ""


def _garbled_header(stripe_server: StripeServer) -> tuple[bytes, str]:
    payload, _ = stripe_server.signed_event("transfer.created", _transfer_object(stripe_server))
    return payload, "not a signature"


def _not_json(stripe_server: StripeServer) -> tuple[bytes, str]:
    payload = b"{not json"
    return payload, sign(payload, SECRET, int(time.time()))


@pytest.mark.parametrize(
    "forge", [_tampered, _wrong_secret, _too_old, _no_header, _garbled_header, _not_json], ids=lambda f: f.__name__
)
def test_bad_webhooks_are_rejected(rail: StripeConnectRail, stripe_server: StripeServer, forge: Any) -> None:
    payload, header = forge(stripe_server)

    with pytest.raises(WebhookRejected):
        rail.parse_webhook(payload, header)


def test_a_webhook_just_inside_the_tolerance_is_accepted(rail: StripeConnectRail, stripe_server: StripeServer) -> None:
    payload, header = stripe_server.signed_event(
        "transfer.created", _transfer_object(stripe_server), timestamp=int(time.time()) - 290
    )

    assert rail.parse_webhook(payload, header).type == "transfer.created"


# --- reach --------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("country", "currency"), [("US", "USD"), ("GB", "GBP"), ("DE", "EUR"), ("ch", "chf")])
def test_can_pay_where_connect_reaches(country: str, currency: str) -> None:
    assert StripeConnectRail.can_pay(country=country, currency=currency) is None


@pytest.mark.parametrize(("country", "name"), [("BR", "Brazil"), ("IN", "India"), ("NG", "Nigeria")])
def test_cannot_pay_elsewhere_and_says_so(country: str, name: str) -> None:
    sentence = StripeConnectRail.can_pay(country=country, currency="USD")

    assert sentence == f"Stripe cannot pay out to accounts in {name} from this platform; choose PayPal."


def test_cannot_pay_in_another_currency_and_says_which() -> None:
    sentence = StripeConnectRail.can_pay(country="GB", currency="USD")

    assert sentence is not None
    assert "GBP" in sentence
    assert "PayPal" in sentence


def test_the_table_covers_the_regions_stripe_names() -> None:
    eea = {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT",
           "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "LI", "NO"}  # fmt: skip
    assert set(CONNECT_PAYOUT_COUNTRIES) == {"US", "CA", "GB", "CH"} | eea


# --- a process race at the rail -----------------------------------------------------------------------------------
RACER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from annotations.providers.rails import TransientProviderError
    from annotations.providers.rails.stripe_connect import StripeConnectRail
    from annotations.providers.rails.types import RailItem

    url, account, payout_key, barrier = sys.argv[1:5]
    rail = StripeConnectRail("sk_test_atelier0loopback", "whsec_x", api_base=url, timeout_seconds=10)
    item = RailItem(key=payout_key, receiver=account, amount_minor=4200, currency="USD", note="race")
    deadline = time.monotonic() + 20
    while not Path(barrier).exists():
        if time.monotonic() > deadline:
            sys.exit("the barrier never opened")
        time.sleep(0.005)
    for attempt in range(60):  # what the Celery task does: try again later with the same key
        try:
            print(rail.transfer(item).ref, attempt, flush=True)
            break
        except TransientProviderError:
            time.sleep(0.1)
    else:
        sys.exit("no answer after 60 attempts")
    """
)


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}"}


def test_six_processes_paying_the_same_key_make_one_transfer(tmp_path: Path) -> None:
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.rails.stripe_server", "--port", "0", "--webhook-secret", "whsec_x"],
        cwd=ROOT,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    racers: list[subprocess.Popen[str]] = []
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        rail = StripeConnectRail(API_KEY, "whsec_x", api_base=url)
        account = active_account(rail)
        # Each request holds its key for a while, so the racers overlap at the rail.
        faults = requests.post(f"{url}/_test/faults", json={"delay": 0.3}, timeout=10)
        assert faults.json()["delay"] == 0.3
        payout_key, barrier = key(), tmp_path / "go"
        racers = [
            subprocess.Popen(
                [sys.executable, "-c", RACER, url, account, payout_key, str(barrier)],
                cwd=ROOT,
                env=_env(),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(6)
        ]
        time.sleep(1.5)  # let every racer import and wait at the barrier
        barrier.touch()
        outputs = [r.communicate(timeout=60) for r in racers]

        assert [r.returncode for r in racers] == [0] * 6, [err for _, err in outputs]
        refs = {out.split()[0] for out, _ in outputs}
        state = requests.get(f"{url}/_test/state", timeout=10).json()
        assert state["transfers_by_key"] == {payout_key: 1}
        assert len(refs) == 1  # every racer got the one transfer back
        assert state["requests_seen"]["/v1/transfers"] >= 6
    finally:
        for r in racers:
            if r.poll() is None:
                r.kill()
        server.terminate()
        server.wait(timeout=10)


def test_the_http_test_endpoints_answer_as_the_methods_do(stripe_server: StripeServer, rail: StripeConnectRail) -> None:
    account = active_account(rail)
    rail.transfer(RailItem(key="payout-a", receiver=account, amount_minor=1_00, currency="USD"))

    over_http = requests.get(f"{stripe_server.url}/_test/state", timeout=10).json()
    assert over_http == stripe_server.state()
    assert over_http["transfers_by_key"] == stripe_server.transfers_by_key() == {"payout-a": 1}

    set_over_http = requests.post(
        f"{stripe_server.url}/_test/faults", json={"fail_next": 2, "status": 503}, timeout=10
    ).json()

    assert (
        set_over_http
        == stripe_server.faults()
        == {
            "fail_next": 2,
            "status": 503,
            "drop_after_next": 0,
            "delay": 0.0,
        }
    )
