"""Checking a family archive (docs/fp1.md "Family archive") against the municipality's public
key list: no master key, no network. In: the ZIP's bytes and the key list. Out: a `Report` that
names, per term, each file that is genuine, missing or changed.

What is signed, per term, is `signerat/<seq>/statement.json` (fp1/sign.py). Every other file of
the child is checked by its SHA-256 against the statement's `plain` digest: the child's bundle
and plans (`signerat/<seq>/<blob id>.json`) and the attachments (`filer/<seq>/<blob id>-<name>`).
index.html is made on the device from these and is reported as such, not as signed.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from site_builder.fp1.encoding import b64u_encode
from site_builder.fp1.sign import SignatureError, json_objects, term_list, verify_sig

FILE_REF = re.compile(r'data-fp-blob="([^"]+)"')
TERM_FILE = re.compile(r"^signerat/(\d+)/([^/]+)$")
ATTACHMENT = re.compile(r"^filer/(\d+)/([^/-]+)-[^/]*$")


class ArchiveError(ValueError):
    """The archive cannot be read at all (not a ZIP, truncated, no arkiv.json)."""


@dataclass
class TermReport:
    seq: int
    term: str = ""
    signed_by: str = ""
    signed_on: str = ""
    genuine: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    problem: str = ""  # the signature or statement itself failed: nothing of the term is genuine
    note: str = ""  # listed but rightly absent (past its retention date when the archive was made)
    listed: list[dict[str, Any]] | None = field(default=None, repr=False)  # its signed term list

    @property
    def ok(self) -> bool:
        return not (self.problem or self.missing or self.changed)


@dataclass
class Report:
    child: str
    given_name: str
    terms: list[TermReport]
    unsigned: list[str]  # files the archive has that no signature covers (e.g. index.html)
    term_list: str = ""  # which signed statement listed the child's terms, or why none did

    @property
    def ok(self) -> bool:
        return bool(self.terms) and all(t.ok for t in self.terms)

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "child": self.child,
            "terms": [
                {**{k: v for k, v in vars(t).items() if k != "listed"}, "ok": t.ok}
                for t in self.terms
            ],
            "unsigned": self.unsigned,
            "term_list": self.term_list,
        }


def _read_zip(data: bytes) -> dict[str, bytes]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            bad = archive.testzip()
            if bad is not None:
                raise ArchiveError(f"{bad}: its bytes do not match the ZIP's CRC (changed)")
            return {info.filename: archive.read(info) for info in archive.infolist()}
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise ArchiveError(f"not a complete ZIP archive (truncated or damaged): {exc}") from None


def _digest(data: bytes) -> str:
    return b64u_encode(hashlib.sha256(data).digest())


def _check_term(
    seq: int, files: dict[str, bytes], *, child: str, key_list: dict[str, Any]
) -> tuple[TermReport, set[str]]:
    """The report of one term and the archive names it covered."""
    report, covered = TermReport(seq=seq), set()
    base = f"signerat/{seq}/"
    statement_name, sig_name = base + "statement.json", base + "signatur.json"
    covered |= {statement_name, sig_name}
    if statement_name not in files or sig_name not in files:
        report.missing += [n for n in (statement_name, sig_name) if n not in files]
        report.problem = "the signed statement or its signature is missing"
        return report, covered
    try:
        sig = json.loads(files[sig_name])
        sig = {**sig, "statement": b64u_encode(files[statement_name])}
        statement, _ = verify_sig(sig, key_list=key_list)
    except (ValueError, SignatureError, TypeError) as exc:
        report.changed.append(statement_name)
        report.problem = f"signature: {exc}"
        return report, covered
    report.signed_by, report.signed_on = str(sig.get("kid")), str(statement.get("signed"))
    snapshot = statement.get("snapshot")
    snapshot = snapshot if isinstance(snapshot, dict) else {}
    report.term = str(snapshot.get("term", ""))
    if snapshot.get("seq") != seq:
        report.problem = f"the statement is for snapshot {statement.get('snapshot')}, not {seq}"
        return report, covered
    mine = next((c for c in json_objects(statement.get("children")) if c.get("id") == child), None)
    if mine is None:
        report.problem = "the signed statement is not about this archive's child"
        return report, covered
    wanted = _named_blobs(mine)
    if wanted is None:  # genuine, yet a school's faulty software wrote it
        report.problem = "the signed statement names this child's documents wrongly"
        return report, covered
    report.genuine.append(statement_name)
    try:
        report.listed = term_list(statement, child=child)
    except SignatureError as exc:  # signed, yet not a list a reader could act on
        report.problem = str(exc)
        return report, covered
    entries = {e.get("id"): e for e in json_objects(statement.get("blobs"))}
    refs: list[str] = []
    for blob_id in wanted:
        name = f"{base}{blob_id}.json"
        covered.add(name)
        if not _compare(report, name, files.get(name), entries.get(blob_id)):
            continue
        try:
            refs += _file_refs(json.loads(files[name]))
        except ValueError:  # its bytes are the signed ones, yet the school signed no JSON
            report.problem = f"{name} is signed but is not a document"
    attachments = {m[2]: n for n in files if (m := ATTACHMENT.match(n)) and m[1] == str(seq)}
    for blob_id in dict.fromkeys(refs):
        name = attachments.get(blob_id, f"filer/{seq}/{blob_id}-…")
        covered.add(name)
        _compare(report, name, files.get(name), entries.get(blob_id))
    for name in attachments.values():
        if name not in covered:  # a file the signed documents do not name: swapped in
            covered.add(name)
            report.changed.append(f"{name} (not named by this term's documents)")
    return report, covered


def _named_blobs(entry: dict[str, Any]) -> list[str] | None:
    """The ids of the child's bundle and plans; None unless each is a non-empty string."""
    plans = entry.get("plans", [])
    wanted = [entry.get("bundle"), *(plans if isinstance(plans, list) else [None])]
    return wanted if all(isinstance(b, str) and b for b in wanted) else None


