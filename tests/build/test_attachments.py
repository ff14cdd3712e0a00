"""Images are re-encoded without any metadata; PDFs pass through after a header check."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from site_builder.pipeline.render.attachments import AttachmentError, prepare_attachment
from tests.build.conftest import Workspace
from tests.build.scratch import SECRETS_IN_IMAGE


def test_published_image_has_no_exif_gps_xmp(workspace: Workspace) -> None:
    workspace.build()
    entry = next(e for e in workspace.keyring("anna")["blobs"] if e.get("type") == "image/webp")
    data = workspace.open_entry(entry)
    for secret in SECRETS_IN_IMAGE:
        assert secret not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "WEBP"
        assert max(image.size) == 1600
        assert len(image.getexif()) == 0
        assert not image.getexif().get_ifd(0x8825)
        assert "xmp" not in image.info and "exif" not in image.info
        assert "icc_profile" not in image.info and "comment" not in image.info


def test_pdf_passes_through_and_fake_pdf_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "a.pdf"
    real.write_bytes(b"%PDF-1.7\nbody\n%%EOF\n")
    assert prepare_attachment(real, label="a.pdf").data == real.read_bytes()
    fake = tmp_path / "b.pdf"
    fake.write_bytes(b"<html>not a pdf</html>")
    with pytest.raises(AttachmentError, match=r"b\.pdf.*%PDF"):
        prepare_attachment(fake, label="b.pdf")
    broken = tmp_path / "c.jpg"
    broken.write_bytes(b"\xff\xd8 not really")
    with pytest.raises(AttachmentError, match=r"c\.jpg"):
        prepare_attachment(broken, label="c.jpg")
