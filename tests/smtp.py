"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for tests that read the mail Atelier sent
(a verification code, an invitation link) and count deliveries where they land: in the mailbox."""

from __future__ import annotations

import asyncio
import email
import email.policy
import re
import threading
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from tests.conftest import free_port


@dataclass
class Mailbox:
    """Messages as the server accepted them (after the final `.` of DATA), oldest first."""

    host: str = "127.0.0.1"
    port: int = 0
    messages: list[EmailMessage] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Called with the envelope before the message is accepted (a test can stall or fail the conversation here).
    before_accept: Any = None
    # Seconds the server waits after the final `.` of DATA before it answers. A client that goes away meanwhile
    # (a worker killed mid-conversation) gets no 250 and the message is not kept, as a real server treats it.
    hold: float = 0.0
    held: int = 0  # conversations that reached the wait

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [m for m in self.messages if address.lower() in str(m["To"]).lower()]

    def wait_for(self, address: str, count: int = 1, timeout: float = 15.0, subject: str = "") -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [m for m in self.to(address) if subject.lower() in str(m["Subject"]).lower()]
            if len(found) >= count:
                return found
            time.sleep(0.05)
        raise AssertionError(f"{count} mail(s) to {address} {subject!r} did not arrive; got {len(self.to(address))}")

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()
            self.held = 0


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    return str(part.get_content()) if part is not None else ""


def html_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    return str(part.get_content()) if part is not None else ""


def code_in(message: EmailMessage) -> str:
    """The verification code allauth puts in its mail (e.g. `JHNP-ZKLM`)."""
    found = re.search(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b|\b[A-Z0-9]{6,8}\b", text_of(message))
    assert found, text_of(message)
    return found.group(0)


def link_in(message: EmailMessage, path_fragment: str) -> str:
    found = re.search(r"https?://\S*" + re.escape(path_fragment) + r"\S*", text_of(message))
    assert found, text_of(message)
    return found.group(0).rstrip(".,)>")


class _Handler:
    def __init__(self, box: Mailbox) -> None:
        self.box = box

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.box.before_accept is not None:
            result = self.box.before_accept(envelope)
            if isinstance(result, str):
                return result
        if self.box.hold:
            with self.box.lock:
                self.box.held += 1
            deadline = time.monotonic() + self.box.hold
            while time.monotonic() < deadline and self.box.hold:
                await asyncio.sleep(0.05)  # cancelled if the client's connection is lost meanwhile
            if server.transport is None or server.transport.is_closing():
                return "451 Connection lost"
        message = email.message_from_bytes(bytes(envelope.content or b""), policy=email.policy.default)  # type: ignore[arg-type]
        assert isinstance(message, EmailMessage)
        with self.box.lock:
            self.box.messages.append(message)
        return "250 Message accepted for delivery"


def start_smtp() -> tuple[Mailbox, Controller]:
    box = Mailbox(port=free_port())
    controller = Controller(_Handler(box), hostname=box.host, port=box.port)
    controller.start()
    return box, controller
