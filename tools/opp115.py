"""Read OPP-115 (segments, majority labels) and write its policies as files a user would open."""

from __future__ import annotations

import bisect
import csv
import difflib
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from policyreader.core.practices.taxonomy import OPP115_NAMES, PRACTICE_CATEGORIES, Category

REPO = Path(__file__).resolve().parent.parent
DEFAULT_ROOT = REPO.parent / "shared" / "data" / "opp115"
SEGMENT_SEPARATOR = "|||"
# A category labels a segment when at least this many of its annotators chose it.
MAJORITY = 2

_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"[^\W_]+")


@dataclass(slots=True)
class Policy:
    """One annotated policy: its segments as plain text and each segment's majority categories."""

    stem: str
    segments: list[str]
    labels: list[set[Category]]
    # (segment, category) -> word trigrams of the text the annotators selected for it.
    selections: dict[tuple[int, Category], set[tuple[str, ...]]] = field(default_factory=dict)
    # (segment, category, attribute) -> the values a majority of annotators gave it, e.g.
    # (3, first_party_collection, "Personal Information Type") -> {"Contact", "Location"}.
    values: dict[tuple[int, Category, str], set[str]] = field(default_factory=dict)


def read_split(root: Path = DEFAULT_ROOT) -> dict[str, list[str]]:
    data = json.loads((root / "split.json").read_text(encoding="utf-8"))
    return {"train": data["train"], "validation": data["validation"]}


def read_policy(stem: str, root: Path = DEFAULT_ROOT) -> Policy:
    raw = (root / "sanitized_policies" / f"{stem}.html").read_text(encoding="utf-8")
    segments = [segment_text(piece) for piece in raw.split(SEGMENT_SEPARATOR)]
    annotations = root / "annotations" / f"{stem}.csv"
    return Policy(
        stem,
        segments,
        majority_labels(annotations, len(segments)),
        selections(annotations),
        majority_values(annotations),
    )


def read_policies(stems: list[str], root: Path = DEFAULT_ROOT) -> list[Policy]:
    return [read_policy(stem, root) for stem in stems]


def segment_text(fragment: str) -> str:
    """A segment's HTML as the plain text a reader sees: breaks kept, list items as "- " lines."""
    text = re.sub(r"<\s*/?\s*br\s*/?\s*>", "\n", fragment, flags=re.IGNORECASE)
    text = re.sub(r"<\s*li[^>]*>", "\n- ", text, flags=re.IGNORECASE)
    text = re.sub(r"<\s*/?\s*(?:ul|ol|li|p|div|blockquote)[^>]*>", "\n", text, flags=re.IGNORECASE)
    text = html.unescape(_TAG.sub("", text))
    lines = [" ".join(line.split()) for line in text.split("\n")]
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return "\n\n".join("\n".join(p) for p in paragraphs if p)


def majority_labels(csv_path: Path, count: int) -> list[set[Category]]:
    votes: dict[tuple[int, Category], set[str]] = {}
    with csv_path.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            category = OPP115_NAMES.get(row[5])
            if category is None:
                continue
            votes.setdefault((int(row[4]), category), set()).add(row[2])
    labels: list[set[Category]] = [set() for _ in range(count)]
    for (segment, category), annotators in votes.items():
        if len(annotators) >= MAJORITY and segment < count and category in PRACTICE_CATEGORIES:
            labels[segment].add(category)
    return labels


def majority_values(csv_path: Path) -> dict[tuple[int, Category, str], set[str]]:
    """Per (segment, category, attribute), the values at least ``MAJORITY`` annotators gave."""
    votes: dict[tuple[int, Category, str, str], set[str]] = {}
    with csv_path.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            category = OPP115_NAMES.get(row[5])
            if category is None:
                continue
            for attribute, value in json.loads(row[6]).items():
                key = (int(row[4]), category, attribute, value.get("value") or "")
                votes.setdefault(key, set()).add(row[2])
    found: dict[tuple[int, Category, str], set[str]] = {}
    for (segment, category, attribute, value), annotators in votes.items():
        if len(annotators) >= MAJORITY:
            found.setdefault((segment, category, attribute), set()).add(value)
    return found


