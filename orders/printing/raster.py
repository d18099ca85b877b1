"""A slip drawn as one black-and-white image, for printers without a Chinese font.

The rows of `layout.py`, at the printer's width in dots (384 on 58 mm paper, 576 on
80 mm), in the font of `fonts.py`; the same image goes to the printer and, in
docs/printers.md, to a PNG.
"""

from __future__ import annotations

from collections.abc import Sequence

from PIL import Image, ImageDraw, ImageFont

from .fonts import font
from .layout import Row

NORMAL_PX = 26
TALL_PX = 38
BIG_PX = 52
MARGIN = 8
INDENT_PX = 14


def _size(row: Row) -> int:
    return BIG_PX if row.big else TALL_PX if row.tall else NORMAL_PX


def wrap(text: str, face: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Breaks text to fit `width` pixels: at spaces for words, anywhere in Chinese."""
    lines: list[str] = []
    current = ""
    for ch in text:
        trial = current + ch
        if current and face.getlength(trial) > width:
            cut = current.rfind(" ")
            if ch != " " and cut > 0 and not _cjk_tail(current):
                lines.append(current[:cut])
                current = current[cut + 1 :] + ch
            else:
                lines.append(current.rstrip())
                current = "" if ch == " " else ch
        else:
            current = trial
    lines.append(current)
    return lines


def _cjk_tail(text: str) -> bool:
    return bool(text) and ord(text[-1]) > 0x2E7F


def ticket_image(rows: Sequence[Row], *, width: int) -> Image.Image:
    """The slip as a 1-bit image `width` dots wide, black text on white."""
    laid: list[tuple[Row, ImageFont.FreeTypeFont, list[str], int]] = []
    height = MARGIN
    for row in rows:
        size = _size(row)
        face = font(size, bold=row.bold or row.big)
        indent = row.indent * INDENT_PX // 4
        texts = [""] if row.rule else wrap(row.text, face, width - 2 * MARGIN - indent)
        step = int(size * 1.3)
        laid.append((row, face, texts, step))
        height += step * len(texts) if not row.rule else NORMAL_PX
    height += MARGIN
    image = Image.new("1", (width, height), 1)
    draw = ImageDraw.Draw(image)
    y = MARGIN
    for row, face, texts, step in laid:
        if row.rule:
            middle = y + NORMAL_PX // 2
            for dash in range(MARGIN, width - MARGIN, 12):
                draw.line([(dash, middle), (dash + 6, middle)], fill=0, width=2)
            y += NORMAL_PX
            continue
        indent = row.indent * INDENT_PX // 4
        for text in texts:
            ink = 1 if row.invert else 0
            if row.invert:
                draw.rectangle([(MARGIN, y), (width - MARGIN, y + step - 2)], fill=0)
            length = face.getlength(text)
            left = (width - length) / 2 if row.center else float(MARGIN + indent)
            draw.text((left, y + step // 2), text, font=face, fill=ink, anchor="lm")
            y += step
    return image
