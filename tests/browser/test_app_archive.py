""" "Ladda ner arkiv" end to end: a guardian downloads the archive of a child with two terms in
Chromium, `site-builder verify` accepts it, and every alteration is reported: a flipped byte, a
file swapped in from a sibling's archive, a file removed, a signature by another key, a
truncated archive. index.html opens from disk without the app or a network."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from playwright.sync_api import Browser
from pypdf import PdfReader

from site_builder.cli import main
from site_builder.fp1.archive import ArchiveError, verify_archive
from tests.browser.app_harness import (
    CASES,
    DESKTOP,
    NAMES,
    assert_accessible,
    choose_language,
    family_context,
    screenshot,
    settled,
    sign_in,
)
from tests.browser.conftest import serving
from tests.browser.test_app_terms import _open_child, _two_terms

pytestmark = pytest.mark.browser
GUARDIAN = CASES["guardian_two_children"]
CHILDREN = ("p-barn-01", "p-barn-07")


@pytest.fixture(scope="module")
def archives(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    """Both children's archives as the app downloads them, and the site's key list."""
    root = tmp_path_factory.mktemp("archive")
    site = _two_terms(root)
    out: dict[str, Any] = {"keys": site.state / "keys" / "signing-keys.json"}
    with serving(site) as server:
        context = family_context(browser, viewport=DESKTOP)
        try:
            page = context.new_page()
            sign_in(page, server, GUARDIAN)
            page.wait_for_function(
                "() => navigator.serviceWorker.controller !== null", timeout=90_000
            )
            # Installed: jsPDF and the fonts (1.5 MB) are not fetched until an archive needs them.
            out["vendor_after_install"] = page.evaluate(VENDOR_CACHED)
            for person in CHILDREN:
                page.goto(server.base_url + "/#/")
                settled(page)
                _open_child(page, NAMES[person])
                if person == CHILDREN[0]:
                    assert_accessible(page, "child page with the archive button")
                with page.expect_download() as download:
                    page.locator("[data-fp-archive]").click()
                path = root / f"{person}.zip"
                download.value.save_as(path)
                assert "arkiv-" in download.value.suggested_filename
                out[person] = path
                page.wait_for_function(
                    "() => document.querySelector('[data-fp-archive-status]').textContent"
                    ".startsWith('Klart')"
                )
            # In Tigrinya: the labels are Ethiopic, which the PDF's main font does not have.
            choose_language(page, "ትግርኛ")
            page.goto(server.base_url + "/#/")
            settled(page)
            page.locator(".card h2 a").first.click()
            page.wait_for_url("**/barn/**")
            settled(page)
            with page.expect_download() as download:
                page.locator("[data-fp-archive]").click()
            out["ti"] = root / "ti.zip"
            download.value.save_as(out["ti"])
            choose_language(page, "Svenska")
            # Made online, the archive left jsPDF and both fonts in the worker's cache (stored
            # behind the answer: wait for it).
            page.evaluate(VENDOR_STORED, len(VENDOR_USED))
            out["vendor_after_archive"] = page.evaluate(VENDOR_CACHED)
            # Offline, with the service worker's copy of the shell and of jsPDF and the fonts
            # stored when the archive was made online: the archive (PDF included) is made again.
            # (the worker may still be precaching on a loaded machine: wait until it controls)
            page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
            page.wait_for_function("() => navigator.serviceWorker.controller !== null")
            context.set_offline(True)
            page.reload()
            settled(page)
            with page.expect_download() as download:
                page.locator("[data-fp-archive]").click()
            out["offline"] = root / "offline.zip"
            download.value.save_as(out["offline"])
            # A device that never made an archive online: the family's files are stored, jsPDF
            # and the fonts are not. Offline, the archive is made without arkiv.pdf and says so.
            page.evaluate("() => caches.delete('fp-vendor')")
            page.reload()
            settled(page)
            with page.expect_download() as download:
                page.locator("[data-fp-archive]").click()
            out["no_pdf"] = root / "no-pdf.zip"
            download.value.save_as(out["no_pdf"])
            status = page.locator("[data-fp-archive-status]")
            page.wait_for_function(
                "() => document.querySelector('[data-fp-archive-status]').textContent"
                ".startsWith('Klart')"
            )
            out["no_pdf_status"] = status.inner_text()
            assert_accessible(page, "archive made offline without its PDF")
            for width, height in ((375, 812), (320, 640), (DESKTOP["width"], DESKTOP["height"])):
                page.set_viewport_size({"width": width, "height": height})
                status.scroll_into_view_if_needed()
                screenshot(page, f"archive-no-pdf-{width}")
            choose_language(page, "English")  # the same, in English, at phone width
            page.set_viewport_size({"width": 375, "height": 812})
            with page.expect_download():
                page.locator("[data-fp-archive]").click()
            page.wait_for_function(
                "() => document.querySelector('[data-fp-archive-status]').textContent"
                ".startsWith('Done')"
            )
            out["no_pdf_status_en"] = status.inner_text()
            status.scroll_into_view_if_needed()
            screenshot(page, "archive-no-pdf-en-375")
            choose_language(page, "Svenska")
            page.set_viewport_size(DESKTOP)
            context.set_offline(False)
            # A device out of space: making the ZIP's Blob fails. The app says so and no file
            # is offered for download (nothing half-written).
            page.evaluate(
                "() => { window.Blob = class { constructor() {"
                " throw new DOMException('full', 'QuotaExceededError'); } }; }"
            )
            downloads: list[object] = []
            page.on("download", lambda d: downloads.append(d))
            page.locator("[data-fp-archive]").click()
            page.wait_for_function(
                "() => document.querySelector('[data-fp-archive-status]').textContent"
                ".includes('kunde inte')"
            )
            out["no_room_downloads"] = len(downloads)
        finally:
            context.close()
    yield out


VENDOR_USED = ("jspdf-4.2.1.umd.min.js", "DejaVuSans-2.37.ttf", "NotoSansEthiopic-20201225.ttf")
# Every /vendor/ path in any of the page's caches.
VENDOR_CACHED = """async () => {
  const out = [];
  for (const name of await caches.keys()) {
    for (const r of await (await caches.open(name)).keys()) {
      const path = new URL(r.url).pathname;
      if (path.startsWith("/vendor/")) out.push(path);
    }
  }
  return out.sort();
}"""


# Polled in the page (wait_for_function does not await an async predicate): up to 60 s.
VENDOR_STORED = f"""async (n) => {{
  for (let i = 0; i < 600 && (await ({VENDOR_CACHED})()).length < n; i++) {{
    await new Promise((ok) => setTimeout(ok, 100));
  }}
}}"""


def _keys(archives: dict[str, Any]) -> dict[str, object]:
    return dict(json.loads(archives["keys"].read_text("utf-8")))


def _rezip(data: bytes, edit: Callable[[dict[str, bytes]], None]) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        files = {i.filename: z.read(i) for i in z.infolist()}
    edit(files)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, content in files.items():
            z.writestr(name, content)
    return buffer.getvalue()


def _bundle_name(files: dict[str, bytes]) -> str:
    manifest = json.loads(files["arkiv.json"])
    seq = manifest["terms"][0]["seq"]
    statement = json.loads(files[f"signerat/{seq}/statement.json"])
    bundle = next(c["bundle"] for c in statement["children"] if c["id"] == manifest["child"])
    return f"signerat/{seq}/{bundle}.json"


def test_the_downloaded_archive_of_two_terms_is_genuine(archives: dict[str, Any]) -> None:
    data = archives[CHILDREN[0]].read_bytes()
    report = verify_archive(data, key_list=_keys(archives))
    assert report.ok, report.as_json()
    assert [t.term for t in report.terms] == ["VT2027", "HT2026"]
    names = [n for t in report.terms for n in t.genuine]
    assert any(n.startswith("filer/") and n.endswith(".webp") for n in names)  # the photo
    assert "index.html" in report.unsigned and "LAS-MIG.txt" in report.unsigned
    result = CliRunner().invoke(
        main, ["verify", str(archives[CHILDREN[0]]), "--keys", str(archives["keys"])]
    )
    assert result.exit_code == 0, result.output
    assert "GENUINE" in result.output and "VT2027" in result.output
    assert "not signed (a PDF rendering on the device" in result.output
    assert "term list: signed in snapshot" in result.output


IMAGE_TYPES = (".webp", ".jpg", ".jpeg", ".png", ".gif")


def test_the_archive_has_a_pdf_of_the_whole_with_text_and_images(archives: dict[str, Any]) -> None:
    """arkiv.pdf: selectable text (Swedish letters as written) and every image of the archive
    embedded; `verify` names it as a rendering made on the device, and it is not signed."""
    with zipfile.ZipFile(archives[CHILDREN[0]]) as z:
        pdf = PdfReader(io.BytesIO(z.read("arkiv.pdf")))
        images = [n for n in z.namelist() if n.startswith("filer/") and n.endswith(IMAGE_TYPES)]
    assert pdf.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Vårterminens första dag i skogen" in text  # VT2027's rewritten post
    assert "samlade löv och kottar" in text and "efter färg och storlek" in text  # HT2026
    assert "VT2027" in text and "HT2026" in text and NAMES[CHILDREN[0]] in text
    assert "<" not in text  # text, not the teachers' markup
    talk = "inskolningen till den äldre gruppen"  # the development talk is in the archive too
    with zipfile.ZipFile(archives[CHILDREN[0]]) as z:
        assert talk in " ".join(text.split()) and talk in z.read("index.html").decode()
    embedded = {img.name for page in pdf.pages for img in page.images}
    assert len(images) >= 2 and len(embedded) == len(images), (embedded, images)
    report = verify_archive(archives[CHILDREN[0]].read_bytes(), key_list=_keys(archives))
    assert "arkiv.pdf" in report.unsigned and report.ok


def test_a_term_removed_from_the_archive_is_reported_missing(
    archives: dict[str, Any], tmp_path: Path
) -> None:
    """The newest term's signed statement lists every term of the child: removing HT2026's
    files and its line in arkiv.json (which is not signed) still shows as a missing term."""
    data, keys = archives[CHILDREN[0]].read_bytes(), _keys(archives)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        manifest = json.loads(z.read("arkiv.json"))
    old = next(t for t in manifest["terms"] if t["term"] == "HT2026")

    def drop_term(files: dict[str, bytes]) -> None:
        for name in [
            n for n in files if n.startswith((f"signerat/{old['seq']}/", f"filer/{old['seq']}/"))
        ]:
            del files[name]
        kept = {**manifest, "terms": [t for t in manifest["terms"] if t["seq"] != old["seq"]]}
        files["arkiv.json"] = json.dumps(kept).encode()

    report = verify_archive(_rezip(data, drop_term), key_list=keys)
    assert not report.ok
    by_term = {t.term: t for t in report.terms}
    assert by_term["VT2027"].ok and by_term["HT2026"].problem.startswith("missing:")
    assert f"signerat/{old['seq']}/statement.json" in by_term["HT2026"].missing
    assert "VT2027" in report.term_list
    removed = tmp_path / "removed.zip"
    removed.write_bytes(_rezip(data, drop_term))
    result = CliRunner().invoke(main, ["verify", str(removed), "--keys", str(archives["keys"])])
    assert result.exit_code == 1 and "term HT2026" in result.output and "MISSING" in result.output


def test_tigrinya_labels_are_set_in_the_pdf_in_an_ethiopic_font(archives: dict[str, Any]) -> None:
    """DejaVu Sans has no Ethiopic: a Tigrinya reader's labels come out in Noto Sans Ethiopic,
    the teachers' Swedish text beside them in DejaVu Sans, and both read back as text."""
    locale = Path(__file__).parents[2] / "themes/default/shell/locales/ti.json"
    label = json.loads(locale.read_text("utf-8"))["larlogg"]
    with zipfile.ZipFile(archives["ti"]) as z:
        pdf = PdfReader(io.BytesIO(z.read("arkiv.pdf")))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert label in text and "samlade löv och kottar" in text
    fonts = {
        str(font["/BaseFont"])
        for page in pdf.pages
        for font in page["/Resources"]["/Font"].values()
        if "/BaseFont" in font.get_object()
    }
    assert any("Ethiopic" in f for f in fonts), fonts


