"""The hot-pot kitchen (tests/hotpot.py): two prep stations and an expo."""

from tests.hotpot import _fresh_board_cache, kitchen

__all__ = ["_fresh_board_cache", "kitchen"]
