"""The font tickets with Chinese are drawn in, for printers that have none of their own."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from PIL import ImageFont

# Where Debian's fonts-noto-cjk puts its fonts; the collection's face 2 is Simplified
# Chinese (0 is Japanese: its glyphs for some characters are not the ones China prints).
NOTO_DIR = Path("/usr/share/fonts/opentype/noto")
NOTO_REGULAR = NOTO_DIR / "NotoSansCJK-Regular.ttc"
NOTO_BOLD = NOTO_DIR / "NotoSansCJK-Bold.ttc"
NOTO_SC_INDEX = 2

MISSING = (
    "No Chinese font to print tickets as images: install Debian's fonts-noto-cjk "
    "(apt-get install fonts-noto-cjk), set KDS_PRINT_FONT to a .ttf/.otf/.ttc file with "
    "Chinese, or tick “has a Chinese font” on the printer if it has one."
)


class FontMissing(Exception):
    """No font with Chinese; the message says what to install."""

    def __init__(self) -> None:
        super().__init__(MISSING)


@dataclass(frozen=True)
class FontFiles:
    regular: Path
    bold: Path
    index: int


def _fontconfig_chinese() -> Path | None:
    """A font fontconfig says covers Chinese (`fc-list :lang=zh` lists only those)."""
    if not shutil.which("fc-list"):
        return None
    try:
        listed = subprocess.run(
            ["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=5
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    files = sorted(line.strip().rstrip(":") for line in listed.splitlines() if line.strip())
    return Path(files[0]) if files else None


def font_files() -> FontFiles:
    """The configured font, else Noto Sans CJK, else whatever fontconfig has for Chinese."""
    if settings.KDS_PRINT_FONT:
        regular = Path(settings.KDS_PRINT_FONT)
        bold = Path(settings.KDS_PRINT_FONT_BOLD or settings.KDS_PRINT_FONT)
        if not regular.is_file() or not bold.is_file():
            raise FontMissing
        return FontFiles(regular, bold, 0)
    if NOTO_REGULAR.is_file():
        return FontFiles(NOTO_REGULAR, NOTO_BOLD if NOTO_BOLD.is_file() else NOTO_REGULAR, 2)
    found = _fontconfig_chinese()
    if found is None or not found.is_file():
        raise FontMissing
    return FontFiles(found, found, 0)


@lru_cache(maxsize=16)
def _load(path: str, index: int, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size, index=index)


def font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    """The ticket font at `size` pixels; raises FontMissing with what to install."""
    files = font_files()
    path = files.bold if bold else files.regular
    try:
        return _load(str(path), files.index, size)
    except OSError:
        raise FontMissing from None
