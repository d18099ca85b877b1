"""docs/spec is the repository's copy of the webhook contract and its examples (the tests
post every example). Wherever the shared original can be found, the copy must be
identical to it: KDS_SHARED_SPEC (which .ci/run sets), else a `shared/spec` beside the
checkout or any folder above it (a worktree in /work/wt/<name> finds /work/shared), else
beside the repository it was cloned from (a CI clone of /work/main in /tmp)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
COPY = ROOT / "docs" / "spec"


def original() -> Path | None:
    given = os.environ.get("KDS_SHARED_SPEC")
    if given:
        return Path(given)  # named: it must be there
    starts = [ROOT]
    origin = subprocess.run(
        ["git", "-C", str(ROOT), "remote", "get-url", "origin"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    if origin and Path(origin).is_dir():
        starts.append(Path(origin).resolve())
    for start in starts:
        for folder in start.parents:
            if (folder / "shared" / "spec").is_dir():
                return folder / "shared" / "spec"
    return None


def files(top: Path) -> dict[str, bytes]:
    return {str(p.relative_to(top)): p.read_bytes() for p in sorted(top.rglob("*")) if p.is_file()}


def test_it_has_the_contract_and_its_examples() -> None:
    copied = files(COPY)
    assert "order-webhook.md" in copied
    assert len([name for name in copied if name.startswith("examples/")]) >= 5


def test_it_matches_the_shared_original() -> None:
    found = original()
    if found is None:
        pytest.skip("no shared spec beside this checkout or its origin: nothing to compare")
    assert found.is_dir(), f"KDS_SHARED_SPEC={found} is not a folder"
    shared, copied = files(found), files(COPY)
    assert sorted(copied) == sorted(shared)
    assert [name for name in shared if shared[name] != copied[name]] == []
