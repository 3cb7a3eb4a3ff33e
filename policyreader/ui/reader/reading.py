"""Small facts about a document for the status bar and links: word count, reading time, slugs (pure)."""

from __future__ import annotations

import functools
import re
import unicodedata

from policyreader.core.document import PolicyDocument

# Adults read continuous prose at roughly 200-250 words a minute; legal text is slower.
WORDS_PER_MINUTE = 200
_WORD = re.compile(r"\w+(?:['’]\w+)*")
_NOT_SLUG = re.compile(r"[^\w\- ]+")


@functools.lru_cache(maxsize=16)
def word_count(text: str) -> int:
    """Words in ``text``; kept, as the status line asks again on every tab switch."""
    return len(_WORD.findall(text))


def reading_minutes(words: int) -> int:
    return max(1, round(words / WORDS_PER_MINUTE))


def summary_line(document: PolicyDocument) -> str:
    """``"12 sections · 4,310 words · about 22 min read"``."""
    sections = sum(1 for _ in document.walk_sections())
    words = word_count(document.text)
    parts = [
        f"{sections} section{'s' if sections != 1 else ''}" if sections else "no headings",
        f"{words:,} word{'s' if words != 1 else ''}",
        f"about {reading_minutes(words)} min read",
    ]
    return " · ".join(parts)


def slug(title: str) -> str:
    """The anchor a Markdown renderer would give a heading (GitHub style), for ``#fragment`` links."""
    text = unicodedata.normalize("NFKC", title).strip().lower()
    text = _NOT_SLUG.sub("", text)
    return text.replace(" ", "-")


def section_for_fragment(document: PolicyDocument, fragment: str) -> int | None:
    """The start offset of the section a ``#fragment`` link points to, if one matches."""
    wanted = slug(fragment)
    for section in document.walk_sections():
        if slug(section.title) == wanted:
            return section.start
    return None
