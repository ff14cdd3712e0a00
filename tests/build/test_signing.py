"""Signed keyrings from the build: every keyring a build publishes (first, patched by a
correction, after `keys rotate-signing`) carries a statement that verifies under the published
key list, `keys.json` and the shell's pinned copy agree, and the key commands do what they say."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from site_builder.cli import main
from site_builder.fp1.sign import verify_sig
from tests.export import minimal
from tests.export.edit import replace_in
from tests.security.built import BuiltSite, built_site


def _statement(site: BuiltSite) -> dict[str, object]:
    ring = site.keyring(site.rid(minimal.GUARDIAN_PNR))
    key_list = json.loads((site.out / "keys.json").read_text("utf-8"))
    statement, _ = verify_sig(ring["sig"], key_list=key_list)
    assert statement["rev"] == ring.get("rev", 0) and statement["reader"] == ring["reader"]
    assert [e["sha256"] for e in statement["blobs"]] == [e["sha256"] for e in ring["blobs"]]  # type: ignore[index]
    assert all("key" not in e and e["plain"] for e in statement["blobs"])  # type: ignore[union-attr, index]
    return statement


def test_first_build_patch_and_rotation_are_all_signed(tmp_path: Path) -> None:
    site = built_site(tmp_path, minimal.write_minimal_export(tmp_path / "export"))
    first = _statement(site)
    pinned = next((site.out / "app").glob("main.bundle.js")).read_text("utf-8")
    kid = json.loads((site.out / "keys.json").read_text("utf-8"))["keys"][0]["kid"]
    assert kid in pinned and "__FP_SIGNING_KEYS__" not in pinned.split("const PINNED = ")[1][:40]

    replace_in(site.export / minimal.POST, "med måttband", "med tumstock")
    site.build()
    patched = _statement(site)
    assert patched["rev"] == 1 and patched["snapshot"] == first["snapshot"]  # same seq, re-signed

    runner = CliRunner()
    result = runner.invoke(main, ["keys", "rotate-signing", "--state-dir", str(site.state_dir)])
    assert result.exit_code == 0, result.output
    site.build()
    keys = json.loads((site.out / "keys.json").read_text("utf-8"))["keys"]
    assert [k["kid"] == kid for k in keys] == [True, False]
    assert keys[0]["until"] is not None and keys[1]["until"] is None  # the old one stays listed
    ring = site.keyring(site.rid(minimal.GUARDIAN_PNR))
    assert ring["sig"]["kid"] == keys[1]["kid"]
    _statement(site)

    shown = runner.invoke(main, ["keys", "show", "--state-dir", str(site.state_dir)])
    assert shown.exit_code == 0 and shown.output.count("\n") == 2 and kid in shown.output


def test_keys_init_makes_the_signing_key_private(tmp_path: Path) -> None:
    state = tmp_path / "state"
    result = CliRunner().invoke(main, ["keys", "init", "--state-dir", str(state)])
    assert result.exit_code == 0, result.output
    assert "signing key" in result.output
    assert (state / "keys" / "signing.key").stat().st_mode & 0o777 == 0o600
    assert len((state / "keys" / "signing.key").read_bytes()) == 32
    listed = json.loads((state / "keys" / "signing-keys.json").read_text("utf-8"))
    assert listed["keys"][0]["alg"] == "Ed25519" and listed["keys"][0]["until"] is None


def _terms(site: BuiltSite) -> list[tuple[int, str]]:
    """The signed term list of the guardian's one child in the newest keyring."""
    children = _statement(site)["children"]
    assert isinstance(children, list) and len(children) == 1
    return [(t["seq"], t["term"]) for t in children[0]["terms"]]


def test_the_signed_term_list_names_every_term_also_after_a_patch(tmp_path: Path) -> None:
    """docs/fp1.md "Term list": the newest statement lists the child's terms (newest first), a
    correction re-signs it with the list, and a term past its retention date leaves it."""
    site = built_site(tmp_path, minimal.write_minimal_export(tmp_path / "export"))
    assert _terms(site) == [(1, "HT2026")]
    toml = site.export / "export.toml"
    replace_in(toml, 'term = "HT2026"', 'term = "VT2027"')
    replace_in(toml, 'retention_until = "2028-06-30"', 'retention_until = "2029-06-30"')
    site.build()
    assert _terms(site) == [(2, "VT2027"), (1, "HT2026")]
    until = [t["until"] for t in _statement(site)["children"][0]["terms"]]  # type: ignore[index]
    assert until == ["2029-06-30", "2028-06-30"]

    replace_in(site.export / minimal.POST, "med måttband", "med tumstock")
    site.build()
    patched = _statement(site)
    assert patched["rev"] == 1 and _terms(site) == [(2, "VT2027"), (1, "HT2026")]

    site.build(today=date(2028, 7, 1))  # HT2026 past its retention date: no longer published
    assert _terms(site) == [(3, "VT2027")]
