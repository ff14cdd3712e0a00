"""`site-builder notify`: plan notices from the build state, then send them (docs/notify.md).

1. plan — the readers whose keyring hash differs from the last run's become pending notices in
   the journal, in one transaction (the first run only records the hashes: no mass mailing
   when notices are switched on);
2. send — every pending notice (this run's and any an earlier run left) goes to the readers
   who consented: one mail per reader, the address read from the register now; each sent
   notice is committed at once, so a crash or a kill neither repeats nor loses any.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path
from threading import local

from tqdm import tqdm

from site_builder.export.files import ExportFiles
from site_builder.export.register import Register
from site_builder.export.top_level import load_config, load_register
from site_builder.notify.addresses import AddressBook, NoAddress
from site_builder.notify.config import NotifyConfig
from site_builder.notify.consent import ConsentStore
from site_builder.notify.journal import Journal
from site_builder.notify.mail import NoticeMail, message_id
from site_builder.notify.smtp import Outcome, Sender, SmtpFatal
from site_builder.notify.summary import Summary
from site_builder.notify.tokens import token_key, unsubscribe_token
from site_builder.pipeline.state.build_state import load_state
from site_builder.pipeline.state.keystore import KeySet

REGISTER_MAX_BYTES = 1 << 30
GIVE_UP_AFTER = 3  # consecutive readers failing temporarily: the server is down, stop the run


class NotifyInputError(ValueError):
    """The export, the state or the configuration cannot be used; the message says how to fix."""


@dataclass(frozen=True)
class Inputs:
    register: Register
    municipality: str


def read_export(export: Path) -> Inputs:
    files = ExportFiles(root=export.resolve(), max_bytes=REGISTER_MAX_BYTES)
    config = load_config(files)
    register = load_register(files)
    problems = [*(config if isinstance(config, list) else [])]
    problems += register if isinstance(register, list) else []
    if problems or isinstance(config, list) or isinstance(register, list):
        raise NotifyInputError(
            f"{export}: " + "; ".join(p.line() for p in problems) + " (nothing was sent)"
        )
    return Inputs(register=register, municipality=config.municipality)


class _Mailer:
    """Sends on `connections` SMTP sessions (one Sender per thread); results come back to the
    caller's thread, which alone writes the journal."""

    def __init__(self, config: NotifyConfig, workers: int) -> None:
        assert config.smtp is not None
        self.smtp = config.smtp
        self._local = local()
        self._senders: list[Sender] = []
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="smtp")

    def _sender(self) -> Sender:
        sender = getattr(self._local, "sender", None)
        if sender is None:
            sender = self._local.sender = Sender(self.smtp)
            self._senders.append(sender)
        return sender

    def submit(self, msg: bytes, to: str) -> Future[Outcome]:
        return self.pool.submit(lambda: self._sender().send(msg, to=to))

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        for sender in self._senders:
            sender.close()


