"""KDS_LANGUAGE (and KDS_TIME_ZONE) are the defaults for new restaurants and for pages
outside one: they never leak into the models' migrations, and changing them later
changes no restaurant."""

from __future__ import annotations

import sqlite3

import httpx

from tests.first_run.conftest import Install

CHINESE = {"KDS_LANGUAGE": "zh-hans", "KDS_TIME_ZONE": "Asia/Shanghai"}


def restaurants(install: Install) -> list[tuple[str, str, str]]:
    with sqlite3.connect(install.var / "kds.sqlite3") as db:
        return list(db.execute("SELECT slug, language, time_zone FROM orders_restaurant"))


def test_migrate_sees_no_model_change_under_other_settings(install: Install) -> None:
    done = install.manage("makemigrations", "--check", "--dry-run", **CHINESE)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "No changes detected" in done.stdout


def test_a_new_restaurant_takes_the_setting_and_an_existing_one_keeps_its_own(
    install: Install,
) -> None:
    script = (
        "from orders.models import Restaurant; Restaurant.objects.create(name='{0}', slug='{0}')"
    )
    assert install.manage("shell", "-c", script.format("before")).returncode == 0

    done = install.manage("shell", "-c", script.format("after"), **CHINESE)

    assert done.returncode == 0, done.stderr
    assert sorted(restaurants(install)) == [
        ("after", "zh-hans", "Asia/Shanghai"),
        ("before", "en", "UTC"),
    ]


def test_the_demo_loaded_under_kds_language_is_chinese(install: Install) -> None:
    assert install.manage("kds_demo", **CHINESE).returncode == 0

    assert restaurants(install) == [("demo", "zh-hans", "Asia/Shanghai")]


def test_pages_outside_a_restaurant_speak_the_setting_to_a_browser_that_asks_nothing(
    install: Install,
) -> None:
    server = install.start("--demo", "--no-simulate", **CHINESE)

    with httpx.Client(timeout=10, trust_env=False) as client:
        plain = client.get(f"{server.base}/")
        english = client.get(f"{server.base}/", headers={"accept-language": "en"})

    assert 'lang="zh-hans"' in plain.text and "厨房显示系统" in plain.text
    assert 'lang="en"' in english.text