def polarity_votes(csv_path: Path) -> dict[tuple[int, Category], tuple[set[str], set[str]]]:
    """Per (segment, category), the annotators who said "Does" and those who said "Does Not".

    Only collection and sharing annotations carry the attribute.
    """
    found: dict[tuple[int, Category], tuple[set[str], set[str]]] = {}
    with csv_path.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            category = OPP115_NAMES.get(row[5])
            value = (json.loads(row[6]).get("Does/Does Not") or {}).get("value")
            if category is None or value not in ("Does", "Does Not"):
                continue
            does, does_not = found.setdefault((int(row[4]), category), (set(), set()))
            (does_not if value == "Does Not" else does).add(row[2])
    return found


def selections(csv_path: Path) -> dict[tuple[int, Category], set[tuple[str, ...]]]:
    """Word trigrams of every text span annotators selected, per segment and category."""
    found: dict[tuple[int, Category], set[tuple[str, ...]]] = {}
    with csv_path.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            category = OPP115_NAMES.get(row[5])
            if category is None:
                continue
            target = found.setdefault((int(row[4]), category), set())
            for value in json.loads(row[6]).values():
                selected = value.get("selectedText") or ""
                if selected and selected != "null" and value.get("startIndexInSegment", -1) != -1:
                    target |= trigrams(html.unescape(_TAG.sub(" ", selected)))
    return found


def trigrams(text: str) -> set[tuple[str, ...]]:
    words = [word.lower() for word in _WORD.findall(text)]
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def policy_file(policy: Policy, fmt: str) -> tuple[str, str]:
    """The policy as a file a user might have saved: (suffix, contents)."""
    if fmt == "html":
        body = "\n".join(f"<div>{_segment_html(segment)}</div>" for segment in policy.segments)
        return ".html", (
            '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Privacy Policy</title>'
            f"</head><body><main>\n{body}\n</main></body></html>\n"
        )
    suffix = ".md" if fmt == "markdown" else ".txt"
    return suffix, "\n\n".join(policy.segments) + "\n"


def _segment_html(segment: str) -> str:
    parts = []
    for paragraph in segment.split("\n\n"):
        lines = paragraph.split("\n")
        if all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{html.escape(line[2:])}</li>" for line in lines)
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append("<p>" + "<br>".join(html.escape(line) for line in lines) + "</p>")
    return "\n".join(parts)


class SegmentMap:
    """Maps offsets in a loaded document's text back to the segments its words came from."""

    def __init__(self, document_text: str, segments: list[str]) -> None:
        source_words: list[str] = []
        source_segment: list[int] = []
        for index, segment in enumerate(segments):
            for match in _WORD.finditer(segment):
                source_words.append(match.group().lower())
                source_segment.append(index)
        doc_matches = list(_WORD.finditer(document_text))
        doc_words = [match.group().lower() for match in doc_matches]
        matcher = difflib.SequenceMatcher(None, source_words, doc_words, autojunk=False)
        self._starts: list[int] = []
        self._segments: list[int] = []
        self._spans: dict[int, tuple[int, int]] = {}
        for block in matcher.get_matching_blocks():
            for offset in range(block.size):
                match = doc_matches[block.b + offset]
                segment = source_segment[block.a + offset]
                self._starts.append(match.start())
                self._segments.append(segment)
                first, _ = self._spans.get(segment, (match.start(), 0))
                self._spans[segment] = (first, match.end())
        self.coverage = len(self._starts) / max(1, len(source_words))

    def span_of(self, segment: int) -> tuple[int, int] | None:
        """Where the segment's words stand in the document text (first to last), if found."""
        return self._spans.get(segment)

    def segments_in(self, start: int, end: int) -> set[int]:
        low = bisect.bisect_left(self._starts, start)
        high = bisect.bisect_left(self._starts, end)
        return set(self._segments[low:high])
