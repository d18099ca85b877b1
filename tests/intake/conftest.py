"""The webhook fixtures (`webhook`, `post`) live in tests/conftest.py."""

from tests.conftest import Post

__all__ = ["Post"]
