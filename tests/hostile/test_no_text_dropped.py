"""Finding 9 of issue 19: text the reader cannot place in structure is shown flattened, never dropped."""

from __future__ import annotations

import pytest

from policyreader.core.document import DocumentFormat
from policyreader.core.loading import load_text
from policyreader.core.practices.detector import DetectorKind, detect_practices
from policyreader.core.practices.taxonomy import Category
from policyreader.core.summary import summarise

SHARING = "We share your email address and location with advertising partners for marketing."


def html(body: str) -> str:
    return f"<html><body><h1>Privacy Policy</h1><p>We collect your email address.</p>{body}</body></html>"


@pytest.mark.parametrize("tag", ["<embed src=x>", "<source src=x>", "<wbr>", "<object data=x>"])
def test_an_unclosed_void_or_embedding_tag_does_not_swallow_the_rest(tag: str) -> None:
    document = load_text(
        html(f"{tag}<h2>Sharing</h2><p>{SHARING}</p>"), "p.html", DocumentFormat.HTML
    )
    assert SHARING in document.text
    assert "Sharing" in [section.title for section in document.walk_sections()]


def test_the_label_sees_sharing_after_an_embed() -> None:
    document = load_text(
        html(f"<embed src=x><h2>Sharing</h2><p>{SHARING}</p>"), "p.html", DocumentFormat.HTML
    )
    summary = summarise(document, detect_practices(document, DetectorKind.RULES))
    assert Category.THIRD_PARTY_SHARING not in summary.not_stated


@pytest.mark.parametrize("tags", [("<div>", "</div>"), ("<table><tr><td>", "</td></tr></table>")])
def test_html_past_the_parsers_depth_limit_keeps_its_text(tags: tuple[str, str]) -> None:
    opening, closing = tags
    page = html(opening * 3000 + "Deep words." + closing * 3000 + f"<p>{SHARING}</p>")
    document = load_text(page, "p.html", DocumentFormat.HTML)
    assert "Deep words." in document.text and SHARING in document.text


@pytest.mark.parametrize("depth", [20, 25, 100, 5000])
def test_deep_markdown_blockquotes_keep_their_text(depth: int) -> None:
    markdown = f"# Privacy\n\nIntro.\n\n{'>' * depth} {SHARING}\n\nAfter the quote.\n"
    document = load_text(markdown, "p.md", DocumentFormat.MARKDOWN)
    assert SHARING in document.text and document.text.endswith("After the quote.")


@pytest.mark.parametrize("depth", [10, 16, 40, 300])
def test_deep_markdown_lists_keep_every_item(depth: int) -> None:
    items = "".join(f"{'  ' * level}- item {level} text\n" for level in range(depth))
    document = load_text(
        f"# Privacy\n\n{items}\nAfter the list.\n", "p.md", DocumentFormat.MARKDOWN
    )
    assert [n for n in range(depth) if f"item {n} text" not in document.text] == []
    assert document.text.endswith("After the list.")
