"""KDS_LOG_FORMAT=json: one JSON object per line, with every `extra=` field as a key."""

from __future__ import annotations

import json
import subprocess

from tests.settings_probe import run_python

PROBE = (
    "import django, logging; django.setup(); "
    "logging.getLogger('kds.webhook').info('webhook created order=%s', 7, "
    "extra={'source': 'pos', 'status': 201, 'order_id': 7, 'tags': ('a', 1)})"
)


def run(**env: str) -> subprocess.CompletedProcess[str]:
    return run_python("-c", PROBE, unset=("KDS_LOG",), **env)


def test_it_writes_one_json_object_per_line() -> None:
    result = run(KDS_LOG_FORMAT="json")

    assert result.returncode == 0, result.stderr
    (line,) = [x for x in result.stderr.splitlines() if "kds.webhook" in x]
    entry = json.loads(line)
    assert entry["logger"] == "kds.webhook"
    assert entry["level"] == "INFO"
    assert entry["message"] == "webhook created order=7"
    assert (entry["source"], entry["status"], entry["order_id"]) == ("pos", 201, 7)
    assert entry["tags"] == ["a", 1]
    assert entry["time"].endswith("+00:00")


def test_it_keeps_plain_text_by_default() -> None:
    result = run()

    assert result.returncode == 0, result.stderr
    (line,) = [x for x in result.stderr.splitlines() if "kds.webhook" in x]
    assert line.endswith("INFO kds.webhook webhook created order=7")


def test_it_stops_on_an_unknown_format_naming_the_variable() -> None:
    result = run(KDS_LOG_FORMAT="xml")

    assert result.returncode != 0
    assert "KDS_LOG_FORMAT" in result.stderr.strip().splitlines()[-1]
