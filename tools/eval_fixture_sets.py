"""Score outline and title on the Markdown and HTML generalisation fixtures with eval_outline's rules.

The reader issue checked generalisation on pages written before tuning: ``tests/fixtures/html/unseen``
(expected outline and title in a JSON beside each page) and ``tests/fixtures/markdown/general``
(expected outline and title in ``GENERAL_EXPECTED`` of the Markdown tests). This prints their
precision, recall and titles the way ``tools.eval_outline`` scores the wild corpus, so a change to the
readers can show it does not cost those formats anything.

    python -m tools.eval_fixture_sets
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tools.eval_outline import FileResult, file_line, match_outline, summarise, title_correct

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"


def _score(fmt: str, path: Path, title: str | None, outline: list[str]) -> FileResult:
    from policyreader.core.loading import load_path

    document = load_path(path)
    found = [section.title for section in document.walk_sections()]
    score = match_outline(outline, found)
    ok = title_correct(title, (), document.title)
    return FileResult(fmt, path.name, score, title, document.title, ok, str(document.format))


def html_results() -> list[FileResult]:
    results = []
    for page in sorted((FIXTURES / "html" / "unseen").glob("*.html")):
        truth = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
        results.append(_score("html", page, truth["title"], list(truth["outline"])))
    return results


def markdown_results() -> list[FileResult]:
    from tests.core.test_markdown_format import GENERAL, GENERAL_EXPECTED

    return [
        _score("markdown", GENERAL / name, title, [label for _, label in outline])
        for name, (title, outline) in sorted(GENERAL_EXPECTED.items())
    ]


def main() -> int:
    results = markdown_results() + html_results()
    for result in results:
        print(file_line(result))
    print()
    for line in summarise(results):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
