"""What an action raises when it does not apply."""

from __future__ import annotations


class ActionRefused(Exception):
    """The action does not apply: not this station's, or no longer possible."""
