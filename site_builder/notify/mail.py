"""The notice mail: the municipality, "Det finns ny dokumentation", the app's address and how to
stop — never a child's name, a reader's name or any of the documentation (docs/notify.md).

The parts every mail shares are encoded once per run by the standard library's email package;
each mail then only adds its own To, Date, Message-ID and unsubscribe link (all ASCII: the
address passed addresses.valid_address, the link is base_url + a base64url token), so 30,000
mails do not each pay for a full MIME composition.
"""

from __future__ import annotations

import binascii
import hashlib
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate
from urllib.parse import quote

SUBJECT = "Det finns ny dokumentation i Familjeportalen"

BODY = """\
Hej!

Det finns ny dokumentation från {municipality} i Familjeportalen.
Logga in för att läsa den: {app}

Du får det här brevet för att du har valt att få e-post när något nytt publiceras.
Vill du inte längre få dem? Stäng av det i appen under Hjälp, eller öppna:
{unsubscribe}

Svara inte på det här brevet; det skickas automatiskt.

---
There is new documentation from {municipality} in Familjeportalen.
Sign in to read it: {app}
To stop these e-mails, turn them off in the app under Help, or open the link above.
"""


def message_id(*, notices: list[tuple[str, tuple[int, int]]], domain: str) -> str:
    """The same Message-ID for the same (rid, (seq, rev)) notices, so a repeat is recognisable."""
    basis = ",".join(f"{rid}.{seq}.{rev}" for rid, (seq, rev) in notices)
    return f"<fp-{hashlib.sha256(basis.encode()).hexdigest()[:32]}@{domain}>"


def unsubscribe_url(base_url: str, token: str) -> str:
    return f"{base_url}/auth/unsubscribe?t={quote(token, safe='')}"


class NoticeMail:
    """Built once per run; `render` gives one mail's bytes for smtplib.sendmail."""

    def __init__(self, *, sender: str, municipality: str, base_url: str) -> None:
        self.base_url = base_url
        self.body = BODY.replace("{municipality}", municipality).replace("{app}", base_url + "/")
        shared = EmailMessage(policy=SMTP)
        shared["From"] = sender  # RFC 2047-encoded here when the name is not ASCII
        shared["Subject"] = SUBJECT
        shared["MIME-Version"] = "1.0"
        shared["Content-Type"] = 'text/plain; charset="utf-8"'
        shared["Content-Transfer-Encoding"] = "quoted-printable"
        shared["Content-Language"] = "sv, en"
        shared["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to this
        # one-click (RFC 8058): the provider POSTs to the List-Unsubscribe link; a person who
        # opens it by GET gets a confirmation button
        shared["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        self.headers = b"".join(SMTP.fold_binary(name, value) for name, value in shared.items())

    def render(self, *, to: str, msg_id: str, unsubscribe_token: str) -> bytes:
        unsubscribe = unsubscribe_url(self.base_url, unsubscribe_token)
        body = self.body.replace("{unsubscribe}", unsubscribe).encode("utf-8")
        own = (
            f"To: {to}\r\nDate: {formatdate(usegmt=True)}\r\nMessage-ID: {msg_id}\r\n"
            f"List-Unsubscribe: <{unsubscribe}>\r\n"
        ).encode("ascii")
        return own + self.headers + b"\r\n" + binascii.b2a_qp(body)
