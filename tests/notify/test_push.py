"""Web Push from `notify` to a push service on loopback that checks the VAPID signature and
decrypts the payload with the subscriber's keys; a 410 removes the subscription."""

from __future__ import annotations

from site_builder.fp1.encoding import b64u_encode
from site_builder.notify.consent import CONSENT_FILE, ConsentStore, PushSubscription
from site_builder.notify.vapid import vapid_public_b64u
from tests.notify.conftest import Setup, rid_of
from tests.notify.pushservice import Subscriber, push_service


def test_push_is_signed_encrypted_and_gone_subscriptions_are_removed(setup: Setup) -> None:
    master = setup.built.master
    anna, sara = rid_of(master, "p-vh-01"), rid_of(master, "p-vh-03")
    with push_service() as service:
        phone, old, unchanged = Subscriber(), Subscriber(), Subscriber()
        service.subscribers = {"/push/phone": phone, "/push/old": old, "/push/sara": unchanged}
        service.gone = {"/push/old"}
        store = ConsentStore.open(setup.state_dir / CONSENT_FILE)
        for rid, name, sub in (
            (anna, "phone", phone),
            (anna, "old", old),
            (sara, "sara", unchanged),
        ):
            store.add_push(
                PushSubscription(rid, service.endpoint(name), sub.p256dh, b64u_encode(sub.auth))
            )
        config = setup.config.read_text().replace(
            "[push]\nenabled = false\n",
            '[push]\nenabled = true\nsubject = "mailto:it@exempelby.example"\n',
        )
        setup.config.write_text(config)
        setup.use_state("one")  # p-barn-01 changed: anna's documentation, not sara's
        done = setup.notify()
        assert done.returncode == 0, done.stdout + done.stderr
        assert service.rejected == []
        (delivery,) = service.delivered
        assert delivery.path == "/push/phone"
        assert delivery.plaintext == b"Nytt i Familjeportalen"
        assert delivery.vapid_key == vapid_public_b64u(master)
        assert delivery.claims["sub"] == "mailto:it@exempelby.example"
        assert "push: sent 1; expired subscriptions removed 1" in done.stdout
        left = store.push_subscriptions({anna, sara})
        assert sorted(s.endpoint for s in left) == [
            service.endpoint("phone"),
            service.endpoint("sara"),
        ]
        again = setup.notify()  # sent once: nothing new, nothing pushed
        assert again.returncode == 0
        assert len(service.delivered) == 1
        store.close()
