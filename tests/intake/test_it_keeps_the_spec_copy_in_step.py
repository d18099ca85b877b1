"""docs/spec is the repository's copy of the webhook contract and its examples (the tests
post every example). Where the shared original sits beside the checkout, as on a
developer's machine, the copy must be identical to it."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
COPY = ROOT / "docs" / "spec"
ORIGINAL = ROOT.parent / "shared" / "spec"


def files(top: Path) -> dict[str, bytes]:
    return {str(p.relative_to(top)): p.read_bytes() for p in sorted(top.rglob("*")) if p.is_file()}


def test_it_has_the_contract_and_its_examples() -> None:
    copied = files(COPY)
    assert "order-webhook.md" in copied
    assert len([name for name in copied if name.startswith("examples/")]) >= 5


def test_it_matches_the_shared_original() -> None:
    if not ORIGINAL.is_dir():
        pytest.skip(f"no shared spec at {ORIGINAL} (a clone on its own): nothing to compare")
    original, copied = files(ORIGINAL), files(COPY)
    assert sorted(copied) == sorted(original)
    assert [name for name in original if original[name] != copied[name]] == []
