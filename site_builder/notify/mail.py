"""The notice mail: the municipality, "Det finns ny dokumentation", the app's address and how to
stop — never a child's name, a reader's name or any of the documentation (docs/notify.md)."""

from __future__ import annotations

import hashlib
from email.message import EmailMessage
from email.policy import SMTP

# Long lines allowed (RFC 5322: 998): the List-Unsubscribe URL must not be folded or encoded.
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


def notice_mail(
    *,
    sender: str,
    to: str,
    municipality: str,
    base_url: str,
    unsubscribe_token: str,
    msg_id: str,
) -> EmailMessage:
    """One notice. `List-Unsubscribe-Post` makes the link one-click (RFC 8058): the mail
    provider POSTs to it; a person following it by GET gets a confirmation button."""
    unsubscribe = unsubscribe_url(base_url, unsubscribe_token)
    msg = EmailMessage(policy=SMTP.clone(max_line_length=998))
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = SUBJECT
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    msg["Message-ID"] = msg_id
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to this
    msg["List-Unsubscribe"] = f"<{unsubscribe}>"
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg["Content-Language"] = "sv, en"
    msg.set_content(
        BODY.format(municipality=municipality, app=base_url + "/", unsubscribe=unsubscribe),
        charset="utf-8",
        cte="quoted-printable",
    )
    return msg
