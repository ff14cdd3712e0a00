"""Web Push notices: RFC 8291 (aes128gcm) payload "Nytt i Familjeportalen", signed with VAPID
(RFC 8292) by pywebpush. A subscription the push service answers 404/410 for is gone for good:
it is removed. Other failures leave the notice pending for the next run."""

from __future__ import annotations

from py_vapid import Vapid02
from pywebpush import WebPushException, webpush

from site_builder.fp1 import MasterKey
from site_builder.notify.config import NotifyConfig
from site_builder.notify.consent import ConsentStore, PushSubscription
from site_builder.notify.journal import Journal
from site_builder.notify.summary import Summary
from site_builder.notify.vapid import vapid_private_key

PAYLOAD = "Nytt i Familjeportalen"
TIMEOUT_SECONDS = 10
GONE = (404, 410)


def push_one(sub: PushSubscription, *, vapid: Vapid02, subject: str, ttl: int) -> int:
    """Send the notice to one subscription; the push service's HTTP status (0: unreachable)."""
    info: dict[str, str | bytes | dict[str, str | bytes]] = {
        "endpoint": sub.endpoint,
        "keys": {"p256dh": sub.p256dh, "auth": sub.auth},
    }
    claims: dict[str, str | int] = {"sub": subject}
    try:
        response = webpush(
            info,
            data=PAYLOAD,
            vapid_private_key=vapid,
            vapid_claims=claims,
            ttl=ttl,
            content_encoding="aes128gcm",
            timeout=TIMEOUT_SECONDS,
        )
    except WebPushException as exc:
        return exc.response.status_code if exc.response is not None else 0
    except OSError:
        return 0
    return int(getattr(response, "status_code", 0))


def send_push(
    *,
    journal: Journal,
    store: ConsentStore,
    master: MasterKey,
    config: NotifyConfig,
    summary: Summary,
) -> None:
    pending = journal.pending("push")
    if not pending:
        return
    subs = store.push_subscriptions(set(pending))
    by_rid: dict[str, list[PushSubscription]] = {}
    for sub in subs:
        by_rid.setdefault(sub.rid, []).append(sub)
    vapid = Vapid02(private_key=vapid_private_key(master))
    subject = config.push.subject or f"{config.base_url}/"
    for rid in pending:
        mine = by_rid.get(rid, [])
        if not mine:
            journal.finish([rid], "push", "skipped")
            continue
        delivered, retry = False, False
        for sub in mine:
            status = push_one(sub, vapid=vapid, subject=subject, ttl=config.push.ttl_seconds)
            if 200 <= status < 300:
                delivered = True
            elif status in GONE:
                store.remove_push(rid, endpoint=sub.endpoint)
                summary.push_removed += 1
            else:
                retry = True
        if delivered or not retry:
            journal.finish([rid], "push", "sent" if delivered else "skipped")
            if delivered:
                summary.push_sent += 1
        else:
            journal.postpone([rid], "push", error="push service failed")
            summary.push_failed += 1
