"""Decide a file's encoding and format from its bytes, never from its name alone."""

from __future__ import annotations

import codecs
import re

from policyreader.core.document import DocumentFormat
from policyreader.core.errors import LoadProblem, PolicyLoadError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SAMPLE = 64 * 1024
# Controls other than tab, newline, carriage return and form feed do not occur in text files.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")


def decode(data: bytes, name: str | None = None) -> str:
    """Decode bytes of a text file: BOM, then UTF-16 by its zero bytes, UTF-8, then legacy codepages.

    Raises ``PolicyLoadError`` for binary data and for bytes no encoding turns into text.
    Line ends are normalised to ``\\n``.
    """
    shown = name or "This file"
    text = _decode_bytes(data, shown)
    sample = text[:_SAMPLE]
    if sample and len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise PolicyLoadError(
            LoadProblem.UNDECODABLE,
            f"The bytes of {shown} do not decode to readable text in any known encoding.",
            name,
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_bytes(data: bytes, shown: str) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    utf16 = _utf16_without_bom(data[:_SAMPLE])
    if utf16:
        return data.decode(utf16, errors="replace")
    if b"\x00" in data[:_SAMPLE]:
        raise PolicyLoadError(
            LoadProblem.BINARY,
            f"{shown} is a binary file (an image, archive or program?), not a policy's text.",
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        # A few damaged bytes in an otherwise UTF-8 file: keep the text, mark the damage.
        return data.decode("utf-8", errors="replace")
    return _decode_legacy(data)


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 text of Latin script has a zero byte in every other position."""
    if len(sample) < 4:
        return None
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_zeros > 0.4 * half and even_zeros < 0.05 * half:
        return "utf-16-le"
    if even_zeros > 0.4 * half and odd_zeros < 0.05 * half:
        return "utf-16-be"
    return None


def _mostly_utf8(data: bytes) -> bool:
    decoded = data.decode("utf-8", errors="replace")
    damaged = decoded.count("\ufffd")
    multibyte = sum(1 for ch in decoded if ord(ch) > 0x7F) - damaged
    return multibyte >= 4 * damaged


def _decode_legacy(data: bytes) -> str:
    """Windows-1252 for Western text (the usual legacy case); otherwise ask charset-normalizer."""
    western = _western_text(data)
    if western is not None:
        return western
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise PolicyLoadError(
            LoadProblem.UNDECODABLE,
            "The file's bytes do not decode to readable text in any known encoding.",
        )
    return str(best)


_WORD = re.compile(r"[^\W\d_]+")


def _western_text(data: bytes) -> str | None:
    """Decode as Windows-1252 (or Latin-1) if the result reads like a Western language.

    In French or German, accented letters sit inside words of ASCII letters ("Société"); Cyrillic
    or Greek bytes read as Windows-1252 give words made only of accented letters ("Ïîëèòèêà").
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    accented = [w for w in _WORD.findall(text[:_SAMPLE]) if not w.isascii()]
    if not accented:
        return text
    mixed = sum(1 for w in accented if any(c.isascii() for c in w))
    return text if mixed >= 0.6 * len(accented) else None


_HTML_START = re.compile(
    r"\A\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
    re.I | re.S,
)
_HTML_TAG = re.compile(r"</?(?:p|div|span|a|h[1-6]|li|ul|ol|table|br|section|article|meta)\b", re.I)
_ATX_HEADING = re.compile(r"^#{1,6}\s+\S", re.M)
_FRONT_MATTER = re.compile(
    r"\A(?:---|\+\+\+)[ \t]*\n(?:[\w-]+[ \t]*[:=].*\n)+?(?:---|\+\+\+)[ \t]*$", re.M
)
_STRONG = re.compile(r"\*\*[^*\n]+\*\*|__[^_\n]+__")
_SETEXT = re.compile(r"^[^\s=].*\n=+[ \t]*$", re.M)
_MD_SIGNALS = (
    re.compile(r"\[[^\]\n]+\]\([^)\s]+[^)]*\)"),  # inline link
    _STRONG,
    re.compile(r"^\s{0,3}>\s", re.M),  # block quote
    re.compile(r"^\s*\|?\s*:?-{3,}:?\s*\|", re.M),  # table delimiter row
    re.compile(r"^\{:\s*[#.].*\}\s*$", re.M),  # kramdown attribute list
    _SETEXT,
)
_BULLET = re.compile(r"^\s{0,3}[*+-]\s+\S", re.M)
# Several bold spans are Markdown's way of writing pseudo-headings; plain text has none.
_STRONG_ALONE = 3


def sniff_format(text: str, name: str | None = None) -> DocumentFormat:
    """Tell HTML, Markdown and plain text apart by what the text contains.

    Numbered lines (``1. Parties``) are not counted for Markdown: plain-text policies use them as
    headings. Bullets and underlined headings occur in plain text too, so they only add weight to
    another sign. The file name only breaks a tie between Markdown and plain text.
    """
    head = text[:_SAMPLE]
    if _HTML_START.match(head):
        return DocumentFormat.HTML
    if len(_HTML_TAG.findall(head[:8192])) >= 8 and not _bare_lines_with_stray_tags(head[:8192]):
        return DocumentFormat.HTML
    if _FRONT_MATTER.match(head) or _ATX_HEADING.search(head):
        return DocumentFormat.MARKDOWN
    signs = [pattern for pattern in _MD_SIGNALS if pattern.search(head)]
    if len(signs) >= 2 or (signs and _BULLET.search(head) and signs != [_SETEXT]):
        return DocumentFormat.MARKDOWN
    if len(_STRONG.findall(head)) >= _STRONG_ALONE:
        return DocumentFormat.MARKDOWN
    suffix = (name or "").lower().rsplit(".", 1)[-1]
    if suffix in {"md", "markdown", "mdown", "mkd"}:
        return DocumentFormat.MARKDOWN
    if suffix in {"html", "htm", "xhtml"} and "<" in head:
        return DocumentFormat.HTML
    return DocumentFormat.TEXT


_P_OPEN = re.compile(r"<p\b", re.I)
_P_CLOSE = re.compile(r"</p>", re.I)
_ANY_TAG = re.compile(r"<[a-zA-Z/!][^<>\n]{0,200}>")
_PAGE_STRUCTURE = re.compile(
    r"<(?:div|span|table|section|article|nav|header|footer)\b|class=", re.I
)
# A crawler's dump: most lines are bare text and tags are sprinkled in (one per several lines).
_BARE_LINE_SHARE = 0.4
_BARE_LINE_SHARE_UNCLOSED = 0.25
_TAGS_PER_LINE = 1.0


def _bare_lines_with_stray_tags(sample: str) -> bool:
    """Text with ``<p>``/``<br>`` left in by a crawler, which neither reader gets right alone."""
    lines = [line for line in sample.split("\n") if line.strip()]
    if not lines or len(_PAGE_STRUCTURE.findall(sample)) > 2:
        return False
    bare = sum(1 for line in lines if "<" not in line)
    tags = len(_ANY_TAG.findall(sample))
    # Pages close their paragraphs; crawlers leave "<p>" as a bare separator.
    unclosed = len(_P_OPEN.findall(sample)) > 2 * len(_P_CLOSE.findall(sample))
    if not (unclosed or "<br" in sample.lower()):
        return False
    share = _BARE_LINE_SHARE_UNCLOSED if unclosed else _BARE_LINE_SHARE
    return bare >= share * len(lines) and tags <= _TAGS_PER_LINE * len(lines) + 8


def is_pdf(data: bytes) -> bool:
    return data[:1024].lstrip().startswith(b"%PDF-")
