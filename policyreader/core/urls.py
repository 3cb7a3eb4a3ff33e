"""Tell a web address from a file path, without importing the network stack."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policyreader.core.document import PolicyDocument


def looks_like_url(text: str) -> bool:
    """Whether a command-line argument names a web page rather than a file."""
    return text.strip().lower().startswith(("http://", "https://"))


def load_source(source: str) -> PolicyDocument:
    """``core.fetch.load_source`` (a file path or a web address), importing the network stack
    only when a document is first loaded, so that start-up does not pay for it."""
    from policyreader.core.fetch import load_source as load

    return load(source)
