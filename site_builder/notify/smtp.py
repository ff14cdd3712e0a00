"""One SMTP session that delivers notices: STARTTLS (or implicit TLS), AUTH, reconnects when the
server closes mid-batch, retries temporary failures with doubling back-off, and tells permanent
refusals (5xx) from temporary ones (4xx, timeouts, lost connections)."""

from __future__ import annotations

import smtplib
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from site_builder.notify.config import SmtpConfig

Kind = Literal["sent", "permanent", "temporary", "fatal"]


@dataclass(frozen=True, slots=True)
class Outcome:
    kind: Kind
    detail: str = ""  # the server's code and text with the recipient's address blanked out


class SmtpFatal(Exception):
    """The whole run must stop (authentication refused, TLS impossible): nothing more can go."""


def _scrub(text: object, address: str) -> str:
    value = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return value.replace(address, "<address>")[:200]


class Sender:
    """Not thread-safe: one Sender per SMTP connection."""

    def __init__(self, config: SmtpConfig, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.config = config
        self._smtp: smtplib.SMTP | None = None
        self._sleep = sleep

    def _tls(self) -> ssl.SSLContext:
        context = ssl.create_default_context(
            cafile=str(self.config.ca_file) if self.config.ca_file else None
        )
        return context

    def _connect(self) -> smtplib.SMTP:
        c = self.config
        smtp: smtplib.SMTP
        if c.security == "tls":
            smtp = smtplib.SMTP_SSL(c.host, c.port, timeout=c.timeout_seconds, context=self._tls())
        else:
            smtp = smtplib.SMTP(c.host, c.port, timeout=c.timeout_seconds)
        try:
            # Commands are small and each waits for its reply: without NODELAY, Nagle's
            # algorithm and the server's delayed ACK can stall every message by tens of ms.
            if smtp.sock is not None:
                smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            smtp.ehlo()
            if c.security == "starttls":
                if not smtp.has_extn("starttls"):
                    raise SmtpFatal(
                        f"{c.host}:{c.port} does not offer STARTTLS; use its TLS port with "
                        "security = 'tls', or a relay that encrypts"
                    )
                smtp.starttls(context=self._tls())
                smtp.ehlo()
            if c.username is not None and c.password is not None:
                smtp.login(c.username, c.password.get_secret_value())
        except smtplib.SMTPAuthenticationError as exc:
            smtp.close()
            raise SmtpFatal(
                f"{c.host}:{c.port} refused the login of {c.username!r} ({exc.smtp_code}); "
                "check smtp.username and the password in smtp.password_env"
            ) from None
        except ssl.SSLError as exc:
            smtp.close()
            raise SmtpFatal(
                f"{c.host}:{c.port}: TLS failed ({exc.reason}); check the server's certificate "
                "(smtp.ca_file for a private CA)"
            ) from None
        except BaseException:
            smtp.close()
            raise
        return smtp

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None

    def _drop(self) -> None:
        if self._smtp is not None:
            self._smtp.close()
            self._smtp = None

    def _once(self, msg: bytes, to: str) -> Outcome:
        try:
            if self._smtp is None:
                self._smtp = self._connect()
            self._smtp.sendmail(self.config.envelope_from, [to], msg)
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()), (0, b""))
            kind: Kind = "permanent" if 500 <= code < 600 else "temporary"
            self._reset()
            return Outcome(kind, f"recipient refused: {code} {_scrub(text, to)}")
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
            kind = "permanent" if 500 <= exc.smtp_code < 600 else "temporary"
            self._reset()
            return Outcome(kind, f"message refused: {exc.smtp_code} {_scrub(exc.smtp_error, to)}")
        except smtplib.SMTPResponseException as exc:
            self._drop()
            return Outcome("temporary", f"{exc.smtp_code} {_scrub(exc.smtp_error, to)}")
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            self._drop()  # refused, reset, timed out or closed mid-batch: a new session next
            return Outcome("temporary", f"{type(exc).__name__}: {_scrub(exc, to) or 'no answer'}")
        return Outcome("sent")

    def _reset(self) -> None:
        try:
            if self._smtp is not None:
                self._smtp.rset()
        except (smtplib.SMTPException, OSError):
            self._drop()

    def send(self, msg: bytes, *, to: str) -> Outcome:
        """Deliver with retries; raises SmtpFatal when no mail can go at all."""
        outcome = Outcome("temporary")
        for attempt in range(self.config.retries + 1):
            if attempt:
                self._sleep(self.config.retry_base_seconds * 2 ** (attempt - 1))
            outcome = self._once(msg, to)
            if outcome.kind != "temporary":
                return outcome
        return outcome
