"""A webhook goes to the address that was checked: a name that answers a public address to the check and a
loopback address to a second lookup (DNS rebinding) never gets the request sent to loopback. The connection
keeps the name's Host header, TLS server name and certificate check.

The resolver is faked at the boundary only (`socket.getaddrinfo`, which both our check and the HTTP client call),
answering one name in turns; the receivers are real servers on loopback."""

from __future__ import annotations

import datetime
import socket
import ssl
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from annotations.models import WebhookDelivery, WebhookEndpoint
from annotations.services import webhooks
from annotations.services.webhooks import webhook_deliver, webhook_test
from tests.webhook_receiver import Receiver

pytestmark = pytest.mark.django_db

NAME = "hooks.example.test"


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> Callable[..., list[str]]:
    """`dns("a", "b")`: NAME resolves to a on the first lookup, to b on every later one. Returns the lookups."""
    real = socket.getaddrinfo
    asked: list[str] = []

    def install(*answers: str) -> list[str]:
        def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
            if host != NAME:
                return real(host, port, *args, **kwargs)
            address = answers[min(len(asked), len(answers) - 1)]
            asked.append(address)
            return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, int(port or 0)))]

        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
        return asked

    return install


@pytest.fixture
def receivers() -> Iterator[list[Receiver]]:
    started: list[Receiver] = []
    yield started
    for r in started:
        r.stop()


def deliver(admin: Any, url: str) -> WebhookDelivery:
    # The endpoint row is made directly: the lookups counted are the delivery's own (check, then connection).
    endpoint = WebhookEndpoint.objects.create(
        organization_id=admin.organization_id,
        url=url,
        events=["contribution.submitted"],
        secret="whsec_t",
        created_by=admin,
    )
    delivery = webhook_test(actor=admin, endpoint_id=endpoint.pk)
    done = webhook_deliver(delivery_id=delivery.pk)
    assert done is not None
    return done


def test_a_name_rebound_to_loopback_after_the_check_gets_nothing_sent_there(
    admin, settings, dns, receivers, monkeypatch
) -> None:
    # Given a receiver inside (loopback, not allowed) and a name that answers a public address first
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    monkeypatch.setattr(webhooks, "TIMEOUT_SECONDS", 1)
    inside = Receiver().start()
    receivers.append(inside)
    asked = dns("93.184.216.34", "127.0.0.1")
    # When a delivery is made to that name
    delivery = deliver(admin, f"http://{NAME}:{inside.port}/hooks/atelier")
    # Then nothing reached the address inside; the try failed against the public one and will be retried
    assert inside.received == []
    assert asked[0] == "93.184.216.34"
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("pending", 1, None)
    assert delivery.last_error


def test_the_connection_goes_to_the_checked_address_with_the_names_host_header(admin, settings, dns, receivers) -> None:
    # Given the checked address (allowed, standing for a public one) and a refused one the name moves to
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.2/32"]
    checked = Receiver(host="127.0.0.2").start()
    inside = Receiver(host="127.0.0.1", bind_port=checked.port).start()  # the same port: only the address differs
    receivers.extend([checked, inside])
    dns("127.0.0.2", "127.0.0.1")
    # When the delivery is made
    delivery = deliver(admin, f"http://{NAME}:{checked.port}/hooks/atelier")
    # Then it reached the checked address, named as the URL names it
    assert delivery.state == "delivered", delivery.last_error
    assert len(checked.received) == 1
    assert checked.received[0].headers["Host"] == f"{NAME}:{checked.port}"
    assert checked.received[0].json["event"] == "ping"
    assert inside.received == []


def test_a_normal_delivery_to_an_allowed_loopback_receiver_still_works(admin, settings, receivers) -> None:
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    receiver = Receiver().start()
    receivers.append(receiver)
    delivery = deliver(admin, receiver.url)
    assert delivery.state == "delivered", delivery.last_error
    assert [r.headers["Host"] for r in receiver.received] == [f"127.0.0.1:{receiver.port}"]


def certificate(tmp_path: Path, name: str) -> tuple[ssl.SSLContext, Path]:
    """A CA and a server certificate for `name` signed by it: the server's TLS context and the CA file."""
    now = datetime.datetime.now(datetime.UTC)

    def issue(subject: str, key: Any, issuer_key: Any, issuer: str, ca: bool) -> x509.Certificate:
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        if not ca:
            builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(subject)]), critical=False)
        return builder.sign(issuer_key, hashes.SHA256())

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = issue("Atelier test CA", ca_key, ca_key, "Atelier test CA", True)
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = issue(name, key, ca_key, "Atelier test CA", False)
    ca_file, cert_file, key_file = tmp_path / "ca.pem", tmp_path / "cert.pem", tmp_path / "key.pem"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_file.write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return context, ca_file


@pytest.mark.parametrize(("cert_name", "delivered"), [(NAME, True), ("someone-else.example.test", False)])
def test_https_to_the_pinned_address_sends_the_name_and_verifies_the_certificate_for_it(
    admin, settings, dns, receivers, monkeypatch, tmp_path, cert_name: str, delivered: bool
) -> None:
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    context, ca_file = certificate(tmp_path, cert_name)
    monkeypatch.setattr(webhooks, "TLS_VERIFY", str(ca_file))
    receiver = Receiver(tls=context).start()
    receivers.append(receiver)
    dns("127.0.0.1")
    delivery = deliver(admin, f"https://{NAME}:{receiver.port}/hooks/atelier")
    assert receiver.server_names[:1] == [NAME]  # SNI: the name, not the address
    if delivered:
        assert delivery.state == "delivered", delivery.last_error
        assert receiver.received[0].headers["Host"] == f"{NAME}:{receiver.port}"
    else:
        assert delivery.state == "pending" and receiver.received == []
        assert "certificate" in delivery.last_error.lower() or "hostname" in delivery.last_error.lower()
