"""Forum posts (BBCode) saved as text: rewritten as Markdown, then read by the Markdown reader.

``[B]Heading[/B]`` alone on a line is a heading, ``[I]``/``[U]`` emphasis, ``[URL=…]`` a link,
``[LIST][*]`` list items; size, colour, font and alignment tags only style, so they go.
"""

from __future__ import annotations

import re

from policyreader.core.builder import SourceParse

_TAG = re.compile(r"\[(/?)([a-z*]+|h[1-6])(?:=([^\]\n]*))?\]", re.I)
_KNOWN = frozenset(
    [
        "b",
        "i",
        "u",
        "s",
        "url",
        "email",
        "list",
        "*",
        "quote",
        "size",
        "color",
        "colour",
        "font",
        "center",
        "left",
        "right",
        "indent",
        "hr",
        "img",
        "code",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "spoiler",
        "highlight",
    ]
)
_CLOSING = re.compile(r"\[/(?:b|i|u|url|list|quote|size|color|font|center)\]", re.I)
_MIN_TAGS = 3
_STYLE_ONLY = frozenset(
    ["size", "color", "colour", "font", "center", "left", "right", "indent", "spoiler", "highlight"]
)
_BOLD_LINE = re.compile(r"\[b\](?P<text>[^\[\]\n]+)\[/b\]", re.I)
_MD_LINE_START = re.compile(r"^(\s*)([#>])", re.M)


def is_bbcode(text: str) -> bool:
    """Closing tags such as ``[/b]`` or ``[/url]`` and a few more tags: a forum post."""
    sample = text[:65536]
    if not _CLOSING.search(sample):
        return False
    tags = [m for m in _TAG.finditer(sample) if m.group(2).lower() in _KNOWN]
    return len(tags) >= _MIN_TAGS


def read_bbcode(text: str) -> SourceParse:
    from policyreader.core.formats.markdown import read_markdown

    return read_markdown(bbcode_to_markdown(text))


def bbcode_to_markdown(text: str) -> str:
    """Markdown with the same structure: headings, emphasis, links and lists."""
    lines: list[str] = []
    body_seen = False
    list_kinds: list[str] = []
    for raw in _escape_markdown(text).split("\n"):
        line, list_kinds = _rewrite_lists(raw, list_kinds)
        heading = _heading_text(line)
        if heading is not None:
            level = "#" if not body_seen else "##"
            lines.extend(["", f"{level} {_inline(heading)}", ""])
            continue
        converted = _inline(line)
        if converted.strip() and not converted.lstrip().startswith(("- ", "1. ")):
            body_seen = True
        lines.append(converted)
    return "\n".join(lines)


def _escape_markdown(text: str) -> str:
    """Line starts that Markdown would read as structure were plain characters in the post."""
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def _heading_text(line: str) -> str | None:
    """A line that is only bold text (whatever size or colour wraps it) is a heading."""
    stripped = _strip_style(line).strip()
    for wrapper in ("u", "i"):
        stripped = re.sub(rf"^\[{wrapper}\](.*)\[/{wrapper}\]$", r"\1", stripped, flags=re.I)
    match = _BOLD_LINE.fullmatch(stripped)
    if match is None:
        return None
    inner = match.group("text").strip()
    return inner or None


def _strip_style(line: str) -> str:
    return _TAG.sub(lambda m: "" if m.group(2).lower() in _STYLE_ONLY else m.group(0), line)


def _rewrite_lists(line: str, kinds: list[str]) -> tuple[str, list[str]]:
    """``[LIST]`` opens, ``[*]`` starts an item, ``[/LIST]`` closes; nesting by a stack."""
    kinds = list(kinds)
    out: list[str] = []
    position = 0
    for match in re.finditer(r"\[(/?)(list|\*)(?:=([^\]\n]*))?\]", line, re.I):
        out.append(line[position : match.start()])
        position = match.end()
        closing, name = match.group(1), match.group(2)
        if name.lower() == "list":
            if closing:
                if kinds:
                    kinds.pop()
            else:
                kinds.append("1." if (match.group(3) or "").strip() == "1" else "-")
            out.append("\n")
            continue
        indent = "  " * max(len(kinds) - 1, 0)
        out.append(f"\n{indent}{kinds[-1] if kinds else '-'} ")
    out.append(line[position:])
    rewritten = "".join(out)
    return rewritten, kinds


def _inline(line: str) -> str:
    def replace(match: re.Match[str]) -> str:
        closing, name, value = match.group(1), match.group(2).lower(), match.group(3)
        if name in ("b",):
            return "**"
        if name in ("i", "u", "s"):
            return "*"
        if name == "url":
            if closing:
                return "]" + "(" + "\x00" + ")"
            return "[" if value is None else f"\x01{value.strip()}\x02["
        if name in _STYLE_ONLY or name in ("quote", "code", "hr", "img", "email"):
            return ""
        return match.group(0)

    converted = _TAG.sub(replace, line)
    return _resolve_links(converted)


def _resolve_links(text: str) -> str:
    """``[URL=target]label[/URL]`` became markers around the label; put the target in place."""
    if "\x00" not in text:
        return text.replace("\x01", "").replace("\x02", "")

    def link(match: re.Match[str]) -> str:
        target = match.group("target")
        label = match.group("label")
        if target is None:
            return f"<{label}>" if re.match(r"https?://", label) else label
        return f"[{label}]({target.replace(' ', '%20')})"

    pattern = re.compile(r"(?:\x01(?P<target>[^\x02]*)\x02)?\[(?P<label>[^\]\x00]*)\]\(\x00\)")
    return pattern.sub(link, text).replace("\x01", "").replace("\x02", "")
