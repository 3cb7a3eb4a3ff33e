"""Benchmark the practice detector: model load time and size, MB/s per detector, pathological input.

    python -m benchmarks.bench_detector [--size-mb 1] [--repeat 3] [--stages]

Times are CPU seconds of this process (``time.process_time``), the best of ``--repeat`` runs, so
other work on the machine counts against the detector as little as it can. Two inputs: a dense
synthetic sample (every sentence states a practice) and, when ``../shared`` holds OPP-115, real
policies (its training and validation policies as plain text, concatenated and cut to size).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence

from policyreader.core.document import PolicyDocument
from policyreader.core.loading import load_text
from policyreader.core.practices.detector import DetectorKind, PracticeDetector
from policyreader.core.practices.model import MODEL_FILE, read_model
from policyreader.core.practices.polarity import default_polarity
from policyreader.core.practices.rules import default_rules
from policyreader.resources_path import resource

# A fictitious policy paragraph set, repeated to the wanted size; it states every practice.
SAMPLE = """## Information we collect

When you create an account we collect your name, e-mail address and phone number. Our servers log
your IP address, browser type and the pages you visit, and we use cookies to remember you.

## Sharing

We share order details with the couriers and payment processors who deliver your purchases.
Advertising partners may place cookies on our pages. We may disclose information when required by
law, for example in response to a subpoena. We do not sell your personal information.

## Your choices and rights

You can opt out of marketing e-mails by clicking the unsubscribe link. You may set your browser to
refuse cookies. You can review, update or delete your account information in your account settings.

## Retention and security

We retain order records for seven years. Server logs are deleted after 30 days. We protect your
information with encryption and restrict access to staff who need it.

## Children, regions and changes

Our services are not directed to children under 13. California residents may request a list of the
third parties we share with. We do not respond to Do Not Track signals. We may change this policy
from time to time and will notify you of material changes.
"""

PATHOLOGICAL = {
    "no sentence ends": "we collect your data and share it with third parties ",
    "no whitespace": "wecollectcookiesandretainthem",
    "one repeated cue word": "retain ",
}


def _timed(action: Callable[[], object]) -> tuple[float, object]:
    started = time.process_time()
    result = action()
    return time.process_time() - started, result


def _best(action: Callable[[], object], repeat: int) -> tuple[float, object]:
    runs = [_timed(action) for _ in range(max(1, repeat))]
    return min(run[0] for run in runs), runs[-1][1]


def _reference_loop_ns(iterations: int = 2_000_000) -> float:
    """Nanoseconds per step of a plain Python loop, best of three: how fast this machine runs
    Python, so that figures from two machines can be compared."""

    def loop() -> None:
        total = 0
        for step in range(iterations):
            total += step

    return min(_timed(loop)[0] for _ in range(3)) * 1e9 / iterations


def _document(size: int) -> PolicyDocument:
    text = (SAMPLE + "\n") * (size // len(SAMPLE) + 1)
    return load_text(text[:size].rsplit("\n\n", 1)[0], name="bench.md")


def _real_document(size: int) -> PolicyDocument | None:
    """OPP-115's policies as one plain-text document of ``size`` characters, if it is here."""
    try:
        from tools.opp115 import policy_file, read_policies, read_split

        split = read_split()
        policies = read_policies(split["train"] + split["validation"])
    except (ImportError, OSError):
        return None
    text = "\n\n".join(policy_file(policy, "text")[1] for policy in policies)[:size]
    return load_text(text, name="opp115.txt")


# The stages of ``combined``, as (label, owner, method name): each is timed inclusively, so a
# stage that calls another (merging calls attributes and evidence) includes it.
STAGES = (
    ("passages (splitting)", "sentences", "passages"),
    ("model scoring", "model", "LinearModel.score"),
    ("rules (needed hits)", "detector", "PracticeDetector._needed_rule_hits"),
    ("not-done rules + polarity", "detector", "PracticeDetector._add_not_done"),
    ("model findings (localise)", "detector", "_add_model_findings"),
    ("polarity of findings", "detector", "PracticeDetector._polarities"),
    ("merging (all below)", "detector", "PracticeDetector._merge"),
    ("  attributes", "attributes", "AttributeLexicon.extract"),
    ("  evidence", "detector", "_Finding.spans"),
)
GENERATORS = {"passages", "_Finding.spans"}


