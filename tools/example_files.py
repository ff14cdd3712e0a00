"""The attachments of content/example (used by tools/make_example.py): abstract drawings (no
people), one with EXIF/GPS/XMP for the build to strip, and a one-page PDF written byte by byte.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw


def image(kind: str, seed: int) -> bytes:
    """A drawing, no people; "jpeg-exif" adds EXIF, GPS and XMP (the build strips it)."""
    img = Image.new("RGB", (640, 420), (240 - seed * 7 % 60, 230, 200 + seed * 5 % 50))
    draw = ImageDraw.Draw(img)
    for i in range(8):
        x, y = (i * 83 + seed * 31) % 560, (i * 57 + seed * 19) % 340
        colour = ((i * 40 + seed * 20) % 255, (i * 90) % 255, (200 - i * 20) % 255)
        if i % 2:
            draw.ellipse((x, y, x + 70, y + 70), fill=colour)
        else:
            draw.polygon([(x, y + 70), (x + 40, y), (x + 80, y + 70)], fill=colour)
    out = io.BytesIO()
    if kind == "jpeg-exif":
        exif = Image.Exif()
        exif[0x010F] = "Exempelkamera AB"  # Make
        exif[0x0110] = "Modell 1"  # Model
        exif[0x8825] = {1: "N", 2: (59.0, 19.0, 48.0), 3: "E", 4: (18.0, 4.0, 12.0)}  # GPS
        img.save(
            out,
            "JPEG",
            quality=80,
            exif=exif.tobytes(),
            xmp=b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>Exempelby</x:xmpmeta>",
        )
    else:
        img.save(out, "PNG", optimize=True)
    return out.getvalue()


def reading_log_pdf(name: str) -> bytes:
    """A one-page PDF with a few lines of text, written by hand so the bytes never change."""
    lines = [
        f"Läsdagbok – {name}",
        "Vecka 42: Kapitel 1–4",
        "Bästa meningen: ”Ön låg tyst i dimman.”",
    ]

    def pdf_string(line: str) -> str:
        return "(" + line.replace("\\", "").replace("(", "\\(").replace(")", "\\)") + ")"

    # The ' operator moves to the next line (TL apart) and shows the string.
    shown = " ".join(f"{pdf_string(line)} '" for line in lines)
    stream = f"BT /F1 16 Tf 60 782 Td 22 TL {shown}".encode("cp1252")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream + b" ET") + stream + b" ET\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
