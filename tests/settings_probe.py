"""Runs a few lines of Python (or a management command) in a fresh process with the
project's settings, under an environment of the test's choosing: how the settings tests
see what start-up does."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_python(
    *args: str, unset: Iterable[str] = (), **env: str
) -> subprocess.CompletedProcess[str]:
    """`python *args` in the project (`-c CODE`, or `manage.py …`); variables named or
    prefixed by `unset` are removed from this process's environment, then `env` added."""
    drop = tuple(unset)
    base = (
        {k: v for k, v in os.environ.items() if not k.startswith(drop)}
        if drop
        else dict(os.environ)
    )
    return subprocess.run(
        [sys.executable, *args],
        env={**base, "DJANGO_SETTINGS_MODULE": "kds.settings", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
