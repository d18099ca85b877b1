"""Every management command that takes arguments refuses bad ones with a clear message
naming the option, before it changes anything or starts anything: kds_run,
kds_pickup_link, kds_bench, kds_scheduler, kds_station, kds_screen. Extremes included:
0, negative, 2**63, NaN, infinity, NUL, huge text."""

from __future__ import annotations

import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from orders.models import Screen
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
HUGE = str(2**63)
CLOSED = "http://127.0.0.1:9"  # the discard port: nothing listens


def refused(command: str, *args: str) -> str:
    """The CommandError's message; fails if the command ran."""
    with pytest.raises(CommandError) as caught:
        call_command(command, *args, stdout=StringIO(), stderr=StringIO())
    return str(caught.value)


# ---------------------------------------------------------------- kds_run


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--port", "0"], "--port must be between 1 and 65535"),
        (["--port", "65536"], "--port must be between 1 and 65535"),
        (["--port", "-1"], "--port must be between 1 and 65535"),
        (["--port", HUGE], "--port must be between 1 and 65535"),
        (["--port", "http"], "argument --port: invalid int value"),
        (["--rate", "0"], "--rate must be above 0"),
        (["--rate", "-1"], "--rate must be above 0"),
        (["--rate", "nan"], "--rate must be above 0"),
        (["--rate", "inf"], "--rate must be above 0"),
        (["--rate", "1e9"], "--rate must be above 0"),
    ],
)
def test_kds_run_refuses_and_starts_nothing(tmp_path: Path, args: list[str], says: str) -> None:
    # A process of its own, as it is run: a kds_run that did not refuse would start
    # Daphne and a scheduler, and this would time out.
    env = {
        "PATH": "/usr/bin:/bin",
        "KDS_SQLITE_PATH": str(tmp_path / "kds.sqlite3"),
        "SECRET_KEY": "x" * 40,
        "KDS_SPEECH_CACHE_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "kds_run", "--port", "18999", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert says in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "kds.sqlite3").exists()  # refused before touching the database


# ---------------------------------------------------------------- kds_pickup_link


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["no-such-place"], "No such restaurant"),
        (["demo\x00"], "No such restaurant"),
        (["x" * 10_000], "No such restaurant"),
        (["--lang", "klingon"], "--lang must be one of"),
        (["--lang", "en\x00"], "--lang must be one of"),
        (["--repeat", "0"], "--repeat must be between 1 and 5"),
        (["--repeat", "6"], "--repeat must be between 1 and 5"),
        (["--repeat", "-1"], "--repeat must be between 1 and 5"),
        (["--repeat", HUGE], "--repeat must be between 1 and 5"),
        (["--repeat", "twice"], "argument --repeat: invalid int value"),
    ],
)
def test_kds_pickup_link_refuses(kitchen: factories.Kitchen, args: list[str], says: str) -> None:
    assert says in refused("kds_pickup_link", *args)


def test_kds_pickup_link_refuses_when_there_is_no_restaurant(db: None) -> None:
    assert "No such restaurant" in refused("kds_pickup_link")


# ---------------------------------------------------------------- kds_bench


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--screens", "0"], "--screens must be between 1 and 1000"),
        (["--screens", "1001"], "--screens must be between 1 and 1000"),
        (["--screens", HUGE], "--screens must be between 1 and 1000"),
        (["--step-seconds", "0"], "--step-seconds and --healthz-seconds must be positive"),
        (["--step-seconds", "-1"], "--step-seconds and --healthz-seconds must be positive"),
        (["--step-seconds", "nan"], "--step-seconds and --healthz-seconds must be positive"),
        (["--step-seconds", "inf"], "--step-seconds and --healthz-seconds must be positive"),
        (["--healthz-seconds", "nan"], "--step-seconds and --healthz-seconds must be positive"),
        (["--rates", ""], "--rates must be positive numbers"),
        (["--rates", "ten"], "--rates must be numbers separated by commas"),
        (["--rates", "10,0"], "--rates must be positive numbers"),
        (["--rates", "-5"], "--rates must be positive numbers"),
        (["--rates", "nan"], "--rates must be positive numbers"),
        (["--rates", "10,inf"], "--rates must be positive numbers"),
        (["--ack-p99-ms", "nan"], "--ack-p99-ms and --e2e-p99-ms must be positive"),
        (["--e2e-p99-ms", "0"], "--ack-p99-ms and --e2e-p99-ms must be positive"),
        (["--drain-seconds", "inf"], "--drain-seconds must be"),
        (["--processes", "17"], "--processes must be between"),
        (["--processes", "-1"], "--processes must be between"),
        (["--processes", "1", "--source", "pos"], "it cannot go with --source"),
        (["--source", "pos"], "--source needs --secret and --pairing-urls"),
    ],
)
def test_kds_bench_refuses_before_measuring(db: None, args: list[str], says: str) -> None:
    # --url points where nothing listens: a bench that did not refuse would fail there,
    # with another message.
    assert says in refused("kds_bench", "--url", CLOSED, "--no-progress", *args)


def test_kds_bench_refuses_a_pairing_file_it_cannot_read_or_that_is_short(
    db: None, tmp_path: Path
) -> None:
    remote = ["--url", CLOSED, "--no-progress", "--source", "pos", "--secret", "whsec_x"]
    missing = tmp_path / "missing.txt"
    short = tmp_path / "short.txt"
    short.write_text(f"{CLOSED}/pair/#one\n")

    assert f"cannot read {missing}" in refused("kds_bench", *remote, "--pairing-urls", str(missing))
    assert "has 1 pairing URLs; --screens asks for more" in refused(
        "kds_bench", *remote, "--pairing-urls", str(short), "--screens", "2"
    )


# ---------------------------------------------------------------- kds_scheduler


@pytest.mark.parametrize("interval", ["0", "0.001", "61", "-1", "nan", "inf", HUGE])
def test_kds_scheduler_refuses_an_interval_out_of_bounds(db: None, interval: str) -> None:
    # A scheduler that did not refuse would loop here until the test's timeout.
    assert "--interval must be between 0.01 and 60 seconds" in refused(
        "kds_scheduler", "--interval", interval
    )


# ---------------------------------------------------------------- kds_station, kds_screen


@pytest.mark.parametrize(
    ("args", "says"),
    [
        ([], "the following arguments are required: action"),
        (["delete"], "invalid choice: 'delete'"),
        (["list", "--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_kds_station_refuses_an_unknown_action_or_option(
    kitchen: factories.Kitchen, args: list[str], says: str
) -> None:
    assert says in refused("kds_station", *args)


@pytest.mark.parametrize("slug", ["no-such-place", "demo\x00", "x" * 10_000])
def test_kds_station_refuses_a_restaurant_that_does_not_exist(
    kitchen: factories.Kitchen, slug: str
) -> None:
    assert "No restaurant with slug" in refused("kds_station", "list", "--restaurant", slug)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        ([], "the following arguments are required: action"),
        (["add"], "the following arguments are required: --station"),
        (["remove", "--station", "kitchen"], "invalid choice: 'remove'"),
        (["add", "--station", "grill"], "No station with slug 'grill'"),
        (["add", "--station", "kitchen\x00"], "No station with slug"),
        (["add", "--station", "kitchen", "--restaurant", "nowhere"], "No station with slug"),
        (["add", "--station", "kitchen", "--name", "x" * 61], "--name must be"),
        (["add", "--station", "kitchen", "--name", "Wok\x00"], "--name must be"),
        (["add", "--station", "kitchen", "--name", "   "], "--name must be"),
    ],
)
def test_kds_screen_refuses_and_adds_no_screen(
    kitchen: factories.Kitchen, args: list[str], says: str
) -> None:
    assert says in refused("kds_screen", *args)
    assert not Screen.objects.exists()


def test_kds_screen_refuses_a_slug_two_restaurants_share(kitchen: factories.Kitchen) -> None:
    factories.make_kitchen("second")  # a "kitchen" station of its own

    assert "say which with --restaurant SLUG" in refused(
        "kds_screen", "add", "--station", "kitchen"
    )
    assert not Screen.objects.exists()