def test_the_archive_with_its_pdf_is_made_offline(archives: dict[str, Any]) -> None:
    with zipfile.ZipFile(archives["offline"]) as z:
        pdf = PdfReader(io.BytesIO(z.read("arkiv.pdf")))
        text = " ".join(p.extract_text() for p in pdf.pages)  # the child last opened
        assert any(NAMES[c] in text for c in CHILDREN) and len(pdf.pages) > 2
    assert verify_archive(archives["offline"].read_bytes(), key_list=_keys(archives)).ok


def test_jspdf_and_the_fonts_are_stored_when_an_archive_is_first_made(
    archives: dict[str, Any],
) -> None:
    assert archives["vendor_after_install"] == []
    assert {f"/vendor/{name}" for name in VENDOR_USED} <= set(archives["vendor_after_archive"])


def test_offline_without_jspdf_the_archive_has_no_pdf_says_so_and_verifies(
    archives: dict[str, Any],
) -> None:
    with zipfile.ZipFile(archives["no_pdf"]) as z:
        names = set(z.namelist())
    assert "arkiv.pdf" not in names
    assert {"index.html", "arkiv.json", "LAS-MIG.txt"} <= names
    assert "Klart" in archives["no_pdf_status"]
    assert "Arkivet saknar PDF:en. Gör arkivet igen när du har nät" in archives["no_pdf_status"]
    assert "The archive has no PDF" in archives["no_pdf_status_en"]
    assert verify_archive(archives["no_pdf"].read_bytes(), key_list=_keys(archives)).ok
    result = CliRunner().invoke(
        main, ["verify", str(archives["no_pdf"]), "--keys", str(archives["keys"])]
    )
    assert result.exit_code == 0, result.output


