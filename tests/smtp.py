"""A real SMTP server on loopback for the tests (aiosmtpd), and what it received.

`smtp_server(...)` starts one in a thread of the test: plain, STARTTLS
(with a certificate from a test CA made by trustme, that the client is told
to trust through `TRACKER_SMTP_CA_FILE`) or TLS from the first byte, with or
without a login; it can refuse recipients, or be slow, as a real one can.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "tracker", "secret-smtp-password"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class Inbox:
    """The aiosmtpd handler: keeps every message it accepts."""

    refuse: set[str] = field(default_factory=set)  # recipients answered 550
    delay: float = 0.0  # seconds before accepting each message
    received: list[Received] = field(default_factory=list)
    _changed: threading.Condition = field(default_factory=threading.Condition)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        with self._changed:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
            self._changed.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 20.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.received) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{len(self.received)} messages received, {count} awaited")
                self._changed.wait(left)
            return list(self.received)

    def to(self, address: str) -> list[EmailMessage]:
        return [r.message for r in self.received if address in r.rcpt_tos]


def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok)


@dataclass
class SmtpServer:
    inbox: Inbox
    url: str
    ca_file: str
    port: int
    controller: Controller

    def stop(self) -> None:
        self.controller.stop()

    def start(self) -> None:
        self.controller.start()


@contextmanager
def smtp_server(
    tmp_path: Path,
    *,
    tls: str = "starttls",
    login: bool = True,
    port: int | None = None,
    inbox: Inbox | None = None,
) -> Iterator[SmtpServer]:
    """An SMTP server on 127.0.0.1: `tls` is "starttls", "implicit" or "none"."""
    inbox = inbox or Inbox()
    port = port or free_port()
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    ca_file = tmp_path / "smtp-ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    options: dict = {"hostname": "127.0.0.1", "port": port}
    if login:
        # aiosmtpd counts only STARTTLS as TLS for AUTH: over implicit TLS it must
        # be told not to insist (the connection is encrypted from the first byte).
        options.update(authenticator=_authenticator, auth_require_tls=tls == "starttls")
    if tls == "starttls":
        options.update(tls_context=context, require_starttls=True)
    elif tls == "implicit":
        options.update(ssl_context=context)
    controller = Controller(inbox, **options)
    controller.start()
    scheme = "smtps" if tls == "implicit" else "smtp"
    credentials = f"{USER}:{PASSWORD}@" if login else ""
    query = "?tls=none" if tls == "none" else ""
    server = SmtpServer(
        inbox, f"{scheme}://{credentials}127.0.0.1:{port}{query}", str(ca_file), port, controller
    )
    try:
        yield server
    finally:
        with suppress(AssertionError):  # already stopped by the test
            controller.stop()
