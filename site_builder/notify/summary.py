"""What one `notify` run did, as text for the terminal and as JSON."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Summary:
    planned: int = 0  # readers whose documentation changed in this run's plan
    baseline: int = 0  # first run: readers recorded without a notice
    sent: int = 0
    no_consent: int = 0
    no_address: int = 0
    same_address: int = 0  # a second rid of one person (BankID and school login): not mailed
    failed: int = 0  # refused for good (5xx)
    postponed: int = 0  # temporary failures: pending for the next run
    push_sent: int = 0
    push_removed: int = 0
    push_failed: int = 0
    stopped: str | None = None
    dry_run: bool = False
    problems: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return dict(self.__dict__)

    def to_text(self) -> str:
        lines = []
        if self.baseline:
            lines.append(
                f"first run: recorded the documentation of {self.baseline} readers; "
                "later changes are notified"
            )
        verb = "would notify" if self.dry_run else "notified"
        lines.append(
            f"{verb} {self.sent} by e-mail; skipped without consent {self.no_consent}; "
            f"no address {self.no_address}; failed {self.failed}; "
            f"left for the next run {self.postponed}"
        )
        if self.push_sent or self.push_removed or self.push_failed:
            lines.append(
                f"push: sent {self.push_sent}; expired subscriptions removed "
                f"{self.push_removed}; failed {self.push_failed}"
            )
        lines += ["  " + p for p in self.problems[:50]]
        if len(self.problems) > 50:
            lines.append(f"  … and {len(self.problems) - 50} more")
        if self.stopped:
            lines.append(f"stopped: {self.stopped}")
        return "\n".join(lines)
