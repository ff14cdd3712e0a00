"""Attachments: images re-encoded to phone-friendly WebP with every metadata block removed; PDFs
passed through after a header check. Each attachment becomes its own `file` blob.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_LONG_SIDE = 1600
WEBP_QUALITY = 80
# Bump when the output of `prepare_attachment` changes: every image is re-encoded and re-sealed.
ATTACHMENT_PIPELINE_VERSION = "att-1"
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff"})
PDF_SUFFIXES = frozenset({".pdf"})


class AttachmentError(ValueError):
    """An attachment that cannot be published, with what to do about it."""


@dataclass(frozen=True, slots=True)
class PreparedAttachment:
    data: bytes
    media_type: str


def attachment_kind(file: str) -> str:
    suffix = PurePosixPath(file).suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        return "image"
    if suffix in PDF_SUFFIXES:
        return "pdf"
    return "other"


def published_name(file: str) -> str:
    path = PurePosixPath(file)
    return path.stem + ".webp" if attachment_kind(file) == "image" else path.name


def prepare_attachment(path: Path, *, label: str) -> PreparedAttachment:
    """`label` names the file in error messages (its path inside the export)."""
    kind = attachment_kind(path.name)
    if kind == "image":
        return PreparedAttachment(_reencode_image(path, label=label), "image/webp")
    if kind == "pdf":
        data = path.read_bytes()
        if not data.startswith(b"%PDF-"):
            raise AttachmentError(f"{label}: not a PDF (no %PDF- header); export it as PDF again")
        return PreparedAttachment(data, "application/pdf")
    raise AttachmentError(
        f"{label}: unsupported attachment type; use an image (JPEG, PNG, WebP) or a PDF"
    )


def _reencode_image(path: Path, *, label: str) -> bytes:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as source:
                source.load()
                image = ImageOps.exif_transpose(source)  # keep the orientation, drop the EXIF
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise AttachmentError(f"{label}: not a readable image ({exc}); save it again") from None
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise AttachmentError(f"{label}: image is too large to decode; scale it down") from None
    image = image.convert("RGBA" if _has_alpha(image) else "RGB")
    image.thumbnail((MAX_LONG_SIDE, MAX_LONG_SIDE), Image.Resampling.LANCZOS)
    # A fresh image carries no info dict at all: no EXIF (GPS), XMP, ICC profile or comments.
    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    out = io.BytesIO()
    clean.save(out, format="WEBP", quality=WEBP_QUALITY, method=4)
    return out.getvalue()


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info
