"""Dump the detector's practices for a set of files, or compare a dump with an earlier one.

    python -m tools.detection_snapshot write OUT_DIR [FILE_OR_DIR...]
    python -m tools.detection_snapshot compare BEFORE_DIR AFTER_DIR

A speed-up of the detector must not change what it finds: write a snapshot with the old code,
one with the new, and compare. Without paths: the seeds, OPP-115 (as saved HTML and as plain
text), the test fixtures and synthetic policies. Every kind but the encoder ones is dumped.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from policyreader.core.document import PolicyDocument
from policyreader.core.loading import load_path, load_text
from policyreader.core.practices.detector import DetectorKind, PracticeDetector
from policyreader.core.practices.model import default_model
from policyreader.core.practices.polarity import default_polarity

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
KINDS = (DetectorKind.RULES, DetectorKind.MODEL, DetectorKind.COMBINED)
# Confidences are floats: a reordered sum may move the last bits, never more than this.
CONFIDENCE_TOLERANCE = 1e-9


def default_inputs() -> Iterator[tuple[str, PolicyDocument]]:
    """(name, document) for every default input that is present."""
    paths = sorted((SHARED / "corpus" / "seeds").glob("*"))
    paths += sorted((SHARED / "data" / "opp115" / "sanitized_policies").glob("*.html"))
    paths += sorted(p for p in (REPO / "tests" / "fixtures").rglob("*") if p.is_file())
    for path in paths:
        yield from _loaded(path)
    yield from _opp115_texts()
    from benchmarks.policy_factory import FACTORIES

    for fmt, factory in FACTORIES.items():
        yield f"factory-{fmt}-1MB", load_text(factory(1_000_000), name=f"p.{fmt}")


def _loaded(path: Path) -> Iterator[tuple[str, PolicyDocument]]:
    try:
        yield str(path.relative_to(REPO.parent)), load_path(path)
    except Exception as error:  # a fixture that does not load has nothing to detect
        print(f"skipped {path}: {error}", file=sys.stderr)


def _opp115_texts() -> Iterator[tuple[str, PolicyDocument]]:
    try:
        from tools.opp115 import policy_file, read_policies, read_split

        split = read_split()
        policies = read_policies(split["train"] + split["validation"])
    except (ImportError, OSError):
        return
    for policy in policies:
        yield f"opp115-text/{policy.stem}", load_text(policy_file(policy, "text")[1], name="p.txt")


def _paths_inputs(paths: Sequence[str]) -> Iterator[tuple[str, PolicyDocument]]:
    for name in paths:
        path = Path(name)
        for file in sorted(path.rglob("*")) if path.is_dir() else [path]:
            if file.is_file():
                yield from _loaded(file)


def write(out: Path, paths: Sequence[str]) -> int:
    out.mkdir(parents=True, exist_ok=True)
    model, polarity = default_model(), default_polarity()
    detectors = [PracticeDetector(kind, model=model, polarity=polarity) for kind in KINDS]
    count = 0
    for name, document in _paths_inputs(paths) if paths else default_inputs():
        dump = {
            detector.kind.value: [_full_json(p) for p in detector.detect(document)]
            for detector in detectors
        }
        target = out / (name.replace("/", "__") + ".json")
        target.write_text(json.dumps(dump, indent=0, sort_keys=True), encoding="utf-8")
        count += 1
    print(f"{count} documents written to {out}")
    return 0


def _full_json(practice: object) -> dict[str, object]:
    data = practice.as_json()  # type: ignore[attr-defined]
    data["confidence"] = practice.confidence  # type: ignore[attr-defined]
    return data


def compare(before: Path, after: Path) -> int:
    """Print every difference; 0 when the dumps agree."""
    names = sorted({p.name for p in before.glob("*.json")} | {p.name for p in after.glob("*.json")})
    differences = 0
    for name in names:
        old, new = before / name, after / name
        if not old.exists() or not new.exists():
            print(f"{name}: only in {'after' if not old.exists() else 'before'}")
            differences += 1
            continue
        old_data = json.loads(old.read_text(encoding="utf-8"))
        new_data = json.loads(new.read_text(encoding="utf-8"))
        for kind in sorted(set(old_data) | set(new_data)):
            problem = _differs(old_data.get(kind, []), new_data.get(kind, []))
            if problem:
                print(f"{name} [{kind}]: {problem}")
                differences += 1
    print(f"{len(names)} documents compared, {differences} differ")
    return 1 if differences else 0


def _differs(old: list[dict], new: list[dict]) -> str | None:
    if len(old) != len(new):
        return f"{len(old)} practices before, {len(new)} after"
    for index, (a, b) in enumerate(zip(old, new, strict=True)):
        if abs(a["confidence"] - b["confidence"]) > CONFIDENCE_TOLERANCE:
            return f"practice {index}: confidence {a['confidence']} -> {b['confidence']}"
        rest_a = {k: v for k, v in a.items() if k != "confidence"}
        rest_b = {k: v for k, v in b.items() if k != "confidence"}
        if rest_a != rest_b:
            keys = sorted(k for k in rest_a if rest_a[k] != rest_b.get(k))
            return f"practice {index}: {', '.join(keys)} differ: {a} != {b}"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    writing = commands.add_parser("write")
    writing.add_argument("out", type=Path)
    writing.add_argument("paths", nargs="*")
    comparing = commands.add_parser("compare")
    comparing.add_argument("before", type=Path)
    comparing.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    if args.command == "write":
        return write(args.out, args.paths)
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
