"""Build synthetic policies of a chosen size from the bundled sample, in each format."""

from __future__ import annotations

import html
import re
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "resources" / "samples" / "lanternfish-privacy.md"


def _sample_body() -> list[str]:
    """The sample's paragraphs without its front matter and title."""
    text = SAMPLE.read_text(encoding="utf-8").split("---", 2)[2]
    return [p.strip() for p in text.split("\n\n") if p.strip() and not p.startswith("# ")]


def markdown_policy(size: int) -> str:
    parts = ["# Benchmark Privacy Policy", "Last updated: March 3, 2026"]
    body = _sample_body()
    copy = 0
    while sum(len(p) + 2 for p in parts) < size:
        copy += 1
        parts.append(f"## Part {copy}")
        parts.extend(p.replace("## ", "### ").replace("### 1.1", "#### 1.1") for p in body)
    return "\n\n".join(parts)[:size]


def _plain(paragraph: str) -> str:
    """Markdown markup removed, so the text is sniffed as plain text."""
    words = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", paragraph).replace("**", "")
    return " ".join(words.split())


def text_policy(size: int) -> str:
    lines = ["BENCHMARK PRIVACY POLICY", ""]
    number = 0
    body = [p for p in _sample_body() if not p.startswith(("|", "-", "1."))]
    while sum(len(line) + 1 for line in lines) < size:
        for paragraph in body:
            if paragraph.startswith("#"):
                number += 1
                lines += ["", f"{number}. {paragraph.lstrip('# ').split(' ', 1)[-1]}", ""]
            else:
                lines += [_plain(paragraph), ""]
    return "\n".join(lines)[:size]


def html_policy(size: int) -> str:
    head = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Benchmark Policy</title>"
        "<style>body{font:16px serif}</style></head><body><nav><a href='/'>Home</a>"
        "<a href='/shop'>Shop</a></nav><main><h1>Benchmark Privacy Policy</h1>"
    )
    tail = "</main><footer><a href='/terms'>Terms</a></footer></body></html>"
    parts = [head]
    body = _sample_body()
    total = len(head) + len(tail)
    while total < size:
        for paragraph in body:
            if paragraph.startswith("#"):
                piece = f"<h2>{html.escape(paragraph.lstrip('# '))}</h2>"
            else:
                piece = f"<p>{html.escape(' '.join(paragraph.split()))}</p>"
            parts.append(piece)
            total += len(piece)
    return "".join(parts) + tail


FACTORIES = {"markdown": markdown_policy, "text": text_policy, "html": html_policy}
EXTENSIONS = {"markdown": ".md", "text": ".txt", "html": ".html"}


def write_policy(folder: Path, fmt: str, size: int) -> Path:
    path = folder / f"policy-{fmt}-{size}{EXTENSIONS[fmt]}"
    path.write_text(FACTORIES[fmt](size), encoding="utf-8")
    return path