def test_a_device_out_of_space_gets_a_message_and_no_file(archives: dict[str, Any]) -> None:
    assert archives["no_room_downloads"] == 0


def test_flip_swap_remove_other_key_and_truncation_are_each_reported(
    archives: dict[str, Any], tmp_path: Path
) -> None:
    data, keys = archives[CHILDREN[0]].read_bytes(), _keys(archives)
    sibling = archives[CHILDREN[1]].read_bytes()

    def flip(files: dict[str, bytes]) -> None:
        name = _bundle_name(files)
        files[name] = files[name][:100] + bytes([files[name][100] ^ 1]) + files[name][101:]

    def swap(files: dict[str, bytes]) -> None:  # the sibling's bundle under this child's name
        with zipfile.ZipFile(io.BytesIO(sibling)) as z:
            other = {i.filename: z.read(i) for i in z.infolist()}
        files[_bundle_name(files)] = other[_bundle_name(other)]

    def remove(files: dict[str, bytes]) -> None:
        del files[next(n for n in files if n.startswith("filer/"))]

    for edit, label in ((flip, "changed"), (swap, "changed"), (remove, "missing")):
        report = verify_archive(_rezip(data, edit), key_list=keys)
        assert not report.ok
        assert getattr(report.terms[0], label) or getattr(report.terms[1], label), label

    other_keys = {"v": 1, "keys": [{**keys["keys"][0], "kid": "0000000000000000"}]}  # type: ignore[index]
    report = verify_archive(data, key_list=other_keys)
    assert not report.ok and all("not in the key list" in t.problem for t in report.terms)

    with pytest.raises(ArchiveError, match="truncated"):
        verify_archive(data[: len(data) // 2], key_list=keys)

    raw_flip = bytearray(data)
    raw_flip[len(data) // 3] ^= 1  # inside a stored file: its CRC no longer matches
    with pytest.raises(ArchiveError):
        verify_archive(bytes(raw_flip), key_list=keys)

    tampered = tmp_path / "x.zip"
    tampered.write_bytes(_rezip(data, flip))
    result = CliRunner().invoke(main, ["verify", str(tampered), "--keys", str(archives["keys"])])
    assert result.exit_code == 1 and "changed: signerat/" in result.output
    tampered.write_bytes(data[:1000])
    result = CliRunner().invoke(main, ["verify", str(tampered), "--keys", str(archives["keys"])])
    assert result.exit_code == 2 and "truncated" in result.output


def test_index_html_opens_from_disk_without_the_app(
    archives: dict[str, Any], browser: Browser, tmp_path: Path
) -> None:
    with zipfile.ZipFile(archives[CHILDREN[0]]) as z:
        z.extractall(tmp_path)
    context = browser.new_context(offline=True)
    try:
        page = context.new_page()
        page.goto((tmp_path / "index.html").as_uri())
        text = page.locator("main").inner_text()
        assert NAMES[CHILDREN[0]].split()[0] in text
        assert "VT2027" in text and "HT2026" in text
        images = page.locator("main img")
        assert images.count() >= 1
        page.wait_for_function("() => [...document.images].every((i) => i.complete)")
        assert page.evaluate("() => [...document.images].every((i) => i.naturalWidth > 0)")
        screenshot(page, "archive-index")
    finally:
        context.close()


def test_an_archive_signed_before_a_signing_key_rotation_still_verifies(
    archives: dict[str, Any], tmp_path: Path
) -> None:
    """`keys rotate-signing` keeps the old key in the published list with an end date, so what
    the family downloaded before the rotation stays provably genuine."""
    state = tmp_path / "state"
    shutil.copytree(archives["keys"].parent, state / "keys")
    result = CliRunner().invoke(main, ["keys", "rotate-signing", "--state-dir", str(state)])
    assert result.exit_code == 0, result.output
    rotated = json.loads((state / "keys" / "signing-keys.json").read_text("utf-8"))
    old = _keys(archives)["keys"][0]  # type: ignore[index]
    assert len(rotated["keys"]) == 2 and rotated["keys"][0]["kid"] != rotated["keys"][1]["kid"]
    assert any(k["kid"] == old["kid"] and k.get("until") for k in rotated["keys"])
    report = verify_archive(archives[CHILDREN[0]].read_bytes(), key_list=rotated)
    assert report.ok, report.as_json()
    # Only the new key listed (the old one dropped, not retired): the same archive is refused.
    only_new = {**rotated, "keys": [k for k in rotated["keys"] if k["kid"] != old["kid"]]}
    assert not verify_archive(archives[CHILDREN[0]].read_bytes(), key_list=only_new).ok
