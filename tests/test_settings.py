"""Settings come from the environment; a bad value stops start-up and names the variable."""

from __future__ import annotations

import subprocess

import pytest

from tests.settings_probe import run_python

PROBE = (
    "import django, json; from django.conf import settings; django.setup(); "
    "print(json.dumps([settings.DATABASES['default']['ENGINE'], "
    "settings.CHANNEL_LAYERS['default']['BACKEND'], settings.TIME_ZONE, settings.LANGUAGE_CODE, "
    "settings.DEBUG, settings.ALLOWED_HOSTS]))"
)
VARS = (
    "DATABASE_URL",
    "REDIS_URL",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "KDS_TIME_ZONE",
    "KDS_LANGUAGE",
)


def start(**env: str) -> subprocess.CompletedProcess[str]:
    return run_python("-c", PROBE, unset=VARS, **env)


def test_it_runs_on_sqlite_and_the_in_memory_layer_with_nothing_set() -> None:
    result = start()
    assert result.returncode == 0, result.stderr
    assert (
        '"django.db.backends.sqlite3", "channels.layers.InMemoryChannelLayer", "UTC", "en", false'
        in result.stdout
    )


def test_it_switches_to_postgresql_and_redis() -> None:
    result = start(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/kds",
        REDIS_URL="redis://127.0.0.1:6379/0",
        KDS_TIME_ZONE="Asia/Shanghai",
        KDS_LANGUAGE="zh-CN",
        DEBUG="yes",
        ALLOWED_HOSTS="kds.example, a.b",
    )
    assert result.returncode == 0, result.stderr
    assert (
        '["django.db.backends.postgresql", "channels_redis.core.RedisChannelLayer", '
        '"Asia/Shanghai", "zh-hans", true, ["kds.example", "a.b"]]'
    ) in result.stdout


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "maybe"),
        ("KDS_TIME_ZONE", "Mars/Olympus_Mons"),
        ("KDS_LANGUAGE", "klingon"),
        ("DATABASE_URL", "mysql://root@localhost/kds"),
        ("DATABASE_URL", "not a url"),
        ("REDIS_URL", "http://127.0.0.1:6379"),
        ("SECRET_KEY", "short"),
        ("KDS_WEBHOOK_RETRY_AFTER_SECONDS", "soon"),
        ("KDS_WEBHOOK_MAX_IN_FLIGHT", "lots"),
        ("KDS_WEBHOOK_MAX_IN_FLIGHT", "0"),
        ("KDS_WEBHOOK_MAX_IN_FLIGHT", str(2**63)),
    ],
)
def test_it_stops_with_a_message_naming_the_variable(name: str, value: str) -> None:
    result = start(**{name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert name in result.stderr.strip().splitlines()[-1]
