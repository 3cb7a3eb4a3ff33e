"""A stable fingerprint of a policy's normalised text: the identity that survives moves and renames."""

from __future__ import annotations

import hashlib
import re
import unicodedata

FINGERPRINT_PREFIX = "sha256:"

_WHITESPACE = re.compile(r"\s+")
# Characters that render as nothing; a re-save that adds or drops them is not a new text.
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def normalise_text(text: str) -> str:
    """The text as compared for identity: NFKC, invisible characters dropped, whitespace collapsed.

    Case and punctuation are kept: a policy whose wording changed is a new version, while one
    re-wrapped or re-saved with other line endings or non-breaking spaces is the same text.
    """
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    return _WHITESPACE.sub(" ", text).strip()


def fingerprint(text: str) -> str:
    """``sha256:<hex>`` of the normalised text."""
    digest = hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()
    return FINGERPRINT_PREFIX + digest
