"""Draw the app icons (192, 512 and a maskable 512) with Pillow.

Run from anywhere: `python tools/make_icons.py`; it writes the PNGs into
themes/default/shell/icons/, which are committed (the build copies the whole shell folder,
so the script lives here).
The glyph is an open book on the theme colour; the maskable icon keeps it inside the central
80 % safe zone and fills the whole square, as the maskable icon spec asks.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

THEME = (31, 78, 121)  # #1f4e79, the manifest's theme_color
PAGE = (255, 255, 255)
SPINE = (255, 200, 87)
ICONS = Path(__file__).resolve().parents[1] / "themes" / "default" / "shell" / "icons"


def _book(draw: ImageDraw.ImageDraw, *, size: int, scale: float) -> None:
    """An open book centred in the square, `scale` of its width."""
    c = size / 2
    w = size * scale / 2
    h = w * 0.62
    top, bottom = c - h * 0.8, c + h * 0.8
    left_page = [
        (c - w, top + h * 0.12),
        (c, top + h * 0.3),
        (c, bottom),
        (c - w, bottom - h * 0.18),
    ]
    right_page = [
        (c + w, top + h * 0.12),
        (c, top + h * 0.3),
        (c, bottom),
        (c + w, bottom - h * 0.18),
    ]
    draw.polygon(left_page, fill=PAGE)
    draw.polygon(right_page, fill=PAGE)
    draw.line([(c, top + h * 0.3), (c, bottom)], fill=SPINE, width=max(2, round(size / 48)))
    for i in range(1, 4):  # text lines on each page
        y = top + h * (0.35 + 0.3 * i)
        for sign in (-1, 1):
            x0, x1 = c + sign * w * 0.18, c + sign * w * 0.8
            draw.line([(x0, y), (x1, y - h * 0.06)], fill=THEME, width=max(1, round(size / 96)))


def draw_icon(size: int, *, maskable: bool) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        draw.rectangle([0, 0, size, size], fill=THEME)
        _book(draw, size=size, scale=0.56)
    else:
        draw.rounded_rectangle([0, 0, size - 1, size - 1], radius=size // 6, fill=THEME)
        _book(draw, size=size, scale=0.74)
    return image


def main() -> None:
    draw_icon(192, maskable=False).save(ICONS / "icon-192.png", optimize=True)
    draw_icon(512, maskable=False).save(ICONS / "icon-512.png", optimize=True)
    draw_icon(512, maskable=True).save(ICONS / "icon-maskable-512.png", optimize=True)


if __name__ == "__main__":
    main()