def send_email(
    *,
    journal: Journal,
    consents: set[str],
    book: AddressBook,
    inputs: Inputs,
    config: NotifyConfig,
    key: bytes,
    summary: Summary,
    progress: bool,
) -> None:
    pending = journal.pending("email")
    smtp = config.smtp
    assert smtp is not None
    domain = parseaddr(smtp.sender)[1].rpartition("@")[2]
    # One mail per address: a student who signs in both with BankID and the school login has
    # two rids; their notices are grouped, and closed together in one commit.
    groups: dict[str, list[str]] = {}
    addresses: dict[str, str] = {}
    for rid in pending:
        if rid not in consents:
            journal.finish([rid], "email", "skipped")
            summary.no_consent += 1
            continue
        address = book.address(rid)
        if isinstance(address, NoAddress):
            journal.postpone([rid], "email", error="no_address")
            summary.no_address += 1
            summary.problems.append(f"reader {rid}: {address.line()}")
            continue
        groups.setdefault(address.lower(), []).append(rid)
        addresses.setdefault(address.lower(), address)
    mailer = _Mailer(config, smtp.connections)
    template = NoticeMail(
        sender=smtp.sender, municipality=inputs.municipality, base_url=config.base_url
    )
    in_flight: dict[Future[Outcome], list[str]] = {}
    streak = 0
    bar = tqdm(total=len(groups), unit="mail", disable=not progress, leave=False)

    def settle(done: set[Future[Outcome]]) -> None:
        nonlocal streak
        for future in done:
            rids = in_flight.pop(future)
            try:
                outcome = future.result()
            except SmtpFatal as exc:
                summary.stopped = str(exc)
                continue
            bar.update()
            if outcome.kind == "sent":
                journal.finish(rids, "email", "sent")
                summary.sent += 1
                summary.same_address += len(rids) - 1
                streak = 0
            elif outcome.kind == "permanent":
                journal.finish(rids, "email", "failed", error=outcome.detail)
                summary.failed += 1
                summary.problems.append(f"reader {rids[0]}: refused for good — {outcome.detail}")
                streak = 0
            else:
                journal.postpone(rids, "email", error=outcome.detail)
                streak += 1
                if streak >= GIVE_UP_AFTER and summary.stopped is None:
                    summary.stopped = (
                        f"the SMTP server at {smtp.host}:{smtp.port} keeps failing "
                        f"({outcome.detail}); the rest stay pending: run notify again"
                    )

    try:
        for lowered, rids in groups.items():
            if summary.stopped:
                break
            notices = [(rid, n) for rid in rids for n in pending[rid]]
            msg = template.render(
                to=addresses[lowered],
                msg_id=message_id(notices=notices, domain=domain),
                unsubscribe_token=unsubscribe_token(key=key, rids=rids),
            )
            in_flight[mailer.submit(msg, addresses[lowered])] = rids
            # one message in flight per session: each 250 is committed before that session
            # starts the next, so a kill can only ever catch the one unanswered message
            if len(in_flight) >= smtp.connections:
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                settle(done)
        while in_flight:
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            settle(done)
    finally:
        bar.close()
        mailer.close()
    # what is still pending, other than for want of an address, waits for the next run
    summary.postponed = len(journal.pending("email")) - summary.no_address


def notify(
    *,
    export: Path,
    state_dir: Path,
    keys: KeySet,
    config: NotifyConfig,
    dry_run: bool = False,
    progress: bool = False,
    say: Callable[[str], None] = lambda _: None,
) -> Summary:
    """Plan and send; returns the summary. Raises NotifyInputError / ConsentStoreError /
    StateError with a message for the operator."""
    from site_builder.notify.consent import CONSENT_FILE
    from site_builder.notify.journal import JOURNAL_FILE

    state = load_state(state_dir, keys=keys.all)
    if not state.keyrings:
        raise NotifyInputError(f"{state_dir}: nothing has been built yet; run site-builder build")
    inputs = read_export(export)
    summary = Summary()
    journal = Journal.open(state_dir / JOURNAL_FILE)
    store = ConsentStore.open(state_dir / CONSENT_FILE)
    try:
        plan = journal.changed(state.keyrings)
        consents = store.email_consents()
        book = AddressBook(inputs.register, master=keys.master)
        if dry_run:
            return _dry_run(plan.changed, plan.baseline, journal, consents, book, summary, say)
        journal.record(plan, keyrings=state.keyrings, seq=state.seq, rev=state.rev)
        summary.baseline = len(plan.changed) if plan.baseline else 0
        summary.planned = 0 if plan.baseline else len(plan.changed)
        if config.smtp is not None:
            send_email(
                journal=journal,
                consents=consents,
                book=book,
                inputs=inputs,
                config=config,
                key=token_key(keys.master),
                summary=summary,
                progress=progress,
            )
        else:
            say("no [smtp] in the configuration: e-mail notices stay pending")
        if config.push.enabled:
            from site_builder.notify.push import send_push

            send_push(
                journal=journal, store=store, master=keys.master, config=config, summary=summary
            )
    finally:
        journal.close()
        store.close()
    return summary


def _dry_run(
    changed: list[str],
    baseline: bool,
    journal: Journal,
    consents: set[str],
    book: AddressBook,
    summary: Summary,
    say: Callable[[str], None],
) -> Summary:
    """What a real run would do, by rid: never an address; nothing is written or sent."""
    summary.dry_run = True
    if baseline:
        say(f"first run: would record {len(changed)} readers' documentation, sending nothing")
        summary.baseline = len(changed)
        return summary
    due = set(changed) | set(journal.pending("email"))
    for rid in sorted(due):
        if rid not in consents:
            say(f"reader {rid}: no consent, skip")
            summary.no_consent += 1
        elif isinstance(problem := book.address(rid), NoAddress):
            say(f"reader {rid}: no usable address ({problem.line()})")
            summary.no_address += 1
        else:
            say(f"reader {rid}: would send one e-mail")
            summary.sent += 1
    summary.planned = len(changed)
    return summary


__all__ = ["NotifyInputError", "Summary", "notify"]
