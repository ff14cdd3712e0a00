"""A real SMTP server (aiosmtpd) on 127.0.0.1 for the notify tests and benchmark: STARTTLS with
a throw-away CA, AUTH required, and knobs for the faults a relay shows in real life."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.tls import self_signed

USER, PASSWORD = "familjeportalen", "smtp-test-password"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class Handler:
    """Stores every accepted message. Faults: `refuse` maps an address to an RCPT reply;
    `on_rcpt(count)` runs at each RCPT (a test may kill the client there); `close_after` drops
    the connection once after that many accepted messages."""

    received: list[Received] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)
    on_rcpt: Callable[[int], None] | None = None
    close_after: int | None = None
    delay: dict[int, float] = field(default_factory=dict)  # RCPT number → seconds to stall
    rcpts: int = 0
    store: bool = True
    count: int = 0

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        self.rcpts += 1
        if self.on_rcpt is not None:
            self.on_rcpt(self.rcpts)
        if self.rcpts in self.delay:
            await asyncio.sleep(self.delay[self.rcpts])
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.count += 1
        if self.close_after is not None and self.count == self.close_after + 1:
            self.close_after = None
            server.transport.close()  # mid-batch: before the 250, so this one is not delivered
            return "421 closing"
        if self.store:
            message = message_from_bytes(envelope.content, policy=policy.default)
            assert isinstance(message, EmailMessage)
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted"


def _authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok, handled=False)


@dataclass
class SmtpServer:
    host: str
    port: int
    ca_file: Path
    handler: Handler

    def config_toml(self, *, base_url: str, extra: str = "") -> str:
        return (
            f'base_url = "{base_url}"\n[smtp]\nhost = "{self.host}"\nport = {self.port}\n'
            f'security = "starttls"\nusername = "{USER}"\npassword_env = "NOTIFY_SMTP_PASSWORD"\n'
            f'from = "Exempelby kommun <familjeportalen@exempelby.example>"\n'
            f'ca_file = "{self.ca_file}"\ntimeout_seconds = 5\nretries = 2\n'
            f"retry_base_seconds = 0.05\n{extra}[push]\nenabled = false\n"
        )


@contextlib.contextmanager
def smtp_server(
    folder: Path, handler: Handler | None = None, *, port: int | None = None
) -> Iterator[SmtpServer]:
    """The server on 127.0.0.1:<free port>, stopped when the block ends."""
    cert, key = self_signed(folder, prefix="smtp-")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    handler = handler or Handler()
    port = port or free_port()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        require_starttls=True,
        auth_required=True,
        authenticator=_authenticator,
        ready_timeout=10,
    )
    try:
        controller.start()
    except BaseException:
        controller.loop.close()  # its self-pipe would otherwise leak into a later test's warnings
        raise
    try:
        yield SmtpServer(host="127.0.0.1", port=port, ca_file=cert, handler=handler)
    finally:
        controller.stop()
