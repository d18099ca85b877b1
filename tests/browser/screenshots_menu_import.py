"""Screenshots of the menu import within its bounds, for docs/screens.md's admin section.

    .venv/bin/python -m tests.browser.screenshots_menu_import [out_dir]

Starts a real Daphne on a throw-away SQLite database (the preview set to list 10 rows of
each kind) and saves, at 1920×1080 and 1024×768 in English and Chinese: the preview of a
file of 40 rows, 5 of them with errors (one an `inf`), each list cut at 10 with the rest
counted; and a file refused before it is parsed (a cell past the 40th column).
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

from tests.browser.shots import (
    ADMIN,
    BASE_DIR,
    admin_context,
    each_language_and_size,
    shooting,
    shots_django,
)

SIZES = [(1920, 1080), (1024, 768)]
HEADER = ["sku", "name", "name_zh", "category", "prep_minutes", "default_course", "allergens"]
DISHES = [
    ("Mapo Tofu", "麻婆豆腐"),
    ("Kung Pao Chicken", "宫保鸡丁"),
    ("Dan Dan Noodles", "担担面"),
    ("Egg Fried Rice", "蛋炒饭"),
    ("Hot and Sour Soup", "酸辣汤"),
]


def _files(tmp: Path) -> tuple[Path, Path]:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for n in range(40):
        name, name_zh = DISHES[n % len(DISHES)]
        prep = {7: "inf", 15: "soon", 23: "1e400", 31: "-5", 38: "2.5"}.get(n, str(n % 9 + 3))
        writer.writerow([f"S-{n:03}", f"{name} {n}", f"{name_zh}{n}", "Wok", prep, "1", ""])
    preview = tmp / "menu.csv"
    preview.write_text(out.getvalue(), encoding="utf-8")
    wide = tmp / "wide.csv"
    wide.write_text(",".join(HEADER) + "\n" + "S-1,Rice,米饭,,5,1," + "," * 40 + "x\n")
    return preview, wide


def main(out_dir: Path) -> None:
    tmp, env = shots_django("kds-shots-import-", KDS_IMPORT_PREVIEW_ROWS="10")
    from django.contrib.auth.models import User

    from tests import factories

    factories.make_kitchen("shots")
    User.objects.create_superuser(ADMIN[0], password=ADMIN[1])
    preview, wide = _files(tmp)
    with shooting(tmp, env, out_dir) as (server, browser):
        for language, suffix, width, height in each_language_and_size(SIZES):
            context, page = admin_context(browser, server.url, language, width, height)
            for name, path in (("preview", preview), ("refused", wide)):
                page.goto(f"{server.url}/admin/orders/menuitem/import/")
                page.set_input_files("#id_import_file", str(path))
                page.select_option("#id_format", label="csv")
                page.click("input[type=submit]")
                page.wait_for_load_state()
                page.screenshot(
                    path=str(out_dir / f"admin-menu-import-{name}-{width}{suffix}.png"),
                    full_page=name == "preview",
                )
            context.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else BASE_DIR / "docs" / "screenshots")
