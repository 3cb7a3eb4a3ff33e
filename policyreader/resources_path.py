"""Where the bundled resources are, installed or run from a checkout."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable


def resource(*parts: str) -> Traversable:
    """A bundled file, e.g. ``resource("samples", "northwind-privacy.md")``."""
    node = files("policyreader.resources")
    for part in parts:
        node = node / part
    return node
