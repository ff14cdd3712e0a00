"""A handful of small generated images (a few KB each), made once and reused for every post."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 320, 240


def _drawing(rng: random.Random) -> bytes:
    """Soft shapes on a coloured background: looks like a child's drawing, contains nobody."""
    background = tuple(rng.randint(170, 250) for _ in range(3))
    image = Image.new("RGB", (WIDTH, HEIGHT), background)
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randint(0, WIDTH), rng.randint(0, HEIGHT)
        radius = rng.randint(10, 60)
        colour = tuple(rng.randint(20, 230) for _ in range(3))
        box = (x - radius, y - radius, x + radius, y + radius)
        if rng.random() < 0.5:
            draw.ellipse(box, fill=colour)
        else:
            draw.rectangle(box, outline=colour, width=4)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=60)
    return out.getvalue()


def make_images(seed: int, *, count: int = 6) -> tuple[bytes, ...]:
    rng = random.Random(f"{seed}/images")
    return tuple(_drawing(rng) for _ in range(count))
