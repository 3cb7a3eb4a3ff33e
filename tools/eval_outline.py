"""Score the loaders' outline and title against hand-labelled real policies kept outside the repo.

The corpus is a folder per format (``markdown/``, ``text/``, ``html/``) holding real policy files
as fetched, each beside ``<name>.gold.json``::

    {"title": "Privacy Policy" | null,
     "title_alternatives": ["Privacy Policy | Acme"],   # optional: other acceptable titles
     "outline": ["Information we collect", "1.1 Cookies", ...],
     "optional": ["Contents"],                          # optional: neither required nor extra
     "kind": "archive"}                                 # optional: structure kind, scored apart

Every file is opened with ``load_path`` exactly as a user would open it; the flattened outline
(``document.walk_sections()``) is aligned in order with the gold headings. Headings match when
their normalised text (case-folded, numbering such as "1.", "1.1", "II." or "(a)" dropped,
punctuation trimmed) is equal or at least 85% similar. Per file, per format and in total the
tool prints precision, recall and whether the title is right, and lists the missed and extra
headings so the reader developers see what to fix.

    python -m tools.eval_outline /work/eval-corpus --report /work/eval-corpus/REPORT.md
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from difflib import SequenceMatcher
from pathlib import Path

FUZZY_RATIO = 0.85
FORMATS = ("markdown", "text", "html")

# Leading enumerators: "1.", "1.1", "1.1.", "01", "2)", "II.", "iv)", "(a)", "a.", "§ 3",
# "Section 4:", "Article 3 -". Roman numerals and letters need a "." or ")" so that words such as
# "I" in "I agree" or "A" in "A note" are not eaten.
_NUMBERING = re.compile(
    r"""^(?:
        (?:section|article|part|chapter|clause)\s+[0-9ivxlc]+[a-z]?[.:)\-–—]?
      | §+\s*\d+(?:\.\d+)*\.?
      | \(\s*(?:\d+|[a-z]|[ivxlc]+)\s*\)
      | \d+(?:\.\d+)*[.)]?
      | [ivxlc]+[.)]
      | [a-z][.)]
    )\s+""",
    re.IGNORECASE | re.VERBOSE,
)
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
_QUOTES = str.maketrans(
    {"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "–": "-", "—": "-"}
)


def normalise(heading: str) -> str:
    """The comparable form of a heading: numbering, case, spacing and edge punctuation removed."""
    text = unicodedata.normalize("NFKC", heading).translate(_QUOTES)
    text = " ".join(text.split())
    text = _EDGE.sub("", text)
    # Numbering may be repeated ("1. 1.1 Cookies") or sit behind a stripped symbol.
    for _ in range(3):
        stripped = _NUMBERING.sub("", text + " ", count=1).strip()
        if stripped == text or not stripped:
            break
        text = _EDGE.sub("", stripped)
    return text.casefold()


def headings_match(gold: str, found: str) -> bool:
    """Equal after normalising, or similar enough that a reader would call them the same heading."""
    a, b = normalise(gold), normalise(found)
    if not a or not b:
        return a == b
    return a == b or SequenceMatcher(None, a, b).ratio() >= FUZZY_RATIO


@dataclass(slots=True)
class OutlineScore:
    matched: list[tuple[str, str]] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    optional_found: list[str] = field(default_factory=list)

    @property
    def scored_found(self) -> int:
        """Headings the reader produced, minus the ones gold marks as optional."""
        return len(self.matched) + len(self.extra)

    @property
    def gold_count(self) -> int:
        return len(self.matched) + len(self.missed)

    @property
    def precision(self) -> float | None:
        return len(self.matched) / self.scored_found if self.scored_found else None

    @property
    def recall(self) -> float | None:
        return len(self.matched) / self.gold_count if self.gold_count else None


def match_outline(
    gold: Sequence[str], found: Sequence[str], optional: Sequence[str] = ()
) -> OutlineScore:
    """Align gold and found headings in order (longest common subsequence under fuzzy equality).

    Order matters because an outline is read top to bottom; a heading found in the wrong place
    is both a miss and an extra. Found headings that match an ``optional`` gold entry are set
    aside: they cost nothing when present and nothing when absent.
    """
    pairs = _align(gold, found)
    paired_gold = {g for g, _ in pairs}
    paired_found = {f for _, f in pairs}
    score = OutlineScore(matched=[(gold[g], found[f]) for g, f in pairs])
    score.missed = [h for i, h in enumerate(gold) if i not in paired_gold]
    for index, heading in enumerate(found):
        if index in paired_found:
            continue
        if any(headings_match(extra, heading) for extra in optional):
            score.optional_found.append(heading)
        else:
            score.extra.append(heading)
    return score


def _align(gold: Sequence[str], found: Sequence[str]) -> list[tuple[int, int]]:
    rows, cols = len(gold), len(found)
    same = [[headings_match(g, f) for f in found] for g in gold]
    best = [[0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        for j in range(cols - 1, -1, -1):
            if same[i][j]:
                best[i][j] = best[i + 1][j + 1] + 1
            else:
                best[i][j] = max(best[i + 1][j], best[i][j + 1])
    pairs: list[tuple[int, int]] = []
    i = j = 0
    while i < rows and j < cols:
        if same[i][j] and best[i][j] == best[i + 1][j + 1] + 1:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i + 1][j] >= best[i][j + 1]:
            i += 1
        else:
            j += 1
    return pairs


def title_correct(gold: str | None, alternatives: Sequence[str], found: str | None) -> bool:
    """A policy without a title is right only when the reader invents none."""
    if gold is None:
        return not (found or "").strip()
    if not found:
        return False
    return any(headings_match(option, found) for option in (gold, *alternatives))


@dataclass(slots=True)
class FileResult:
    fmt: str
    name: str
    score: OutlineScore
    gold_title: str | None
    found_title: str | None
    title_ok: bool
    read_as: str = ""
    error: str = ""
    kind: str = ""


def evaluate_file(source: Path, gold_path: Path, fmt: str) -> FileResult:
    from policyreader.core.loading import load_path

    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    gold_outline = list(gold["outline"])
    alternatives = list(gold.get("title_alternatives", []))
    kind = str(gold.get("kind", ""))
    try:
        document = load_path(source)
    except Exception as error:  # a crash is a result to report, not a reason to stop
        return FileResult(
            fmt,
            source.name,
            OutlineScore(missed=gold_outline),
            gold["title"],
            None,
            False,
            error=f"{type(error).__name__}: {error}",
            kind=kind,
        )
    found = [section.title for section in document.walk_sections()]
    score = match_outline(gold_outline, found, gold.get("optional", ()))
    ok = title_correct(gold["title"], alternatives, document.title)
    return FileResult(
        fmt,
        source.name,
        score,
        gold["title"],
        document.title,
        ok,
        read_as=str(document.format),
        kind=kind,
    )


def corpus_files(corpus: Path) -> list[tuple[str, Path, Path]]:
    """(format, policy file, gold file) for every labelled policy, formats in a fixed order."""
    found: list[tuple[str, Path, Path]] = []
    for fmt in FORMATS:
        folder = corpus / fmt
        if not folder.is_dir():
            continue
        for gold_path in sorted(folder.glob("*.gold.json")):
            stem = gold_path.name.removesuffix(".gold.json")
            sources = [
                p
                for p in folder.iterdir()
                if p.is_file() and p.stem == stem and not p.name.endswith(".json")
            ]
            if len(sources) == 1:
                found.append((fmt, sources[0], gold_path))
            else:
                print(
                    f"skipped {gold_path}: {len(sources)} policy files named {stem}.*",
                    file=sys.stderr,
                )
    return found


@dataclass(slots=True)
class Totals:
    files: int = 0
    matched: int = 0
    found: int = 0
    gold: int = 0
    titles_ok: int = 0
    perfect: int = 0

    def add(self, result: FileResult) -> None:
        self.files += 1
        self.matched += len(result.score.matched)
        self.found += result.score.scored_found
        self.gold += result.score.gold_count
        self.titles_ok += result.title_ok
        self.perfect += not result.score.missed and not result.score.extra

    def line(self, label: str) -> str:
        precision = _pct(self.matched / self.found if self.found else None)
        recall = _pct(self.matched / self.gold if self.gold else None)
        return (
            f"{label:<10} files {self.files:>2}  precision {precision:>6}  recall {recall:>6}  "
            f"title {self.titles_ok}/{self.files}  perfect outlines {self.perfect}/{self.files}  "
            f"(matched {self.matched}, found {self.found}, gold {self.gold})"
        )


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def summarise(results: Sequence[FileResult]) -> list[str]:
    lines = []
    overall = Totals()
    for fmt in FORMATS:
        totals = Totals()
        for result in results:
            if result.fmt == fmt:
                totals.add(result)
                overall.add(result)
        if totals.files:
            lines.append(totals.line(fmt))
    lines.append(overall.line("TOTAL"))
    kinds = sorted({result.kind for result in results if result.kind})
    for kind in kinds:
        totals = Totals()
        for result in results:
            if result.kind == kind:
                totals.add(result)
        lines.append(totals.line(f"  {kind}"))
    return lines


def file_line(result: FileResult) -> str:
    score = result.score
    status = (
        f"P {_pct(score.precision):>6}  R {_pct(score.recall):>6}  "
        f"title {'yes' if result.title_ok else 'NO '}"
    )
    read_as = (
        f"  read as {result.read_as}" if result.read_as and result.read_as != result.fmt else ""
    )
    error = f"  ERROR {result.error}" if result.error else ""
    return f"{result.fmt + '/' + result.name:<40} {status}{read_as}{error}"


def detail_lines(result: FileResult, bullet: str = "    ") -> list[str]:
    lines = []
    if not result.title_ok:
        lines.append(f"{bullet}title: expected {result.gold_title!r}, got {result.found_title!r}")
    lines.extend(f"{bullet}missed: {h}" for h in result.score.missed)
    lines.extend(f"{bullet}extra:  {h}" for h in result.score.extra)
    return lines


def markdown_report(results: Sequence[FileResult], corpus: Path) -> str:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    out = [
        "# Outline evaluation on real policies",
        "",
        f"Generated {stamp} by `python -m tools.eval_outline {corpus}`. Gold labels are the",
        "`*.gold.json` files beside each policy; `SOURCES.md` says where each policy came from.",
        "Headings match when equal after normalising (case, numbering, edge punctuation) or",
        f"at least {FUZZY_RATIO:.0%} similar; the outline is aligned in order.",
        "",
        "## Figures",
        "",
        "```",
        *summarise(results),
        "```",
        "",
        "## Per file",
        "",
    ]
    for result in results:
        out.append(f"### {result.fmt}/{result.name}")
        out.append("")
        out.append(f"`{file_line(result).strip()}`")
        out.append("")
        details = detail_lines(result, bullet="- ")
        out.extend(details or ["- outline and title as labelled"])
        out.append("")
    return "\n".join(out)


def run(corpus: Path, report: Path | None = None, verbose: bool = True) -> list[FileResult]:
    results = [evaluate_file(source, gold, fmt) for fmt, source, gold in corpus_files(corpus)]
    for result in results:
        print(file_line(result))
        if verbose:
            for line in detail_lines(result):
                print(line)
    print()
    for line in summarise(results):
        print(line)
    if report is not None:
        report.write_text(markdown_report(results, corpus) + "\n", encoding="utf-8")
        print(f"\nreport written to {report}")
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="folder with markdown/, text/ and html/")
    parser.add_argument("--report", type=Path, help="also write the results as Markdown here")
    parser.add_argument("--quiet", action="store_true", help="no missed/extra lists on stdout")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        parser.error(f"{args.corpus} is not a folder")
    results = run(args.corpus, args.report, verbose=not args.quiet)
    return 0 if results else 1


if __name__ == "__main__":
    sys.exit(main())