def _file_refs(value: Any) -> list[str]:
    """The attachment ids the fragments of a bundle name (`data-fp-blob`), in order."""
    if isinstance(value, str):
        return FILE_REF.findall(value)
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return [ref for item in items for ref in _file_refs(item)]


def _compare(
    report: TermReport, name: str, data: bytes | None, entry: dict[str, Any] | None
) -> bool:
    if data is None:
        report.missing.append(name)
        return False
    if entry is None or not entry.get("plain"):
        report.changed.append(f"{name} (not in the signed statement)")
        return False
    if _digest(data) != entry["plain"]:
        report.changed.append(name)
        return False
    report.genuine.append(name)
    return True


def verify_archive(data: bytes, *, key_list: dict[str, Any]) -> Report:
    """Check every term of the archive; raises ArchiveError when it cannot be read at all."""
    files = _read_zip(data)
    try:
        manifest = json.loads(files["arkiv.json"])
        child = str(manifest["child"])
    except (KeyError, ValueError, TypeError):
        raise ArchiveError("arkiv.json is missing or unreadable: not a family archive") from None
    seqs = sorted({int(m[1]) for n in files if (m := TERM_FILE.match(n))}, reverse=True)
    listed = {int(t.get("seq", -1)) for t in manifest.get("terms", []) if isinstance(t, dict)}
    terms, covered = [], {"arkiv.json"}
    for seq in sorted(set(seqs) | listed, reverse=True):
        report, names = _check_term(seq, files, child=child, key_list=key_list)
        terms.append(report)
        covered |= names
    term_list = _signed_term_list(terms, made=str(manifest.get("made", ""))[:10])
    unsigned = sorted(n for n in files if n not in covered and not n.endswith("/"))
    return Report(
        child=child,
        given_name=str(manifest.get("givenName", "")),
        terms=sorted(terms, key=lambda t: -t.seq),
        unsigned=unsigned,
        term_list=term_list,
    )


def _signed_term_list(terms: list[TermReport], *, made: str) -> str:
    """Add a report for every term the newest genuine statement lists that the archive lacks
    (docs/fp1.md "Term list"): missing, or only noted when past its retention date on the day
    the archive was made. Returns which statement the list came from."""
    newest = next((t for t in terms if not t.problem and t.listed is not None), None)
    if newest is None:
        return "no signed term list (a build from before term lists): a removed term cannot show"
    present = {t.seq for t in terms}
    for entry in newest.listed or []:
        seq, name, until = entry["seq"], entry["term"], entry["until"] or ""
        if seq in present:
            continue
        present.add(seq)
        report = TermReport(seq=seq, term=name)
        if until and made and until < made:
            report.note = f"past its retention date {until} when the archive was made: deleted"
        else:
            report.missing += [f"signerat/{seq}/statement.json", f"signerat/{seq}/signatur.json"]
            report.problem = (
                f"missing: the signed term list of snapshot {newest.seq} (signed "
                f"{newest.signed_on}) names this term, but the archive does not have it"
            )
        terms.append(report)
    return f"signed in snapshot {newest.seq} ({newest.term}) on {newest.signed_on}"
