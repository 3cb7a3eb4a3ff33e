"""One policy in four formats (Markdown, text, HTML, PDF), and the same policy with one section edited."""

from __future__ import annotations

import html
import textwrap

from tests.core import version_pairs as pairs
from tests.core.pdf_maker import PageFlow

FORMATS = ("md", "txt", "html", "pdf")
Sections = list[tuple[str, list[str]]]


def edited(index: int) -> Sections:
    """The base sections with one word added to the first sentence of section ``index``."""
    sections = [(title, list(sentences)) for title, sentences in pairs.SECTIONS]
    title, sentences = sections[index]
    sentences[0] = sentences[0].replace(" we ", " we also ", 1).replace(" We ", " We also ", 1)
    if sentences[0] == pairs.SECTIONS[index][1][0]:
        sentences[0] = sentences[0].rstrip(".") + " without delay."
    sections[index] = (title, sentences)
    return sections


def render(sections: Sections, fmt: str) -> bytes:
    """The policy's bytes as a file of format ``fmt`` would hold them."""
    if fmt == "md":
        return pairs.render(sections).encode()
    if fmt == "txt":
        return _text(sections).encode()
    if fmt == "html":
        return _html(sections).encode()
    return _pdf(sections)


def _text(sections: Sections) -> str:
    parts = ["BRIGHTWATER MAIL PRIVACY POLICY", "Last updated: January 10, 2024"]
    for number, (title, sentences) in enumerate(sections, 1):
        parts.append(f"{number}. {title}")
        parts.append(textwrap.fill(" ".join(sentences), width=72))
    return "\n\n".join(parts) + "\n"


def _html(sections: Sections) -> str:
    body = ["<h1>Brightwater Mail Privacy Policy</h1>", "<p>Last updated: January 10, 2024</p>"]
    for title, sentences in sections:
        body.append(f"<h2>{html.escape(title)}</h2>")
        body.append(f"<p>{html.escape(' '.join(sentences))}</p>")
    return (
        "<!doctype html><html><head><title>Privacy Policy</title></head><body>"
        "<nav><a href='/'>Home</a></nav><main>" + "".join(body) + "</main></body></html>"
    )


def _pdf(sections: Sections) -> bytes:
    flow = PageFlow()
    flow.heading("Brightwater Mail Privacy Policy", size=18)
    flow.paragraph(["Last updated: January 10, 2024"])
    for title, sentences in sections:
        flow.heading(title)
        flow.paragraph(textwrap.wrap(" ".join(sentences), width=88))
    return flow.pdf()
