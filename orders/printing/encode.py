"""A slip as the bytes an ESC/POS printer takes, through python-escpos.

Initialise (ESC @), then either text with the printer's own fonts (style commands per
row; Chinese as GB18030 inside FS & … FS . for printers that have a Chinese font), or,
for a slip with Chinese and a printer without such a font, the slip drawn as one image
(GS v 0 raster, in bands); then feed and cut (GS V).
"""

from __future__ import annotations

from collections.abc import Sequence

from escpos.printer import Dummy

from .layout import Row, has_cjk
from .raster import ticket_image

ENTER_CHINESE = b"\x1c&"  # FS &
LEAVE_CHINESE = b"\x1c."  # FS .
# A band of the image per GS v 0 command: small printers have small buffers.
BAND_ROWS = 256


def columns_for(width_dots: int) -> int:
    """Characters per row in font A (12 dots wide): 32 on 58 mm paper, 48 on 80 mm."""
    return width_dots // 12


def _cells(text: str) -> int:
    return sum(2 if has_cjk(ch) else 1 for ch in text)


def wrap_cells(text: str, cells: int) -> list[str]:
    """Breaks text into rows of at most `cells` character cells (Chinese takes two)."""
    out: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if _cells(candidate) <= cells:
            current = candidate
            continue
        if current:
            out.append(current)
        current = ""
        for ch in word:
            if _cells(current + ch) > cells:
                out.append(current)
                current = ""
            current += ch
    out.append(current)
    return out


def _printer(width_dots: int) -> Dummy:
    printer = Dummy()
    # python-escpos checks images against the profile's paper width.
    printer.profile.profile_data["media"]["width"]["pixels"] = width_dots
    printer.hw("INIT")
    return printer


def _text(printer: Dummy, row: Row, *, columns: int, chinese_font: bool) -> None:
    printer.set(
        align="center" if row.center else "left",
        bold=row.bold or row.big,
        invert=row.invert,
        double_width=row.big,
        double_height=row.big or row.tall,
        normal_textsize=not (row.big or row.tall),
    )
    if row.rule:
        printer.textln("-" * columns)
        return
    cells = (columns // 2 if row.big else columns) - row.indent
    for part in wrap_cells(row.text, cells):
        text = " " * row.indent + part
        if chinese_font and has_cjk(text):
            printer._raw(ENTER_CHINESE + text.encode("gb18030", "replace") + LEAVE_CHINESE)
            printer.ln()
        else:
            printer.textln(text)


def ticket_bytes(rows: Sequence[Row], *, width_dots: int, chinese_font: bool) -> bytes:
    """The slip for a printer `width_dots` wide, with or without a Chinese font."""
    printer = _printer(width_dots)
    if not chinese_font and any(has_cjk(row.text) for row in rows):
        printer.image(
            ticket_image(rows, width=width_dots), impl="bitImageRaster", fragment_height=BAND_ROWS
        )
    else:
        columns = columns_for(width_dots)
        for row in rows:
            _text(printer, row, columns=columns, chinese_font=chinese_font)
        printer.set_with_default()
    printer.cut()
    return printer.output
