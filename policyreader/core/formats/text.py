"""Plain text: recover the headings, lists and paragraphs a human sees in a text file."""

from __future__ import annotations

from policyreader.core.builder import SourceParse, text_block
from policyreader.core.document import BlockKind


def read_text(text: str) -> SourceParse:
    blocks = [text_block(BlockKind.PARAGRAPH, chunk) for chunk in text.split("\n\n")]
    return SourceParse(blocks=blocks)
