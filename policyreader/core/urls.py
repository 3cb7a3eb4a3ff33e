"""Tell a web address from a file path, without importing the network stack."""

from __future__ import annotations


def looks_like_url(text: str) -> bool:
    """Whether a command-line argument names a web page rather than a file."""
    return text.strip().lower().startswith(("http://", "https://"))
