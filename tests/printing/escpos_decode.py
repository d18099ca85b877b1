"""Reads ESC/POS bytes back into what a printer would do: initialise, text with its
style, raster images, cut. Refuses any command it does not know, so a test notices
bytes a printer might print as garbage."""

from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image

ESC, GS, FS, LF = 0x1B, 0x1D, 0x1C, 0x0A
# ESC/GS commands with one parameter byte: ESC ! E a t { - M d J, GS B b !
ONE_BYTE = {(ESC, b) for b in b"!Eat{-MdJG3"} | {(GS, b) for b in b"Bb!"}


@dataclass
class TextRow:
    text: str
    bold: bool
    big: bool
    tall: bool
    invert: bool


@dataclass
class Decoded:
    initialised_first: bool = False
    rows: list[TextRow] = field(default_factory=list)
    images: list[Image.Image] = field(default_factory=list)
    cut_last: bool = False

    @property
    def text(self) -> str:
        return "\n".join(r.text for r in self.rows)

    def row(self, contains: str) -> TextRow:
        for r in self.rows:
            if contains in r.text:
                return r
        raise AssertionError(f"no row with {contains!r} in:\n{self.text}")

    def image(self) -> Image.Image:
        """The raster bands stacked into one picture (black = ink)."""
        width = max(i.width for i in self.images)
        height = sum(i.height for i in self.images)
        whole = Image.new("1", (width, height), 1)
        y = 0
        for band in self.images:
            whole.paste(band, (0, y))
            y += band.height
        return whole


def decode(data: bytes) -> Decoded:
    out = Decoded(initialised_first=data.startswith(b"\x1b@"))
    bold = big = tall = invert = chinese = False
    text = bytearray()
    decoded: list[str] = []
    i = 0

    def segment() -> None:
        decoded.append(text.decode("gb18030" if chinese else "cp437"))
        text.clear()

    def flush() -> None:
        segment()
        out.rows.append(TextRow("".join(decoded), bold, big, tall, invert))
        decoded.clear()

    while i < len(data):
        b = data[i]
        if b == LF:
            flush()
            i += 1
        elif b in (ESC, GS) and i + 1 < len(data) and (b, data[i + 1]) in ONE_BYTE:
            cmd, arg = data[i + 1], data[i + 2]
            if b == ESC and cmd == ord("!"):
                big, tall = arg & 0x30 == 0x30, arg & 0x10 == 0x10
            elif b == ESC and cmd == ord("E"):
                bold = bool(arg)
            elif b == GS and cmd == ord("B"):
                invert = bool(arg)
            elif b == ESC and cmd == ord("d") and text:
                flush()
            i += 3
        elif data[i : i + 2] == b"\x1b@":
            i += 2
        elif data[i : i + 2] == b"\x1c&":
            segment()
            chinese = True
            i += 2
        elif data[i : i + 2] == b"\x1c.":
            segment()
            chinese = False
            i += 2
        elif data[i : i + 3] == b"\x1dv0":
            width_bytes = data[i + 4] | data[i + 5] << 8
            height = data[i + 6] | data[i + 7] << 8
            start = i + 8
            raw = data[start : start + width_bytes * height]
            assert len(raw) == width_bytes * height, "raster shorter than its header says"
            band = Image.frombytes("1", (width_bytes * 8, height), raw)
            # In ESC/POS a set bit is ink; in Pillow's "1" mode a set bit is white.
            out.images.append(Image.eval(band.convert("L"), lambda v: 255 - v).convert("1"))
            i = start + len(raw)
        elif data[i : i + 2] == b"\x1dV":
            out.cut_last = True
            i += 3 if data[i + 2] in (0, 1, 48, 49) else 4
            if i < len(data):
                out.cut_last = False
        elif b < 0x20 and b not in (ESC, GS, FS):
            raise AssertionError(f"unexpected control byte {b:#x} at {i}")
        elif b in (ESC, GS, FS):
            raise AssertionError(f"unknown command {data[i : i + 3]!r} at {i}")
        else:
            text.append(b)
            i += 1
    if text or decoded:
        flush()
    return out
