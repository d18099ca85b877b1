"""kds_bench refuses options it cannot honour with a message, before it starts anything."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.settings_probe import run_python


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--processes", "17"], "--processes must be between 1 and 16"),
        (["--processes", "-1"], "--processes must be between 1 and 16"),
        (["--processes", str(2**63)], "--processes must be between 1 and 16"),
        (["--processes", "two"], "invalid int value"),
        (["--processes", "2", "--source", "pos"], "cannot go with --source"),
        (["--e2e-p99-ms", "soon"], "invalid float value"),
        (["--screens", "1001"], "--screens must be between 1 and 1000"),
        (["--restaurants", "0"], "--restaurants must be between 1 and 1000"),
        (["--restaurants", str(2**63)], "--restaurants must be between 1 and 1000"),
        (["--restaurants", "3", "--screens", "2"], "at least one screen each"),
        (["--restaurants", "2", "--source", "pos"], "cannot go with --source"),
    ],
)
def test_it_refuses_a_bad_option(args: list[str], message: str) -> None:
    result = run_python("manage.py", "kds_bench", *args, "--no-progress")
    assert result.returncode != 0
    assert message in result.stderr, result.stderr


@settings(max_examples=40, deadline=None)
@given(
    processes=st.one_of(
        st.integers(max_value=-1),
        st.integers(min_value=17),
        st.text().filter(lambda t: not t.strip().lstrip("+-").isdigit()),
    )
)
def test_it_refuses_any_process_count_out_of_range(processes: int | str) -> None:
    with pytest.raises(CommandError):
        call_command("kds_bench", f"--processes={processes}", "--no-progress")
