"""Text as crawlers and archives saved it: literal HTML entities, stray tags, comments left behind.

Everything here turns such residue into the plain text a reader would have seen, so the plain-text
reader can find headings and paragraphs as in any other text file. Each pass is one regex scan.
"""

from __future__ import annotations

import html
import re

_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});", re.I)
# A comment opened or closed on a line of its own whose other half the archive cut off.
_COMMENT_EDGE = re.compile(r"^[ \t]*(?:<!--[^\n]*|[^\n<]*-->)[ \t]*$", re.M)
_BLOCK_TAGS = (
    "p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|section|article|blockquote|dd|dt|dl|hr|center"
)
_INLINE_TAGS = "strong|b|em|i|u|span|a|font|small|big|sup|sub|abbr|code|tt|s|strike|img|label"
_TAG = re.compile(rf"<(/?)({_BLOCK_TAGS}|{_INLINE_TAGS})\b[^<>]{{0,1000}}>", re.I)
_STRAY_LINE_TAGS = re.compile(rf"</?(?:{_BLOCK_TAGS})\b[^<>]*>", re.I)
_HEADING_OPEN = re.compile(r"h[1-6]", re.I)
_SENTENCE_END = re.compile(r"[.!?:;][\"'”’)\]]*$")
_MIN_STRAY_TAGS = 2


def has_entities(text: str) -> bool:
    return _ENTITY.search(text) is not None


def decode_entities(text: str) -> str:
    """``&amp;``, ``&ldquo;``, ``&#146;`` and friends as the characters a browser shows.

    Numeric references 128-159 mean Windows-1252 characters (``&#146;`` is a right quote), as
    browsers read them; ``html.unescape`` follows the same HTML5 rule. A line of ``&nbsp;`` alone
    becomes a blank line.
    """
    if not has_entities(text):
        return text
    decoded = html.unescape(text)
    return decoded.replace("\u00a0", " ")


def drop_comments(text: str) -> str:
    if "<!--" not in text and "-->" not in text:
        return text
    # str.find rather than a lazy regex: an unclosed "<!--" must not make the scan quadratic.
    kept: list[str] = []
    position = 0
    while (start := text.find("<!--", position)) >= 0:
        end = text.find("-->", start + 4)
        if end < 0:
            break
        kept.append(text[position:start])
        position = end + 3
    kept.append(text[position:])
    return _COMMENT_EDGE.sub("", "".join(kept))


def stray_tag_count(text: str) -> int:
    return len(_STRAY_LINE_TAGS.findall(text))


def is_crawler_hybrid(text: str) -> bool:
    """Mostly bare lines with some block tags (``<p>``, ``<br>``, ``<li>``): a crawler's dump."""
    return stray_tag_count(text) >= _MIN_STRAY_TAGS


def untag_hybrid(text: str) -> str:
    """Rewrite a crawler hybrid as plain text with blank lines between its blocks.

    Block tags end a paragraph; inside a paragraph, a line that does not finish a sentence goes on
    in the next line (crawlers often break after every sentence or clause). A short title-like line
    after a finished sentence and before a capitalised line keeps a line of its own: that is how
    such dumps show their headings.
    """
    chunks = _split_blocks(text)
    out: list[str] = []
    for chunk, heading in chunks:
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        if heading:
            out.append(" ".join(lines))
            continue
        out.extend(_join_sentences(lines))
    return "\n\n".join(out) + "\n"


def _split_blocks(text: str) -> list[tuple[str, bool]]:
    """Text between block tags, each flagged when an ``<h1>``-``<h6>`` wrapped it."""
    chunks: list[tuple[str, bool]] = []
    position = 0
    heading = False
    buffer: list[str] = []
    for match in _TAG.finditer(text):
        buffer.append(text[position : match.start()])
        position = match.end()
        name = match.group(2).lower()
        if name in _INLINE_TAGS.split("|"):
            continue
        if name == "li" and not match.group(1):
            chunks.append(("".join(buffer), heading))
            buffer = ["• "]
            continue
        if "".join(buffer).strip() == "•":
            continue  # "<li><p>": the item's paragraph tag does not end the item
        chunks.append(("".join(buffer), heading))
        buffer = []
        heading = bool(_HEADING_OPEN.fullmatch(name)) and not match.group(1)
    buffer.append(text[position:])
    chunks.append(("".join(buffer), heading))
    return chunks


def _join_sentences(lines: list[str]) -> list[str]:
    paragraphs: list[str] = []
    current: list[str] = []
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else None
        after_sentence = not current or _SENTENCE_END.search(current[-1]) is not None
        if after_sentence and _stands_alone(line, following):
            if current:
                paragraphs.append(" ".join(current))
                current = []
            paragraphs.append(line)
            continue
        current.append(line)
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def _stands_alone(line: str, following: str | None) -> bool:
    if following is None or len(line) > 120 or _SENTENCE_END.search(line):
        return False
    first = next((char for char in following if char.isalpha()), "")
    return line[:1].isupper() and first.isupper()