def stage_times(document: PolicyDocument, detector: PracticeDetector) -> dict[str, float]:
    """CPU seconds per stage of one detection (wrapping slows it a little: compare shares)."""
    import importlib

    spent = dict.fromkeys((label for label, _, _ in STAGES), 0.0)
    restore = []
    for label, module_name, path in STAGES:
        module = importlib.import_module(f"policyreader.core.practices.{module_name}")
        owner, _, name = path.rpartition(".")
        holder = getattr(module, owner) if owner else module
        original = getattr(holder, name)
        restore.append((holder, name, original))
        setattr(holder, name, _timing(original, label, spent, path in GENERATORS))
    # The detector module holds its own reference to ``passages``.
    detector_module = importlib.import_module("policyreader.core.practices.detector")
    passages_original = detector_module.passages
    detector_module.passages = _timing(passages_original, STAGES[0][0], spent, generator=True)
    try:
        started = time.process_time()
        detector.detect(document)
        spent["total"] = time.process_time() - started
    finally:
        for holder, name, original in restore:
            setattr(holder, name, original)
        detector_module.passages = passages_original
    return spent


def _timing(
    function: Callable[..., object], label: str, spent: dict[str, float], generator: bool = False
) -> Callable[..., object]:
    def timed(*args: object, **kwargs: object) -> object:
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] += time.process_time() - started

    def timed_generator(*args: object, **kwargs: object) -> object:
        found = iter(function(*args, **kwargs))  # type: ignore[call-overload]
        while True:
            started = time.process_time()
            item = next(found, None)
            spent[label] += time.process_time() - started
            if item is None:
                return
            yield item

    return timed_generator if generator else timed


def print_stages(name: str, document: PolicyDocument, detector: PracticeDetector) -> None:
    megabytes = len(document.text) / 1e6
    spent = stage_times(document, detector)
    print(f"{name}: combined, per stage (CPU s, MB/s at that stage alone)")
    for label, seconds in spent.items():
        rate = f"{megabytes / seconds:8.2f} MB/s" if seconds else "       -"
        print(f"  {label:28} {seconds:6.3f} s {rate}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the best counts")
    parser.add_argument("--stages", action="store_true", help="only time combined's stages")
    args = parser.parse_args(argv)
    size = int(args.size_mb * 1_000_000)

    print(f"machine: a plain Python loop step takes {_reference_loop_ns():.0f} ns")
    node = resource(*MODEL_FILE)
    if node.is_file():
        data = node.read_bytes()
        load_seconds, model = _timed(lambda: read_model(data))
        print(f"model file: {len(data) / 1e6:.2f} MB, loads in {load_seconds * 1000:.0f} ms")
    else:
        model = None
        print("model file: absent (rules only)")
    rules_seconds, _ = _timed(default_rules)
    print(f"rules: parsed and compiled in {rules_seconds * 1000:.0f} ms")

    # As the app runs it: every practice gets its polarity (None when the file is absent).
    polarity = default_polarity()
    inputs = {"sample": _document(size), "opp115": _real_document(size)}
    if args.stages:
        detector = PracticeDetector(DetectorKind.COMBINED, model=model, polarity=polarity)
        detector.detect(_document(20_000))
        for name, document in inputs.items():
            if document is not None:
                print_stages(name, document, detector)
        return 0
    for name, document in inputs.items():
        if document is None:
            print(f"{name}: absent (needs ../shared/data/opp115)")
            continue
        megabytes = len(document.text) / 1e6
        for kind in DetectorKind:
            detector = PracticeDetector(kind, model=model, polarity=polarity)  # type: ignore[arg-type]
            detector.detect(_document(20_000))  # warm the caches a long session would have warm
            seconds, practices = _best(lambda d=detector, doc=document: d.detect(doc), args.repeat)
            print(
                f"{name:6} {kind.value:9} {megabytes:.2f} MB in {seconds:.2f} s"
                f" = {megabytes / seconds:.2f} MB/s ({len(practices)} practices)"  # type: ignore[arg-type]
            )
    combined = PracticeDetector(DetectorKind.COMBINED, model=model, polarity=polarity)  # type: ignore[arg-type]
    for name, unit in PATHOLOGICAL.items():
        text = (unit * (size // len(unit) + 1))[:size]
        pathological = load_text(text, name="big.txt")
        seconds, _ = _timed(lambda p=pathological: combined.detect(p))
        print(f"pathological, {name}: {len(text) / 1e6:.2f} MB in {seconds:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
