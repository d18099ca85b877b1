"""`manage.py check --deploy` is clean with production settings, and warns without HTTPS."""

from __future__ import annotations

import subprocess

from tests.settings_probe import run_python

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-production-secret-key-of-at-least-fifty-characters-x7Hq",
    "ALLOWED_HOSTS": "kds.example.com",
}


def check_deploy(**env: str) -> subprocess.CompletedProcess[str]:
    return run_python(
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        unset=("DEBUG", "KDS_HTTPS"),
        **env,
    )


def test_it_is_clean_with_production_settings() -> None:
    result = check_deploy(**PRODUCTION, KDS_HTTPS="1")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_warns_about_cookies_and_hsts_without_https() -> None:
    result = check_deploy(**PRODUCTION)

    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr
