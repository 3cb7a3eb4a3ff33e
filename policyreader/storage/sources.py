"""Load a file path or a web address, importing the network stack only on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policyreader.core.document import PolicyDocument


def load_source(source: str) -> PolicyDocument:
    """``storage.fetch.load_source`` (a file path or a web address), importing the network stack
    only when a document is first loaded, so that start-up does not pay for it."""
    from policyreader.storage.fetch import load_source as load

    return load(source)
