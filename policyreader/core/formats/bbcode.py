"""Forum posts (BBCode) saved as text: headings, paragraphs, list items and styled runs.

``[B]Heading[/B]`` alone on a line is a heading, ``[I]``/``[U]`` emphasis, ``[URL=…]`` a link,
``[LIST][*]`` list items; size, colour, font and alignment tags only style, so they go. One pass
over the lines and one regex scan per line: linear in the size of the post.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from policyreader.core.builder import RawBlock, Run, SourceParse
from policyreader.core.document import BlockKind
from policyreader.core.formats.wild import decode_entities

_TAG = re.compile(r"\[(/?)([a-z*]+|h[1-6])(?:=([^\]\n]*))?\]", re.I)
_KNOWN = frozenset(
    [
        *("b", "i", "u", "s", "url", "email", "list", "*", "quote", "size", "color", "colour"),
        *("font", "center", "left", "right", "indent", "hr", "img", "code", "spoiler", "highlight"),
    ]
)
_CLOSING = re.compile(r"\[/(?:b|i|u|url|list|quote|size|color|font|center)\]", re.I)
_MIN_TAGS = 3
_LIST_TAG = re.compile(r"\[(/?)(list|\*)(?:=([^\]\n]*))?\]", re.I)
_IMAGE = re.compile(r"\[img\b[^\]]*\].*?\[/img\]", re.I)
_SAFE_LINK = re.compile(r"(?:https?://|mailto:)\S+$", re.I)
# Marks a list item's line after the list tags were turned into lines: depth, then the marker.
_ITEM = "\x00"


def is_bbcode(text: str) -> bool:
    """Closing tags such as ``[/b]`` or ``[/url]`` and a few more tags: a forum post."""
    sample = text[:65536]
    if not _CLOSING.search(sample):
        return False
    tags = [m for m in _TAG.finditer(sample) if m.group(2).lower() in _KNOWN]
    return len(tags) >= _MIN_TAGS


def read_bbcode(text: str) -> SourceParse:
    blocks: list[RawBlock] = []
    paragraph: list[Run] = []
    body_seen = False

    def flush() -> None:
        nonlocal paragraph, body_seen
        if any(run.text.strip() for run in paragraph):
            blocks.append(RawBlock(BlockKind.PARAGRAPH, _trim(paragraph)))
            body_seen = True
        paragraph = []

    for line in _lines(decode_entities(_IMAGE.sub("", text))):
        if line.startswith(_ITEM):
            flush()
            depth, marker, rest = line[1:].split(_ITEM, 2)
            blocks.append(RawBlock(BlockKind.LIST_ITEM, _trim(_runs(rest)), int(depth), marker))
            continue
        if not line.strip():
            flush()
            continue
        heading = _heading_runs(line)
        if heading is not None:
            flush()
            blocks.append(RawBlock(BlockKind.HEADING, heading, 2 if body_seen or blocks else 1))
            continue
        if paragraph:
            paragraph.append(Run(" "))
        paragraph.extend(_runs(line))
    flush()
    return SourceParse(blocks=blocks)


def _lines(text: str) -> Iterator[str]:
    """The post's lines, with ``[LIST]``/``[*]`` rewritten as one marked line per item."""
    kinds: list[str] = []
    counters: list[int] = []
    for raw in text.split("\n"):
        if "[" not in raw or _LIST_TAG.search(raw) is None:
            yield raw
            continue
        position = 0
        pending: str | None = None
        for match in _LIST_TAG.finditer(raw):
            piece = raw[position : match.start()]
            position = match.end()
            if pending is not None:
                yield pending + piece
                pending = None
            elif piece.strip():
                yield piece
            closing, name = match.group(1), match.group(2).lower()
            if name == "list":
                if closing and kinds:
                    kinds.pop()
                    counters.pop()
                elif not closing:
                    kinds.append("1" if (match.group(3) or "").strip() == "1" else "•")
                    counters.append(0)
                continue
            if not kinds:
                kinds, counters = ["•"], [0]
            counters[-1] += 1
            marker = f"{counters[-1]}." if kinds[-1] == "1" else "•"
            pending = f"{_ITEM}{len(kinds) - 1}{_ITEM}{marker}{_ITEM}"
        rest = raw[position:]
        if pending is not None:
            yield pending + rest
        elif rest.strip():
            yield rest


def _heading_runs(line: str) -> list[Run] | None:
    """A line whose every letter is bold (whatever size or colour wraps it) is a heading."""
    runs = _trim(_runs(line))
    if not runs or not all(run.bold or not run.text.strip() for run in runs):
        return None
    text = "".join(run.text for run in runs).strip()
    if not text or len(text) > 200:
        return None
    return [Run(text)]


def _runs(line: str) -> list[Run]:
    """Styled runs of one line; unknown tags stay as text, styling tags disappear."""
    runs: list[Run] = []
    bold = italic = 0
    href: str | None = None
    link_text_is_target = False
    position = 0
    for match in _TAG.finditer(line):
        name = match.group(2).lower()
        if name not in _KNOWN:
            continue
        if match.start() > position:
            piece = line[position : match.start()]
            target = piece.strip() if link_text_is_target else href
            runs.append(Run(piece, bool(bold), bool(italic), href=_safe(target)))
        position = match.end()
        closing = bool(match.group(1))
        step = -1 if closing else 1
        if name == "b":
            bold = max(bold + step, 0)
        elif name in ("i", "u", "s"):
            italic = max(italic + step, 0)
        elif name in ("url", "email"):
            value = match.group(3)
            href = None if closing else (value.strip() if value else None)
            link_text_is_target = not closing and not value
    if position < len(line):
        target = line[position:].strip() if link_text_is_target else href
        runs.append(Run(line[position:], bool(bold), bool(italic), href=_safe(target)))
    return runs


def _safe(target: str | None) -> str | None:
    """Web and mail links only: a post's ``javascript:`` link is not followed."""
    if target and _SAFE_LINK.match(target):
        return target
    return None


def _trim(runs: list[Run]) -> list[Run]:
    while runs and not runs[0].text.strip():
        runs = runs[1:]
    while runs and not runs[-1].text.strip():
        runs = runs[:-1]
    if runs:
        runs[0] = Run(runs[0].text.lstrip(), runs[0].bold, runs[0].italic, href=runs[0].href)
        last = runs[-1]
        runs[-1] = Run(last.text.rstrip(), last.bold, last.italic, href=last.href)
    return runs
