"""Pillow-drawn images for the demo: institution logos, course covers, teacher portraits."""

from __future__ import annotations

import io
import random

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

PALETTE = ["#1b6ca8", "#c0392b", "#16a085", "#8e44ad", "#d35400", "#2c3e50", "#27ae60", "#b7950b", "#7f8c8d",
           "#e84393", "#0984e3", "#6d4c41"]


def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow built without FreeType
        return ImageFont.load_default()


def _png(image: PILImage.Image) -> io.BytesIO:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return buffer


def draw_logo(initials: str, colour: str) -> io.BytesIO:
    size = 256
    image = PILImage.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((8, 8, size - 8, size - 8), radius=48, fill=colour)
    draw.ellipse((40, 40, size - 40, size - 40), outline="white", width=8)
    font = _font(64 if len(initials) <= 3 else 48)
    draw.text((size / 2, size / 2), initials, fill="white", font=font, anchor="mm")
    return _png(image)


def draw_cover(rng: random.Random, colour: str, label: str) -> io.BytesIO:
    width, height = 960, 400
    image = PILImage.new("RGBA", (width, height), colour)
    overlay = PILImage.new("RGBA", (width, height))
    shapes = ImageDraw.Draw(overlay)
    for _ in range(14):
        x, y, r = rng.randrange(width), rng.randrange(height), rng.randrange(30, 160)
        shapes.ellipse((x - r, y - r, x + r, y + r), fill=rng.choice(["#ffffff", "#000000"]) + "22")
    image = PILImage.alpha_composite(image, overlay).convert("RGB")
    ImageDraw.Draw(image).text((40, height - 70), label, fill="white", font=_font(44))
    return _png(image)


def draw_portrait(rng: random.Random, colour: str) -> io.BytesIO:
    size = 200
    image = PILImage.new("RGB", (size, size), "#eef2f5")
    draw = ImageDraw.Draw(image)
    draw.ellipse((60, 30, 140, 110), fill=colour)
    draw.rounded_rectangle((30, 120, 170, 230), radius=60, fill=colour)
    return _png(image)


def save_wagtail_image(title: str, filename: str, content: io.BytesIO, collection=None):
    from wagtail.images import get_image_model

    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing is not None:
        return existing
    image = Image(title=title)
    if collection is not None:
        image.collection = collection
    image.file = ImageFile(content, name=filename)
    image.save()
    return image
