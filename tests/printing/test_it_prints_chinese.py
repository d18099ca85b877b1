"""Chinese prints correctly: as GB18030 text for a printer with a Chinese font, as one
raster image (drawn with Noto Sans CJK) for a printer without."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageFilter

from orders.actions.printing import print_jobs_send
from orders.models import PrintJob, PrintStatus
from orders.printing.fonts import MISSING, NOTO_REGULAR
from orders.printing.layout import ticket_rows
from orders.printing.raster import ticket_image
from tests import factories
from tests.conftest import skip_or_fail
from tests.printing.conftest import PrintKitchen, beef_order
from tests.printing.escpos_decode import decode

DOCS = Path(__file__).resolve().parents[2] / "docs" / "printers"


@pytest.fixture
def chinese(print_kitchen: PrintKitchen) -> PrintKitchen:
    restaurant = print_kitchen.k.restaurant
    restaurant.language, restaurant.time_zone = "zh-hans", "Asia/Shanghai"
    restaurant.save()
    return print_kitchen


@pytest.fixture
def noto() -> None:
    if not NOTO_REGULAR.is_file():
        skip_or_fail("fonts-noto-cjk is not installed (apt-get install fonts-noto-cjk)")


def test_it_sends_chinese_as_gb18030_text_to_a_printer_with_a_chinese_font(
    chinese: PrintKitchen,
) -> None:
    chinese.printer.chinese_font = True
    chinese.printer.save()
    factories.post_webhook(chinese.k.source.slug, chinese.k.secret, beef_order())
    print_jobs_send()
    printed = decode(chinese.fake.wait_for(1)[0])
    assert not printed.images
    assert printed.row("桌号 A12").tall
    assert printed.row("2 x 肥牛").bold
    assert "加急" in printed.text  # RUSH
    assert printed.row("过敏原: 芝麻").bold  # the menu's "sesame", in the slip's language


def test_it_sends_chinese_as_one_raster_image_to_a_printer_without(
    chinese: PrintKitchen, noto: None
) -> None:
    factories.post_webhook(chinese.k.source.slug, chinese.k.secret, beef_order())
    job = PrintJob.objects.get()
    print_jobs_send()
    printed = decode(chinese.fake.wait_for(1)[0])
    assert printed.initialised_first and printed.cut_last
    assert not [r for r in printed.rows if r.text.strip()]  # no text: all of it is the image
    image = printed.image()
    assert image.width == chinese.printer.paper_width
    # The image is the ticket's rows drawn in the font, dot for dot.
    rows = ticket_rows(job.payload, language="zh-hans", time_zone="Asia/Shanghai")
    expected = ticket_image(rows, width=chinese.printer.paper_width)
    assert image.size == expected.size
    assert ImageChops.difference(image.convert("L"), expected.convert("L")).getbbox() is None
    # ... and it has ink: the dish name's row is not blank.
    assert image.convert("L").getextrema()[0] == 0
    if os.environ.get("KDS_WRITE_DOCS"):
        DOCS.mkdir(exist_ok=True)
        image.save(DOCS / "ticket-zh.png")
        photo_like(image).save(DOCS / "ticket-zh-photo.png")


def photo_like(image: Image.Image) -> Image.Image:
    """The raster as a slip of thermal paper on a counter, for docs/printers.md."""
    ink = image.convert("L").point(lambda v: 48 if v < 128 else 255)
    paper = Image.new("RGB", (image.width + 48, image.height + 96), (250, 248, 240))
    inked = Image.merge("RGB", [ink.point(lambda v, c=c: v * c // 255) for c in (250, 248, 240)])
    paper.paste(inked, (24, 40))
    counter = Image.new("RGB", (paper.width + 80, paper.height + 80), (92, 98, 108))
    shadow = Image.new("L", paper.size, 0)
    counter.paste((60, 64, 72), (52, 52), shadow.point(lambda v: 255))
    counter = counter.filter(ImageFilter.GaussianBlur(6))
    counter.paste(paper, (40, 40))
    return counter


def test_it_holds_the_job_with_a_clear_message_when_no_font_is_found(
    chinese: PrintKitchen, settings: object, tmp_path: Path
) -> None:
    settings.KDS_PRINT_FONT = str(tmp_path / "missing.ttc")  # type: ignore[attr-defined]
    factories.post_webhook(chinese.k.source.slug, chinese.k.secret, beef_order())
    assert print_jobs_send().failed == 1
    job = PrintJob.objects.get()
    assert job.status == PrintStatus.PENDING and job.last_error == MISSING
    chinese.printer.refresh_from_db()
    assert "fonts-noto-cjk" in chinese.printer.last_error
    assert chinese.fake.slips == []
