"""Settings come from the environment; a bad value stops start-up and names the variable."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import strategies as st

from kds import settings as kds_settings
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
    "KDS_LOG_LEVEL",
    "KDS_BASE_URL",
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
        ("ALLOWED_HOSTS", ""),
        ("ALLOWED_HOSTS", " , "),
        ("KDS_LOG_LEVEL", "loud"),
        ("KDS_LOG_LEVEL", ""),
        ("DATABASE_URL", "postgres:///kds"),
        ("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/"),
        ("DATABASE_URL", "sqlite://"),
        ("KDS_BASE_URL", "ftp://kds.example.com"),
        ("KDS_BASE_URL", "kds.example.com"),
        ("REDIS_URL", "http://:hunter2@127.0.0.1:6379"),
    ],
)
def test_it_stops_with_a_message_naming_the_variable(name: str, value: str) -> None:
    result = start(**{name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert name in result.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DATABASE_URL", "mysql://root:hunter2@localhost/kds"),
        ("DATABASE_URL", "postgres://kds:hunter2@/kds"),
        ("REDIS_URL", "http://:hunter2@127.0.0.1:6379"),
    ],
)
def test_its_message_does_not_repeat_a_urls_password(name: str, value: str) -> None:
    result = start(**{name: value})
    assert result.returncode != 0
    assert "hunter2" not in result.stderr
    assert "ImproperlyConfigured" in result.stderr


def test_it_takes_the_log_level_in_any_case() -> None:
    result = run_python(
        "-c",
        "import django, logging; django.setup(); print(logging.getLogger().level)",
        unset=VARS,
        KDS_LOG_LEVEL="warning",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "30"


URLISH = st.one_of(
    st.text(max_size=40),
    st.builds(
        "{}://{}{}{}".format,
        st.sampled_from(["postgres", "postgresql", "sqlite", "redis", "http", "https", "ftp", ""]),
        st.sampled_from(["", "u@", "u:hunter2@", ":hunter2@"]),
        st.sampled_from(["", "host", "127.0.0.1:5432", "[::1]", "h:99999"]),
        st.sampled_from(["", "/", "/kds", "//var/kds.sqlite3", "/:memory:", "?x=1"]),
    ),
)
READERS: dict[str, Callable[[str], Any]] = {
    "DATABASE_URL": kds_settings.env_database,
    "REDIS_URL": kds_settings.env_redis_url,
    "ALLOWED_HOSTS": lambda name: kds_settings.env_hosts(name, "localhost"),
    "KDS_BASE_URL": lambda name: kds_settings.env_base_url(
        name, kds_settings.KDS_SERVED_URL_FILE, "http://127.0.0.1:8000"
    ),
}


@given(name=st.sampled_from(sorted(READERS)), value=URLISH)
def test_any_value_is_taken_or_refused_naming_the_variable_never_echoing_a_password(
    name: str, value: str
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        if "\x00" in value:
            value = value.replace("\x00", "")  # the environment cannot hold a NUL
        patch.setenv(name, value)
        try:
            READERS[name](name)
        except ImproperlyConfigured as exc:
            assert name in str(exc)
            if ":hunter2@" in value and "://" in value and name != "ALLOWED_HOSTS":
                assert "hunter2" not in str(exc)
